/**
 * The one fixture builder for book tests (as mdBook's `BookTest`): a book folder in a temporary
 * folder, made from a fixture under test/fixtures or from scratch, built through the public API
 * (every format, or one format through the Format interface), with what a reader gets at hand.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type BuildRequest, type BuildResult, build, createFormatContext, FORMATS } from '../src/build.js';
import { compileBook } from '../src/compile/index.js';
import { type BuildOptions, loadConfig, type OutputFormat } from '../src/config/index.js';
import type { OutputFile } from '../src/formats/format.js';
import type { Book, Diagnostic } from '../src/model.js';
import { fixture } from './helpers.js';
import { readEpub } from './inspect.js';

export class BookTest {
  /** The book folder. */
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** An empty book folder (no book.toml, an empty content folder). */
  static create(prefix = 'anthology-book-'): BookTest {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(dir, 'content'));
    return new BookTest(dir);
  }

  /** A copy of test/fixtures/<name>, free to change. */
  static fromFixture(name: string): BookTest {
    const dir = mkdtempSync(join(tmpdir(), `anthology-${name}-`));
    cpSync(fixture(name), dir, { recursive: true });
    return new BookTest(dir);
  }

  /** Writes book.toml. */
  toml(text: string): this {
    return this.file('book.toml', text);
  }

  /**
   * Writes an article under content/: the Markdown body, with YAML front matter from `meta`
   * (`title` defaults to the file's name) unless the text already starts with front matter.
   */
  article(path: string, markdown: string, meta: Record<string, unknown> = {}): this {
    const hasFrontMatter = /^(---|\+\+\+)\n/.test(markdown);
    const front = {
      title: path
        .replace(/(\/index)?\.md$/, '')
        .split('/')
        .pop(),
      ...meta,
    };
    const yaml = Object.entries(front)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n');
    return this.file(join('content', path), hasFrontMatter ? markdown : `---\n${yaml}\n---\n\n${markdown}`);
  }

  /** Writes any file of the book (an image, a template, a stylesheet). */
  file(path: string, data: string | Uint8Array): this {
    const target = join(this.dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    return this;
  }

  /** Where builds write, unless told otherwise: `<book>/dist`. */
  get out(): string {
    return join(this.dir, 'dist');
  }

  /** Builds through `build()`, the whole pipeline; the cache is the book's own unless given. */
  build(request: Omit<BuildRequest, 'bookDir'> = {}): Promise<BuildResult> {
    return build({ bookDir: this.dir, ...request });
  }

  /** The Book every format receives. */
  compile(options: Omit<BuildOptions, 'bookDir'> = {}): Book {
    return compileBook(loadConfig({ bookDir: this.dir, ...options }));
  }

  /** One format, through the Format interface, on the compiled Book; with what it reported. */
  async write(
    format: OutputFormat,
    options: Omit<BuildOptions, 'bookDir' | 'formats'> & { cacheDir?: string | false } = {},
  ): Promise<{ file: OutputFile; book: Book; reported: Diagnostic[] }> {
    const config = loadConfig({ bookDir: this.dir, ...options, formats: [format] });
    const book = compileBook(config);
    const reported: Diagnostic[] = [];
    const ctx = createFormatContext(config, book, {
      cacheDir: options.cacheDir,
      report: (d) => reported.push(d),
    });
    try {
      return { file: await (await FORMATS[format]()).write(book, ctx), book, reported };
    } finally {
      await ctx.close();
    }
  }

  /** The EPUB a build wrote, unzipped. */
  static epubOf(result: BuildResult | { file: OutputFile }): ReturnType<typeof readEpub> {
    const file = 'files' in result ? result.files.find((f) => f.format === 'epub')?.path : result.file.path;
    if (!file) throw new Error('the build wrote no EPUB');
    return readEpub(file);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
