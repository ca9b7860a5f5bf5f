import { z } from 'zod';
import { DATE_EXAMPLE, isoDate } from '../dates.js';
import { LAYOUTS } from '../model.js';

/**
 * The book.toml schema. It is the single source of both the checks and the TypeScript types
 * (`BookToml` below): unknown keys are rejected (strict objects), so a typo never passes silently.
 */

const layoutName = z.enum(LAYOUTS);
const pairOrder = z.enum(['original-first', 'translation-first']);
const nonEmpty = z.string().trim().min(1, 'must not be empty');
/** TOML dates arrive as Date objects (smol-toml keeps their original text in toISOString). */
const dateValue = z
  .union([z.string(), z.date()])
  .transform((d) => (typeof d === 'string' ? d : d.toISOString()))
  .refine((d) => isoDate(d) !== undefined, `must be a date such as ${DATE_EXAMPLE}`)
  .transform((d) => isoDate(d)!);
const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === 'string' ? [v] : v));

export const GROUP_BY = ['auto', 'month', 'year', 'folder', 'tag', 'none'] as const;
export const PAGE_SIZES = ['A4', 'A5', 'B5', 'Letter', '6x9in'] as const;

const bookSection = z.strictObject({
  title: nonEmpty.optional(),
  subtitle: z.string().optional(),
  editors: stringList.optional(),
  authors: stringList.optional(),
  /** The book's main language, BCP 47 (`zh`, `en`, `zh-Hans`...). Detected from the articles when absent. */
  language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag such as "zh" or "en"').optional(),
  description: z.string().optional(),
  date: dateValue.optional(),
  publisher: z.string().optional(),
  rights: z.string().optional(),
  identifier: z.string().optional(),
  /** Path of a cover image, relative to the book folder. */
  cover: z.string().optional(),
  /** Base name of the output files (`dist/<slug>.epub`); derived from the title when absent. */
  slug: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-"').optional(),
});

const contentSection = z.strictObject({
  /** The folder of articles, relative to the book folder. */
  folder: z.string().optional(),
  'group-by': z.enum(GROUP_BY).optional(),
  /** Include articles marked `draft: true`. */
  drafts: z.boolean().optional(),
});

const chapterEntry = z.strictObject({
  title: nonEmpty,
  /** Article paths or globs, relative to the content folder, in the order the chapter shows them. */
  articles: z.array(nonEmpty).min(1, 'must list at least one article'),
});

const layoutSection = z.strictObject({
  name: layoutName.optional(),
  order: pairOrder.optional(),
  /** A folder of Handlebars templates overriding the built-in ones by name. */
  templates: z.string().optional(),
  /** Extra CSS files, applied after the built-in styles (EPUB and PDF). */
  stylesheets: stringList.optional(),
});

const epubSection = z.strictObject({
  layout: layoutName.optional(),
  images: z.enum(['optimized', 'original']).optional(),
  'embed-fonts': z.boolean().optional(),
  stylesheets: stringList.optional(),
});

const length = z.string().regex(/^\d+(\.\d+)?(mm|cm|in|pt|px)$/, 'must be a length such as "18mm" or "0.75in"');

const pdfSection = z.strictObject({
  layout: layoutName.optional(),
  'page-size': z.union([z.enum(PAGE_SIZES), z.string().regex(/^\d+(\.\d+)?(mm|cm|in) \d+(\.\d+)?(mm|cm|in)$/, 'must be A4, A5, B5, Letter, 6x9in or "WIDTH HEIGHT" such as "150mm 220mm"')]).optional(),
  'margin-top': length.optional(),
  'margin-bottom': length.optional(),
  'margin-inside': length.optional(),
  'margin-outside': length.optional(),
  stylesheets: stringList.optional(),
});

export const bookTomlSchema = z.strictObject({
  book: bookSection.optional(),
  content: contentSection.optional(),
  chapters: z.array(chapterEntry).optional(),
  layout: layoutSection.optional(),
  epub: epubSection.optional(),
  pdf: pdfSection.optional(),
});

export type BookToml = z.output<typeof bookTomlSchema>;
export type GroupBy = (typeof GROUP_BY)[number];
export type PageSize = NonNullable<NonNullable<BookToml['pdf']>['page-size']>;
