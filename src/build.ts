/**
 * The pipeline: config -> compile (collect, parse, pair, passes) -> for each format: write.
 * Formats share one theme, one cache and one lazily started browser, closed at the end whatever
 * happens; what they report joins the book's own diagnostics.
 */
import { compileBook } from './compile/index.js';
import { loadConfig, type BuildOptions, type OutputFormat } from './config/index.js';
import { createFormatContext, FORMATS, type OutputFile } from './formats/index.js';
import type { Book, Diagnostic } from './model.js';

export type BuildEvent =
  | { type: 'stage'; message: string }
  | { type: 'wrote'; format: OutputFormat; file: string; bytes: number; ms: number; pages?: number };

export interface BuildRequest extends BuildOptions {
  onEvent?: (event: BuildEvent) => void;
  /** The build cache folder; default `<bookDir>/.anthology-cache` (or ANTHOLOGY_CACHE_DIR); `false` for none. */
  cacheDir?: string | false;
}

export interface BuildResult {
  book: Book;
  /** The book folder: diagnostics name their files relative to it. */
  bookDir: string;
  files: OutputFile[];
  /** The book's diagnostics, then what the formats reported. */
  diagnostics: Diagnostic[];
}

export async function build(request: BuildRequest = {}): Promise<BuildResult> {
  const emit = request.onEvent ?? (() => {});
  const config = loadConfig(request);
  emit({ type: 'stage', message: 'reading articles' });
  const book = compileBook(config);
  const diagnostics = [...book.diagnostics];
  const ctx = createFormatContext(config, book, { cacheDir: request.cacheDir, report: (d) => diagnostics.push(d) });
  const files: OutputFile[] = [];
  try {
    for (const name of config.formats) {
      emit({ type: 'stage', message: `writing ${name.toUpperCase()}` });
      const started = Date.now();
      const file = await FORMATS[name].write(book, ctx);
      files.push(file);
      emit({ type: 'wrote', format: name, file: file.path, bytes: file.bytes, ms: Date.now() - started, pages: file.pages });
    }
  } finally {
    await ctx.close();
  }
  return { book, bookDir: config.bookDir, files, diagnostics };
}
