/**
 * The pipeline: config -> compile (collect, parse, pair, passes) -> for each format: write.
 * Formats share one theme, one cache and one lazily started browser, closed at the end whatever
 * happens; what they report joins the book's own diagnostics.
 */
import { cacheDirFor, openCache } from './assets/cache.js';
import { createBrowserPool } from './browser/index.js';
import { compileBook } from './compile/index.js';
import { type BuildOptions, type Config, loadConfig, type OutputFormat } from './config/index.js';
import type { Format, FormatContext, OutputFile } from './formats/format.js';
import { prepareOutDir, writeError } from './fs/atomic.js';
import { sweepStale } from './fs/cleanup.js';
import { type ArticleCacheStats, type ArticleMemory, openArticleCache } from './incremental/index.js';
import type { Book, Diagnostic } from './model.js';
import { loadTheme } from './theme/index.js';
import { articlesOf, countPairs } from './walk.js';

/**
 * Every output format, by the name `--format` uses. A new format is a folder in formats/ and a line
 * here. Each is loaded when a build asks for it: a build of the EPUB alone does not load the PDF's code.
 */
export const FORMATS: Readonly<Record<OutputFormat, () => Promise<Format>>> = {
  epub: async () => (await import('./formats/epub/index.js')).epubFormat,
  kepub: async () => (await import('./formats/kepub/index.js')).kepubFormat,
  pdf: async () => (await import('./formats/pdf/index.js')).pdfFormat,
  html: async () => (await import('./formats/html/index.js')).htmlFormat,
};

export type BuildEvent =
  | { type: 'stage'; message: string }
  | { type: 'wrote'; format: OutputFormat; file: string; bytes: number; ms: number; pages?: number };

export interface BuildRequest extends BuildOptions {
  onEvent?: (event: BuildEvent) => void;
  /** The build cache folder; default `<bookDir>/.anthology-cache` (or ANTHOLOGY_CACHE_DIR); `false` for none. */
  cacheDir?: string | false;
  /** Articles' parse and pair results kept in memory between builds of one process (`build --watch`, the preview). */
  articleMemory?: ArticleMemory;
  /** The EPUB before the PDF (`build --watch`: the e-reader's book sooner; its page list waits for a plain build). */
  epubFirst?: boolean;
}

export interface BuildResult {
  book: Book;
  /** The settings it was made with (the command line says where surprising ones came from). */
  config: Config;
  /** The book folder: diagnostics name their files relative to it. */
  bookDir: string;
  files: OutputFile[];
  /** The book's diagnostics, then what the formats reported. */
  diagnostics: Diagnostic[];
  /** How many articles were parsed and paired, and how many came from the cache. */
  articles: ArticleCacheStats;
}

export async function build(request: BuildRequest = {}): Promise<BuildResult> {
  const { config, book, articles } = compile(request);
  const emit = request.onEvent ?? (() => {});
  const diagnostics = [...book.diagnostics];
  // What killed builds left in the out folder and the temporary folder goes first.
  sweepStale(config.outDir);
  await prepareOutDir(config.outDir);
  const ctx = createFormatContext(config, book, {
    cacheDir: request.cacheDir,
    report: (d) => diagnostics.push(d),
    progress: (what, done, total) =>
      emit({ type: 'stage', message: total ? `${what} ${done ?? 0}/${total}` : what }),
  });
  const files: OutputFile[] = [];
  try {
    for (const name of inBuildOrder(config.formats, !request.epubFirst)) {
      emit({ type: 'stage', message: `writing ${name.toUpperCase()}` });
      const started = Date.now();
      const file = await (await FORMATS[name]()).write(book, ctx).catch((error: unknown) => {
        throw writeError(error, `could not write the ${name.toUpperCase()} into ${config.outDir}`);
      });
      files.push(file);
      emit({
        type: 'wrote',
        format: name,
        file: file.path,
        bytes: file.bytes,
        ms: Date.now() - started,
        pages: file.pages,
      });
    }
    // The cache only grows otherwise; what a failed build did not use may still be wanted.
    await Promise.all([articles.prune(), ctx.cache.prune()]);
  } finally {
    await ctx.close();
  }
  return { book, config, bookDir: config.bookDir, files, diagnostics, articles: articles.stats };
}

/** Settings read, articles read, parsed (or taken from the cache), paired and passed. */
function compile(request: BuildRequest) {
  const emit = request.onEvent ?? (() => {});
  const config = loadConfig(request);
  emit({ type: 'stage', message: 'reading articles' });
  const cacheDir = request.cacheDir === false ? undefined : (request.cacheDir ?? cacheDirFor(config.bookDir));
  const articles = openArticleCache({ dir: cacheDir, memory: request.articleMemory });
  return { config, book: compileBook(config, articles), articles };
}

export interface CheckResult {
  config: Config;
  bookDir: string;
  diagnostics: Diagnostic[];
  counts: { articles: number; chapters: number; pairs: number };
}

/**
 * `anthology check`: what a build says about the articles (pairing, front matter, images, links,
 * notes), without writing the outputs. What only a format notices (a glyph no font has, a stylesheet
 * that asks for the network) needs the build. Parsed articles are kept in the cache, as a build
 * keeps them, so a check and a build that follow each other read each article once.
 */
export async function check(request: BuildRequest = {}): Promise<CheckResult> {
  const { config, book } = compile(request);
  const articles = articlesOf(book);
  return {
    config,
    bookDir: config.bookDir,
    diagnostics: book.diagnostics,
    counts: {
      articles: articles.length,
      chapters: book.chapters.length,
      pairs: articles.reduce((n, article) => n + countPairs(article.blocks), 0),
    },
  };
}

/** The PDF first, as a rule: the EPUB (and the kepub) mark where its pages begin. */
function inBuildOrder(formats: readonly OutputFormat[], pdfFirst: boolean): OutputFormat[] {
  return [...formats].sort((a, b) => (Number(b === 'pdf') - Number(a === 'pdf')) * (pdfFirst ? 1 : -1));
}

/** The context the formats of one build share; `close()` (in a `finally`) closes the browser. */
export function createFormatContext(
  config: Config,
  book: Book,
  options: {
    cacheDir?: string | false;
    report(diagnostic: Diagnostic): void;
    progress?: FormatContext['progress'];
  },
): FormatContext & { close(): Promise<void> } {
  const browser = createBrowserPool();
  return {
    config,
    theme: loadTheme(config, book.meta.language),
    cache: openCache(
      options.cacheDir === false ? undefined : (options.cacheDir ?? cacheDirFor(config.bookDir)),
    ),
    browser,
    report: options.report,
    progress: options.progress,
    printed: {},
    close: () => browser.close(),
  };
}
