/**
 * Everything the EPUB needs that takes I/O or time, around the pure renderer: the image profile,
 * the cover, embedded font subsets. Results are cached (cache.ts), so a warm build only reads files.
 */
import type { Config } from '../config/index.js';
import { displayPath } from '../config/index.js';
import { decodeXml } from '../markdown/xhtml.js';
import type { Book, DiagnosticCode } from '../model.js';
import type { EpubPackage } from '../output/epub.js';
import { renderEpub, EPUB_CSS_HREF } from '../render/epub.js';
import type { Templates } from '../render/templates.js';
import { cacheDirFor, openCache, type Cache } from './cache.js';
import { coverFromFile, generatedCover, type CoverImage } from './cover.js';
import { embedFonts } from './epub-fonts.js';
import { prepareEpubImages } from './epub-images.js';

export interface EpubBuildOptions {
  /** The cache folder; default `<bookDir>/.anthology-cache` (or ANTHOLOGY_CACHE_DIR); `false` for none. */
  cacheDir?: string | false;
}

/** The EPUB package of the book, with its images processed, its cover and (if asked) its fonts. */
export async function epubPackage(book: Book, config: Config, templates: Templates, options: EpubBuildOptions = {}): Promise<EpubPackage> {
  const cache = openCache(options.cacheDir === false ? undefined : (options.cacheDir ?? cacheDirFor(config.bookDir)));
  const [images, cover] = await Promise.all([prepareEpubImages(book.assets, config.epub.images, cache), coverOf(book, config, templates, cache)]);
  const pkg = renderEpub(book, config, templates, { images, cover });
  if (config.epub.embedFonts) {
    const { text, mono } = textOf(pkg);
    const fonts = await embedFonts(text, mono, cache);
    const css = pkg.resources.find((r) => r.href === EPUB_CSS_HREF)!;
    css.data = `${fonts.css}\n${String(css.data)}`;
    fonts.files.forEach((font, index) => pkg.resources.push({ id: `font-${index + 1}`, ...font }));
  }
  return pkg;
}

async function coverOf(book: Book, config: Config, templates: Templates, cache: Cache): Promise<CoverImage | undefined> {
  const warn = (code: DiagnosticCode, message: string) => book.diagnostics.push({ code, file: config.configFile ? displayPath(config.configFile) : displayPath(config.bookDir), severity: 'warning', message });
  if (book.meta.cover) {
    const { cover, problem } = await coverFromFile(book.meta.cover);
    if (cover) return cover;
    warn('cover/unusable', `${problem}; making a cover from the template instead`);
  }
  const { chromiumAvailable } = await import('../output/browser.js');
  try {
    return await generatedCover(book.meta, templates, cache, chromiumAvailable());
  } catch (error) {
    warn('cover/missing', `the EPUB has no cover: ${(error as Error).message}`);
    return undefined;
  }
}

/** The characters of every document (text and attribute values a reader may show), and those set in code. */
function textOf(pkg: EpubPackage): { text: string; mono: string } {
  const all = [...pkg.documents.map((d) => d.xhtml), pkg.metadata.title, pkg.tocTitle, ...flatTitles(pkg.toc)].join('\n');
  const mono = [...all.matchAll(/<(code|pre|kbd|samp)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2]!).join('');
  const strip = (s: string) => decodeXml(s.replace(/<\?xml[^>]*>|<!DOCTYPE[^>]*>/g, '').replace(/<[^>]*>/g, ' '));
  // Generated content of the stylesheets (bylines' separator) and the figures/quotes readers add.
  return { text: strip(all) + ' · “”‘’—–…0123456789', mono: strip(mono) };
}

function flatTitles(points: EpubPackage['toc']): string[] {
  return points.flatMap((p) => [p.title, ...flatTitles(p.children ?? [])]);
}

