import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { type InferIssue, safeParse } from 'valibot';
import { AnthologyError } from '../errors.js';
import { bookRelative, isInside, realpathOr, slugify } from '../fs/paths.js';
import { didYouMean } from '../suggest.js';

// slugify lives in fs/paths.ts so that collect/ (and `anthology pairs`) need not load the config schema.
export { slugify } from '../fs/paths.js';

import type { ArticleLayout, ArticleMeta, Diagnostic, LayoutName, Medium, PairOrder } from '../model.js';
import { withoutControlChars } from '../text.js';
import { lineOfKey } from './locate.js';
import { type BookToml, bookTomlSchema, type GroupBy } from './schema.js';

export type { BookToml, GroupBy } from './schema.js';

export const OUTPUT_FORMATS = ['epub', 'kepub', 'pdf', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What the command line (or an API caller) asks for; every field optional. */
export interface BuildOptions {
  bookDir?: string;
  content?: string;
  out?: string;
  /** `all` means EPUB and PDF. */
  formats?: (OutputFormat | 'all')[];
  layout?: LayoutName;
  order?: PairOrder;
}

/** The resolved configuration: every path absolute, every default filled. */
export interface Config {
  bookDir: string;
  configFile?: string;
  /** What reading book.toml repaired (control characters removed), reported with the book's diagnostics. */
  diagnostics?: Diagnostic[];
  contentDir: string;
  outDir: string;
  formats: OutputFormat[];
  /** Where settings came from when a user may not expect it; the command line says each in one line. */
  settingsFrom: {
    /** book.toml, when it was taken for a content folder outside its book folder (`--content`). */
    configForOtherContent?: string;
    /** The folder whose name became the title, when no book.toml names one. */
    titleFromFolder?: string;
  };
  book: {
    title: string;
    subtitle?: string;
    editors: string[];
    authors: string[];
    /** Undefined: detected from the articles at build time. */
    language?: string;
    description?: string;
    date?: string;
    publisher?: string;
    rights?: string;
    identifier?: string;
    cover?: string;
    slug: string;
  };
  groupBy: GroupBy;
  drafts: boolean;
  chapters?: { title: string; articles: string[] }[];
  layout: {
    name: LayoutName;
    order: PairOrder;
    epub?: LayoutName;
    pdf?: LayoutName;
    /** Set from the command line: wins over book.toml and front matter. */
    forced?: LayoutName;
    forcedOrder?: PairOrder;
    /** Keep, in a one-language edition, an article with nothing in its language (compile/editions.ts). */
    keepOtherLanguage: boolean;
  };
  templatesDir?: string;
  stylesheets: { all: string[]; epub: string[]; pdf: string[] };
  epub: { images: 'optimized' | 'original'; embedFonts: boolean };
  pdf: {
    pageSize: string;
    margins: { top: string; bottom: string; inside: string; outside: string };
  };
}

const CONFIG_FILE = 'book.toml';

export function loadConfig(options: BuildOptions = {}): Config {
  const bookDir = resolve(options.bookDir ?? '.');
  if (!existsSync(bookDir) || !statSync(bookDir).isDirectory()) {
    throw new AnthologyError(`book folder not found: ${bookDir}`);
  }
  const configFile = join(bookDir, CONFIG_FILE);
  const diagnostics: Diagnostic[] = [];
  const toml = existsSync(configFile)
    ? readBookToml(configFile, (key, removed, line) =>
        diagnostics.push({
          code: 'text/control-chars',
          file: bookRelative(bookDir, configFile),
          line,
          severity: 'warning',
          message: `${removed} control character${removed === 1 ? '' : 's'} removed from "${keyName(key)}"`,
        }),
      )
    : {};
  return {
    ...resolveConfig(bookDir, existsSync(configFile) ? configFile : undefined, toml, options),
    diagnostics,
  };
}

/** Reads and checks book.toml; every problem names the key, the file and the line. */
export function readBookToml(
  file: string,
  onControlChars: (key: (string | number)[], removed: number, line: number | undefined) => void = () => {},
): BookToml {
  const source = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = parseToml(source);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new AnthologyError(
        `invalid TOML: ${error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')}`,
        { file, line: error.line },
      );
    }
    throw error;
  }
  // TOML refuses raw control characters in strings, but not escaped ones ("\u001b").
  // the line from the text already read, not from the file read again for every key
  const checked = safeParse(
    bookTomlSchema,
    withoutControlChars(raw, [], (key, removed) => onControlChars(key, removed, lineOfKey(source, key))),
  );
  if (!checked.success) {
    const { key, message } = describeIssue(checked.issues);
    throw new AnthologyError(message, { file, line: lineOfKey(source, key) });
  }
  return checked.output;
}

type Issue = InferIssue<typeof bookTomlSchema>;

/** The first problem, in words: the key it is at and what is wrong (all the unknown keys of one table at once). */
function describeIssue(issues: [Issue, ...Issue[]]): { key: (string | number)[]; message: string } {
  const issue = issues[0];
  const key = (issue.path ?? []).map((item) => item.key as string | number);
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    // valibot stops at a table's first unknown key; the others of the table are named too
    const table = key.slice(0, -1);
    const known = knownKeys(table);
    const unknown = Object.keys(issue.path!.at(-1)!.input as object).filter((k) => !known.has(k));
    const named = (k: string) =>
      `"${keyName([...table, k])}"${didYouMean(
        k,
        [...known].filter((c) => !(c in (issue.path!.at(-1)!.input as object))),
      )}`;
    return {
      key,
      message: `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map(named).join(', ')}`,
    };
  }
  if (issue.type === 'strict_object' && issue.input === undefined)
    return { key, message: `"${keyName(key)}" is required` };
  // the schema's own messages say what is wanted; valibot's ("Invalid type: Expected ...") only the type
  const message = issue.message.startsWith('Invalid ')
    ? `must be ${issue.expected?.toLowerCase()}, received ${typeName(issue.input)}`
    : issue.message;
  return { key, message: `"${keyName(key)}" ${message}` };
}

/** The keys the schema knows in the table at `path` (through the optional and array schemas around it). */
function knownKeys(path: (string | number)[]): Set<string> {
  type Node = { wrapped?: Node; item?: Node; entries?: Record<string, Node> } | undefined;
  const unwrap = (node: Node): Node =>
    node?.wrapped ? unwrap(node.wrapped) : node?.item ? unwrap(node.item) : node;
  let node: Node = bookTomlSchema as Node;
  for (const part of path) if (typeof part === 'string') node = unwrap(node)?.entries?.[part];
  return new Set(Object.keys(unwrap(node)?.entries ?? {}));
}

const typeName = (value: unknown): string =>
  Array.isArray(value) ? 'array' : value instanceof Date ? 'date' : value === null ? 'null' : typeof value;

/** `chapters.1.title` reads better as `chapters[1].title`. */
function keyName(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function resolveConfig(
  bookDir: string,
  configFile: string | undefined,
  toml: BookToml,
  options: BuildOptions,
): Config {
  const from = (base: string, p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const book = toml.book ?? {};
  const contentDir = options.content
    ? resolve(options.content)
    : from(bookDir, toml.content?.folder ?? 'content');
  const titleFolder = book.title === undefined ? folderNaming(contentDir) : undefined;
  const title = book.title ?? titleFromFolder(titleFolder!);
  const outDir = options.out ? resolve(options.out) : join(bookDir, 'dist');
  const inBook = bookPath(bookDir, configFile);
  const templatesDir = toml.layout?.templates
    ? inBook(['layout', 'templates'], toml.layout.templates, 'folder')
    : undefined;
  const stylesheets = (section: 'layout' | 'epub' | 'pdf') =>
    (toml[section]?.stylesheets ?? []).map((p, i) => inBook([section, 'stylesheets', i], p, 'file'));
  return {
    bookDir,
    configFile,
    contentDir,
    outDir,
    formats: resolveFormats(options.formats),
    settingsFrom: {
      ...(configFile && options.content && !isInside(contentDir, bookDir)
        ? { configForOtherContent: configFile }
        : {}),
      ...(titleFolder ? { titleFromFolder: titleFolder } : {}),
    },
    book: {
      title,
      subtitle: book.subtitle || undefined,
      editors: book.editors ?? [],
      authors: book.authors ?? [],
      language: book.language,
      description: book.description || undefined,
      date: book.date,
      publisher: book.publisher || undefined,
      rights: book.rights || undefined,
      identifier: book.identifier || undefined,
      // A missing cover is a warning at build time (a cover is made instead); one outside the book is not.
      cover: book.cover ? inBook(['book', 'cover'], book.cover, 'file', true) : undefined,
      slug: book.slug ?? slugify(title),
    },
    groupBy: toml.content?.['group-by'] ?? 'auto',
    drafts: toml.content?.drafts ?? false,
    chapters: toml.chapters,
    layout: {
      name: toml.layout?.name ?? 'interleaved',
      order: toml.layout?.order ?? 'original-first',
      epub: toml.epub?.layout,
      pdf: toml.pdf?.layout,
      forced: options.layout,
      forcedOrder: options.order,
      keepOtherLanguage: toml.layout?.['keep-other-language'] ?? false,
    },
    templatesDir,
    stylesheets: {
      all: stylesheets('layout'),
      epub: stylesheets('epub'),
      pdf: stylesheets('pdf'),
    },
    epub: {
      images: toml.epub?.images ?? 'optimized',
      embedFonts: toml.epub?.['embed-fonts'] ?? true,
    },
    pdf: {
      pageSize: toml.pdf?.['page-size'] ?? 'A5',
      margins: {
        top: toml.pdf?.['margin-top'] ?? '18mm',
        bottom: toml.pdf?.['margin-bottom'] ?? '20mm',
        inside: toml.pdf?.['margin-inside'] ?? '20mm',
        outside: toml.pdf?.['margin-outside'] ?? '15mm',
      },
    },
  };
}

/**
 * Paths in book.toml name files of the book: resolved against the book folder, and refused when
 * they lead out of it (`..`, an absolute path, a symlink; compared as real paths, like article
 * images), when they are missing, or when they are not what they should be (a FIFO would hang
 * the build). Each message names book.toml, the key and its line.
 */
function bookPath(bookDir: string, configFile: string | undefined) {
  const root = realpathOr(bookDir);
  return (key: (string | number)[], value: string, kind: 'file' | 'folder', missingOk = false): string => {
    const fail = (problem: string): never => {
      const line = configFile ? lineOfKey(readFileSync(configFile, 'utf8'), key) : undefined;
      throw new AnthologyError(`"${keyName(key)}" = "${value}": ${problem}`, { file: configFile, line });
    };
    const path = resolve(bookDir, value);
    if (!isInside(path, bookDir) || !isInside(realpathOr(path), root))
      fail('the path leads outside the book folder; book.toml may name only files inside it');
    if (!existsSync(path))
      return missingOk
        ? path
        : fail(
            `${kind === 'file' ? (key[1] === 'stylesheets' ? 'stylesheet' : 'file') : 'templates folder'} not found: ${bookRelative(bookDir, path)}`,
          );
    const stat = statSync(path);
    if (kind === 'file' ? !stat.isFile() : !stat.isDirectory())
      fail(`not a ${kind === 'file' ? 'regular file' : 'folder'}`);
    return path;
  };
}

/** `all` is EPUB and PDF, and adds to whatever else is named (`all,html` is all three); each once. */
function resolveFormats(formats: BuildOptions['formats']): OutputFormat[] {
  if (!formats || formats.length === 0) return ['epub', 'pdf'];
  return [...new Set(formats.flatMap((f): OutputFormat[] => (f === 'all' ? ['epub', 'pdf'] : [f])))];
}

/**
 * The one place that owns the order of precedence for an article's layout:
 * defaults < book.toml [layout] < book.toml [epub]/[pdf] < front matter < command line.
 */
export function layoutFor(
  config: Config,
  target: Medium,
  meta: Pick<ArticleMeta, 'layout' | 'order'>,
): ArticleLayout {
  const layout = config.layout.forced ?? meta.layout ?? config.layout[target] ?? config.layout.name;
  const order = config.layout.forcedOrder ?? meta.order ?? config.layout.order;
  // A screen has no spreads: side by side where it is wide, one column where it is narrow.
  if (layout === 'facing' && target === 'epub') return { layout: 'side-by-side', order, asked: layout };
  return { layout, order };
}

/**
 * The folder that names a book without a title: the one that holds the articles, or its parent
 * when it is called `content` (`my-book/content`, `clips/content`): never the current folder
 * merely because the command ran there.
 */
function folderNaming(contentDir: string): string {
  return basename(contentDir) === 'content' ? dirname(contentDir) : contentDir;
}

/** The folder's name as it is written, as `anthology new` writes it into book.toml. */
function titleFromFolder(dir: string): string {
  return (withoutControlChars(basename(dir), [], () => {}) as string).trim() || 'Anthology';
}
