/**
 * The EPUB format: the Book as an EPUB 3 for e-readers. Around the pure renderer (documents.ts)
 * it does what takes I/O or time: the e-reader image profile (images.ts), the cover (cover.ts),
 * embedded font subsets. Slow results are cached, so a warm build only reads files.
 */
import { stat } from 'node:fs/promises';
import { embedFonts } from '../../assets/font-subsets.js';
import { getAttr, readXhtml, rewriteXhtml, withAttr, type XNode } from '../../markdown/xhtml-tree.js';
import type { Book, Diagnostic } from '../../model.js';
import { articlesOf, mapBookSegments } from '../../walk.js';
import { type Format, type FormatContext, outputPath } from '../format.js';
import { type CoverImage, coverFromFile, generatedCover } from './cover.js';
import { documentHref, EPUB_CSS_HREF, renderEpub } from './documents.js';
import { prepareEpubImages } from './images.js';
import type { EpubPackage } from './manifest.js';
import { writeEpub } from './package.js';

/** Amazon's Send to Kindle refuses larger files. */
const SEND_TO_KINDLE_LIMIT = 50 * 1024 * 1024;

export const epubFormat: Format = {
  name: 'epub',
  async write(book, ctx) {
    const path = outputPath(book, ctx, '.epub');
    await writeEpub(await epubPackage(book, ctx), path, ctx.cache);
    const bytes = (await stat(path)).size;
    if (bytes > SEND_TO_KINDLE_LIMIT) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      ctx.report({
        code: 'epub/too-large',
        severity: 'warning',
        file: 'book.toml',
        message: `the EPUB is ${mb(bytes)}; Send to Kindle refuses files over ${mb(SEND_TO_KINDLE_LIMIT)} (try [epub] images = "optimized", or fewer articles)`,
      });
    }
    return { format: 'epub', path, bytes };
  },
};

/** The EPUB package of the book: images processed, its cover and (unless turned off) its fonts. */
export async function epubPackage(book: Book, ctx: FormatContext): Promise<EpubPackage> {
  const [images, cover] = await Promise.all([
    prepareEpubImages(book.assets, ctx.config.epub.images, ctx.cache, (done, total) =>
      ctx.progress?.('EPUB: images', done, total),
    ),
    coverOf(book, ctx),
  ]);
  const renamed = new Map(images.filter((i) => i.href !== i.sourceHref).map((i) => [i.sourceHref, i.href]));
  const epubBook = inDocuments(book, renamed);
  const pkg = renderEpub(epubBook, ctx.theme, { images, cover, printedPages: ctx.printed.pages });
  if (ctx.config.epub.embedFonts) {
    ctx.progress?.('EPUB: fonts');
    const fonts = await embedFonts(charactersOf(pkg), monoCharactersOf(epubBook), ctx.cache);
    const css = pkg.resources.find((r) => r.href === EPUB_CSS_HREF)!;
    css.data = `${fonts.css}\n${String(css.data)}`;
    for (const [index, font] of fonts.files.entries())
      pkg.resources.push({ id: `font-${index + 1}`, ...font });
  }
  return pkg;
}

/**
 * The Book as the EPUB's documents refer to it: images by the names the profile gave them (a WebP
 * becomes a JPEG), and links to another article (`#<id>`) by that article's document.
 */
function inDocuments(book: Book, renamedImages: ReadonlyMap<string, string>): Book {
  const articleIds = new Set(articlesOf(book).map((a) => a.id));
  return mapBookSegments(book, (segment, article) => {
    const images = renamedImages.size > 0 && segment.html.includes('<img');
    const links = segment.html.includes('href="#');
    if (!images && !links) return segment;
    const html = rewriteXhtml(segment.html, (element): XNode => {
      const src = element.name === 'img' ? getAttr(element, 'src') : undefined;
      if (src !== undefined && renamedImages.has(src))
        return withAttr(element, 'src', renamedImages.get(src));
      const href = element.name === 'a' ? getAttr(element, 'href') : undefined;
      const target = href?.startsWith('#') ? href.slice(1) : undefined;
      if (target && target !== article.id && articleIds.has(target))
        return withAttr(element, 'href', documentHref(target));
      return element;
    });
    return html === segment.html ? segment : { ...segment, html };
  });
}

async function coverOf(book: Book, ctx: FormatContext): Promise<CoverImage | undefined> {
  const warn = (code: Diagnostic['code'], message: string) =>
    ctx.report({ code, severity: 'warning', file: 'book.toml', message });
  if (book.meta.cover) {
    const { cover, problem } = await coverFromFile(book.meta.cover);
    if (cover) return cover;
    warn('cover/unusable', `${problem}; making a cover from the template instead`);
  }
  try {
    return await generatedCover(book.meta, ctx.theme, ctx.cache, ctx.browser);
  } catch (error) {
    warn('cover/missing', `the EPUB has no cover: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Every character a reader may be shown: those of the documents' source (their text, and markup
 * that is ASCII anyway), of the navigation, and the ones readers and the stylesheet add.
 */
function charactersOf(pkg: EpubPackage): string {
  const titles = (points: EpubPackage['toc']): string[] =>
    points.flatMap((p) => [p.title, ...titles(p.children ?? [])]);
  const printableAscii = String.fromCharCode(...Array.from({ length: 95 }, (_, i) => 32 + i));
  return [
    ...pkg.documents.map((d) => d.xhtml),
    pkg.metadata.title,
    pkg.tocTitle,
    ...titles(pkg.toc),
    printableAscii,
    ' · “”‘’—–…',
  ].join('\n');
}

/** The characters set in code: code blocks and inline code of every segment. */
function monoCharactersOf(book: Book): string {
  const out: string[] = [];
  const collect = (nodes: XNode[], inCode: boolean): void => {
    for (const node of nodes) {
      if (node.type === 'text') {
        if (inCode) out.push(node.value);
      } else collect(node.children, inCode || MONO.has(node.name));
    }
  };
  mapBookSegments(book, (segment) => {
    if (MONO_TAG.test(segment.html)) collect(readXhtml(segment.html), false);
    return segment;
  });
  return out.join('');
}

const MONO = new Set(['code', 'pre', 'kbd', 'samp']);
const MONO_TAG = /<(code|pre|kbd|samp)\b/;
