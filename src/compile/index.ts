/**
 * The compile stage: the Book every format reads. Collects the articles, parses and pairs each,
 * decides each article's layout (the one place that does), then runs the passes, in order.
 */
import { createHash } from 'node:crypto';
import { articleBlocks, type ArticleBlocks } from '../bilingual/index.js';
import { collectBook } from '../collect/index.js';
import { layoutFor, type Config } from '../config/index.js';
import type { Article, ArticleSource, Book, BookMeta, Diagnostic } from '../model.js';
import { bookRelative } from '../paths.js';
import { describeImages } from './accessibility.js';
import { resolveOwnPageLinks } from './anchors.js';
import { normalizeHeadings } from './headings.js';
import { localizeImages } from './images.js';
import { extractNotes } from './notes.js';
import { resolveLinks } from './links.js';
import type { Pass } from './pass.js';

/**
 * The passes, in the order they run: images are described while their file names are still the
 * articles' own, then localized (a remote image becomes a link, which the links pass checks).
 * Notes are found in links the links pass has made valid (and compares with the source it checked);
 * the links to the article's own page that are not note references are resolved after them.
 */
export const PASSES: readonly Pass[] = [describeImages, localizeImages, resolveLinks, extractNotes, resolveOwnPageLinks, normalizeHeadings];

export interface CompileOptions {
  /** Parse and pair one article; default `articleBlocks`. The build and the preview pass a cached one (incremental/). */
  blocksOf?: (source: ArticleSource, file: string) => ArticleBlocks;
}

export function compileBook(config: Config, options: CompileOptions = {}): Book {
  const blocksOf = options.blocksOf ?? ((source: ArticleSource, file: string) => articleBlocks(source, { file }));
  const collected = collectBook(config);
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  const chapters = collected.chapters.map((chapter) => ({
    id: chapter.id,
    title: chapter.title,
    articles: chapter.articles.map((source): Article => {
      const file = bookRelative(config.bookDir, source.file);
      const parsed = blocksOf(source, file);
      diagnostics.push(...parsed.diagnostics);
      return {
        id: source.id,
        source: file,
        dir: source.dir,
        meta: source.meta,
        originalLang: parsed.originalLang,
        translationLang: parsed.translationLang,
        layouts: { epub: layoutFor(config, 'epub', source.meta), pdf: layoutFor(config, 'pdf', source.meta) },
        blocks: parsed.blocks,
      };
    }),
  }));
  const onScreens = config.formats.some((f) => f === 'epub' || f === 'kepub');
  const noSpreads = chapters.flatMap((c) => c.articles).filter((a) => a.layouts.epub.asked === 'facing');
  if (onScreens && noSpreads.length) {
    // said once for the book, not per article
    diagnostics.push({
      code: 'layout/no-spreads',
      // a warning, not an info: the EPUB is not what was asked for, and the summary shows warnings
      severity: 'warning',
      file: noSpreads.length === 1 ? noSpreads[0]!.source : 'book.toml',
      message: `facing pages are for print: the EPUB shows ${noSpreads.length === 1 ? 'this article' : `${noSpreads.length} articles`} side by side where the screen is wide, one language after the other where it is narrow`,
    });
  }
  let book: Book = { meta: bookMeta(config, collected.language), chapters, assets: [], diagnostics: [] };
  const ctx = { config, report: (d: Diagnostic) => diagnostics.push(d) };
  for (const pass of PASSES) book = pass(book, ctx);
  return { ...book, diagnostics };
}

function bookMeta(config: Config, language: string): BookMeta {
  const { book } = config;
  return {
    title: book.title,
    subtitle: book.subtitle,
    editors: book.editors,
    authors: book.authors,
    language,
    description: book.description,
    date: book.date,
    publisher: book.publisher,
    rights: book.rights,
    identifier: book.identifier ?? derivedIdentifier(book.title, book.editors),
    cover: book.cover,
    slug: book.slug,
  };
}

/** A stable identifier from the book's title and editors, in the form of a name-based UUID. */
export function derivedIdentifier(title: string, editors: string[]): string {
  const hex = createHash('sha1').update(JSON.stringify(['anthology', title, editors])).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
