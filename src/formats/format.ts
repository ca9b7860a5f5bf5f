/**
 * The one interface every output implements (as mdBook's `Renderer` with its `RenderContext`).
 * A format receives the final Book and a context, writes one file (or folder) into the output
 * folder atomically, and reports what it notices through the context; it never changes the Book.
 * A new format is a new folder here and one line in `build.ts`.
 */
import { join } from 'node:path';
import type { Cache } from '../assets/cache.js';
import type { BrowserPool } from '../browser/index.js';
import type { Config, OutputFormat } from '../config/index.js';
import type { Book, Diagnostic } from '../model.js';
import type { Theme } from '../theme/index.js';

export interface Format {
  name: OutputFormat;
  write(book: Book, ctx: FormatContext): Promise<OutputFile>;
}

/** What every format may use; nothing else. */
export interface FormatContext {
  config: Config;
  /** Templates, strings and styles, loaded once per build. */
  theme: Theme;
  /** Results of slow, pure work kept between builds (images, covers, font subsets). */
  cache: Cache;
  /** One Chromium for the build, launched when a format first asks for it, always closed. */
  browser: BrowserPool;
  report(diagnostic: Diagnostic): void;
  /** Long work says how far it is (`images`, 3, 169), shown on a terminal as a moving count; optional. */
  progress?(what: string, done?: number, total?: number): void;
  /**
   * What one format learns for the formats after it in the same build: the pdf format says where
   * each printed page begins, the EPUB marks those places (a page list), so that a reader of
   * either cites the same page. build.ts runs the pdf format first when both are asked for.
   */
  printed: { pages?: PrintedPage[] };
}

/** Where one page of the printed book begins, in the Book's terms. */
export interface PrintedPage {
  /** The page's folio as printed. */
  label: string;
  /**
   * The chapter opener or the article that begins the page, or the leaf block (numbered as
   * bilingual/layout.ts numbers them) that the page begins in.
   */
  at: { chapter: string } | { article: string; block?: number };
}

export interface OutputFile {
  format: OutputFormat;
  /** The file written (for a folder: its main file). */
  path: string;
  bytes: number;
  pages?: number;
}

/** Where a format writes: `<out folder>/<slug><suffix>`. */
export function outputPath(book: Book, ctx: FormatContext, suffix: string): string {
  return join(ctx.config.outDir, `${book.meta.slug}${suffix}`);
}
