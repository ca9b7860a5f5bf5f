/** Every output format, by the name `--format` and book.toml use, and the context they share. */
import { cacheDirFor, openCache } from '../assets/cache.js';
import { createBrowserPool } from '../browser/index.js';
import type { Config, OutputFormat } from '../config/index.js';
import type { Book, Diagnostic } from '../model.js';
import { loadTheme } from '../theme/index.js';
import { epubFormat } from './epub/index.js';
import type { Format, FormatContext } from './format.js';
import { htmlFormat } from './html/index.js';
import { pdfFormat } from './pdf/index.js';

export const FORMATS: Readonly<Record<OutputFormat, Format>> = {
  epub: epubFormat,
  pdf: pdfFormat,
  html: htmlFormat,
};

export interface ContextOptions {
  /** The build cache folder; default `<bookDir>/.anthology-cache` (or ANTHOLOGY_CACHE_DIR); `false` for none. */
  cacheDir?: string | false;
  report(diagnostic: Diagnostic): void;
}

/** The context for writing `book`'s formats; `close()` (in a `finally`) closes the shared browser. */
export function createFormatContext(config: Config, book: Book, options: ContextOptions): FormatContext & { close(): Promise<void> } {
  const browser = createBrowserPool();
  return {
    config,
    theme: loadTheme(config, book.meta.language),
    cache: openCache(options.cacheDir === false ? undefined : (options.cacheDir ?? cacheDirFor(config.bookDir))),
    browser,
    report: options.report,
    close: () => browser.close(),
  };
}

export type { Format, FormatContext, OutputFile } from './format.js';
