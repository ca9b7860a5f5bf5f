/**
 * The plain values that travel between the stages of the compiler:
 * config -> collect -> parse -> pair -> passes -> formats.
 * Nothing here has behaviour or hidden state; everything is serializable to JSON.
 */

export type Severity = 'error' | 'warning' | 'info';

/**
 * Every diagnostic the compiler reports has one of these codes: stable names that tools group and
 * filter by (never by the message, whose wording may change). The README lists them.
 */
export const DIAGNOSTIC_CODES = [
  'article/empty',
  'article/unreadable',
  'article/not-text',
  'article/too-large',
  'article/other-language',
  'text/invalid-utf8',
  'text/control-chars',
  'text/cjk-space',
  'markdown/too-deep',
  'front-matter/layout',
  'front-matter/date',
  'front-matter/no-opening',
  'chapter/untitled',
  'chapter/no-match',
  'chapter/left-out',
  'chapter/auto',
  'pair/untranslated',
  'pair/none',
  'pair/orphan',
  'pair/two-translations',
  'pair/shared-translation',
  'image/remote',
  'image/outside',
  'image/missing',
  'image/unreadable',
  'image/unusable',
  'image/unsafe-svg',
  'image/repaired',
  'image/no-alt',
  'link/dropped',
  'link/retargeted',
  'link/repaired',
  'link/own-page',
  'note/unmatched',
  'note/unreferenced',
  'font/missing-glyph',
  'print/blocked',
  'cover/unusable',
  'cover/missing',
  'epub/too-large',
  'layout/no-spreads',
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/**
 * A message about the input. `file` is relative to the book folder (`/`-separated; absolute when
 * the file lies outside it), with the 1-based line (and column) where known.
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/**
 * The bilingual layouts: how an original and its translation are shown. `facing` is for print
 * (the original on the left page, its translation on the right); screens show it side by side.
 */
export const LAYOUTS = ['interleaved', 'side-by-side', 'original', 'translation', 'facing'] as const;
export type LayoutName = (typeof LAYOUTS)[number];
export type PairOrder = 'original-first' | 'translation-first';

/** Front matter of one article, normalised from the Zola style (`extra.*`) or flat keys. */
export interface ArticleMeta {
  /** The title as the book shows it (in the corpus: the translated title). */
  title: string;
  originalTitle?: string;
  /** The byline as the book shows it: the authors' names, cleaned of clipping debris. */
  author?: string;
  /** Each author of the original, one clean name each. */
  authors: string[];
  /** The URL the article was clipped from. */
  source?: string;
  hostname?: string;
  /** ISO 8601 as written in the front matter, offset kept (`2022-12-01T22:59:21+08:00`). */
  date?: string;
  tags: string[];
  /** Language the front matter claims for the original; a hint only, often wrong. */
  lang?: string;
  layout?: LayoutName;
  order?: PairOrder;
  draft: boolean;
}

/** One article as found on disk, before its Markdown is parsed. */
export interface ArticleSource {
  /** Stable, unique within the book, usable as a file name and an XML id. */
  id: string;
  /** Absolute path of the Markdown file. */
  file: string;
  /** Path relative to the content folder, `/`-separated, for messages and globs. */
  relPath: string;
  /** Folder the article's relative links and images resolve against. */
  dir: string;
  meta: ArticleMeta;
  /** The Markdown after the front matter. */
  body: string;
  /** 1-based line number of the body's first line in `file`. */
  bodyLine: number;
}

export interface ChapterSource {
  id: string;
  title: string;
  articles: ArticleSource[];
}

/** A piece of text in one language, as a well-formed XHTML fragment and as plain text. */
export interface Segment {
  /** BCP 47 tag: `en`, `zh`, ... ; `und` when nothing can be told. */
  lang: string;
  html: string;
  text: string;
}

/** Leaf block kinds (what `anthology pairs` calls a block's type). */
export type LeafType = 'paragraph' | 'heading' | 'code' | 'image' | 'table' | 'html' | 'rule';

/** An original and its translation, shown together according to the layout. */
export interface PairBlock {
  kind: 'pair';
  type: 'paragraph' | 'heading';
  /** Heading level 1-6, for headings. */
  level?: number;
  /** A heading's id, when a link in the book leads to it (unique in the book). */
  id?: string;
  line: number;
  original: Segment;
  translation: Segment;
}

/** A block shown once in every layout: code, images, tables, untranslated text. */
export interface SingleBlock {
  kind: 'single';
  type: LeafType;
  level?: number;
  /** A heading's id, when a link in the book leads to it (unique in the book). */
  id?: string;
  line: number;
  segment: Segment;
}

export interface ListItem {
  line: number;
  blocks: Block[];
}

export interface ListBlock {
  kind: 'list';
  ordered: boolean;
  start?: number;
  line: number;
  items: ListItem[];
}

export interface QuoteBlock {
  kind: 'quote';
  line: number;
  blocks: Block[];
}

/**
 * A note (a footnote of the source, GitHub's `[^1]` or one clipped from a web page), moved to its
 * article's end by the notes pass. Its blocks pair like any others (the note and its translated
 * note sit together); the references to it are links `#<id>` marked as note references.
 */
export interface NoteBlock {
  kind: 'note';
  /** Unique in the book: `<articleId>-note-<label>`. */
  id: string;
  /** The note's number or name as its source wrote it (`1`, `sqlnote`). */
  label: string;
  line: number;
  blocks: Block[];
  /** The id of the first reference in each language's text, for the note's way back. */
  backlinks: { original?: string; translation?: string };
}

export type Block = PairBlock | SingleBlock | ListBlock | QuoteBlock | NoteBlock;

/** An image (or other file) the book carries, found next to an article. */
export interface Asset {
  /** Absolute path of the file on disk. */
  path: string;
  /** Where it lives inside the book, e.g. `images/3f2a9c-figure.png`. */
  href: string;
  mediaType: string;
}

/** How one article is shown in one output. */
export interface ArticleLayout {
  layout: LayoutName;
  order: PairOrder;
  /** The layout asked for, when this medium cannot show it (`facing` on a screen has no spreads). */
  asked?: LayoutName;
}

/**
 * What a book is made for: screens (the EPUB and what builds on it) or print (the PDF and its HTML
 * preview). Each has its own layout (`[epub]`, `[pdf]` in book.toml) and stylesheet.
 */
export type Medium = 'epub' | 'pdf';

export interface Article {
  id: string;
  /** The Markdown file, relative to the book folder (as diagnostics name it). */
  source: string;
  /** The folder of the Markdown file (absolute): where its relative links and images point from. */
  dir: string;
  meta: ArticleMeta;
  /** Languages the article's pairs were found in (detected, not declared). */
  originalLang: string;
  translationLang: string;
  /** The link to the original (`meta.source` as a valid URL); absent when the source is not one. */
  sourceLink?: string;
  /** The article's layout in each output, decided once by the compile stage. */
  layouts: Record<Medium, ArticleLayout>;
  blocks: Block[];
}

export interface Chapter {
  id: string;
  title: string;
  articles: Article[];
}

export interface BookMeta {
  title: string;
  subtitle?: string;
  editors: string[];
  authors: string[];
  /** The book's main language (BCP 47). */
  language: string;
  description?: string;
  /** ISO 8601 date of the book. */
  date?: string;
  publisher?: string;
  rights?: string;
  identifier: string;
  /** Absolute path of the cover image, if any. */
  cover?: string;
  /** Used for output file names. */
  slug: string;
}

export interface Book {
  meta: BookMeta;
  chapters: Chapter[];
  assets: Asset[];
  diagnostics: Diagnostic[];
}
