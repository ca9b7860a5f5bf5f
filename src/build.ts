import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { articleBlocks } from './bilingual/index.js';
import { collectBook } from './collect/index.js';
import { displayPath, layoutFor, loadConfig, type BuildOptions, type Config, type OutputFormat } from './config/index.js';
import { createImageRegistry, localizeImages } from './assets/images.js';
import { fontRoots } from './assets/fonts.js';
import { AnthologyError } from './errors.js';
import type { Article, Book, BookMeta, ChapterSource, Diagnostic } from './model.js';
import { writeEpub } from './output/epub.js';
import { writeBookPdf } from './output/pdf.js';
import { temporaryNameFor } from './output/atomic.js';
import { derivedIdentifier } from './render/epub.js';
import { epubPackage } from './assets/epub.js';
import { renderPrintBook, renderPrintHtml } from './render/print.js';
import { loadTemplates, BUILTIN_STYLES } from './render/templates.js';

export type BuildEvent =
  | { type: 'stage'; message: string }
  | { type: 'wrote'; format: OutputFormat; file: string; bytes: number; ms: number; pages?: number };

export interface BuildRequest extends BuildOptions {
  onEvent?: (event: BuildEvent) => void;
}

export interface OutputFile {
  format: OutputFormat;
  path: string;
  bytes: number;
  pages?: number;
}

export interface BuildResult {
  book: Book;
  files: OutputFile[];
  diagnostics: Diagnostic[];
}

/** The whole pipeline: config -> collect -> parse and pair -> render -> output. */
export async function build(request: BuildRequest = {}): Promise<BuildResult> {
  const emit = request.onEvent ?? (() => {});
  const config = loadConfig(request);
  emit({ type: 'stage', message: `reading articles in ${displayPath(config.contentDir)}` });
  const book = compileBook(config);
  const files: OutputFile[] = [];
  const templates = loadTemplates(book.meta.language, config.templatesDir);
  for (const format of config.formats) {
    emit({ type: 'stage', message: `writing ${format.toUpperCase()}` });
    const started = Date.now();
    const file = await writeFormat(format, book, config, templates);
    files.push(file);
    emit({ type: 'wrote', format, file: file.path, bytes: file.bytes, ms: Date.now() - started, pages: file.pages });
  }
  return { book, files, diagnostics: book.diagnostics };
}

/** Collects, parses and pairs every article, and gathers its images: the Book every output reads. */
export function compileBook(config: Config): Book {
  const collected = collectBook(config);
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  const registry = createImageRegistry(config.contentDir);
  const chapters = collected.chapters.map((chapter: ChapterSource) => ({
    id: chapter.id,
    title: chapter.title,
    articles: chapter.articles.map((source): Article => {
      const parsed = articleBlocks(source, { file: displayPath(source.file) });
      diagnostics.push(...parsed.diagnostics);
      const { layout, order } = layoutFor(config, 'epub', source.meta);
      const article: Article = {
        id: source.id,
        source: source.relPath,
        meta: source.meta,
        originalLang: parsed.originalLang,
        translationLang: parsed.translationLang,
        layout,
        order,
        blocks: parsed.blocks,
      };
      return localizeImages(article, source.file, registry, diagnostics);
    }),
  }));
  return { meta: bookMeta(config, collected.language), chapters, assets: [...registry.byPath.values()], diagnostics };
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

async function writeFormat(format: OutputFormat, book: Book, config: Config, templates: ReturnType<typeof loadTemplates>): Promise<OutputFile> {
  const base = join(config.outDir, book.meta.slug);
  switch (format) {
    case 'epub': {
      const path = `${base}.epub`;
      await writeEpub(await epubPackage(book, config, templates), path);
      return { format, path, bytes: (await stat(path)).size };
    }
    case 'pdf': {
      const path = `${base}.pdf`;
      const workDir = await mkdtemp(join(tmpdir(), 'anthology-print-'));
      try {
        await copyImages(book, workDir);
        const print = renderPrintBook(book, config, templates);
        for (const { source, characters } of print.uncovered) {
          const list = characters.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
          book.diagnostics.push({ code: 'font/missing-glyph', file: displayPath(join(config.contentDir, source)), severity: 'warning', message: `no bundled font has ${list}; the PDF takes it from a system font, if any` });
        }
        const { pages } = await writeBookPdf({
          body: print.body,
          front: print.front,
          entries: print.entries,
          workDir,
          allowedRoots: [workDir, BUILTIN_STYLES, ...fontRoots()],
          outFile: path,
          metadata: {
            title: book.meta.title,
            author: [...book.meta.editors, ...book.meta.authors].join(', ') || undefined,
            language: book.meta.language,
            subject: book.meta.description,
          },
        });
        return { format, path, bytes: (await stat(path)).size, pages };
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    }
    case 'html': {
      // A preview of the PDF: the print HTML with its images, in a folder of its own.
      const folder = `${base}-print`;
      const staging = temporaryNameFor(folder);
      await mkdir(staging, { recursive: true });
      try {
        await copyImages(book, staging);
        const html = renderPrintHtml(book, config, templates);
        await writeFile(join(staging, 'index.html'), html);
        await rm(folder, { recursive: true, force: true });
        await rename(staging, folder);
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        throw error;
      }
      return { format, path: join(folder, 'index.html'), bytes: (await stat(join(folder, 'index.html'))).size };
    }
    default:
      throw new AnthologyError(`unknown output format: ${String(format)}`);
  }
}

async function copyImages(book: Book, dir: string): Promise<void> {
  for (const asset of book.assets) {
    const target = join(dir, asset.href);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(asset.path, target);
  }
}
