/**
 * The images pass: every `<img>` of the articles is given its place in the book
 * (`images/<folder>-<name>-<hash>.<ext>`, from the file alone), after its file is found inside the
 * content folder (a name that misses only by extension or letter case is repaired, with a warning).
 * Remote images are never fetched: they become a link. Images that cannot be found become their alt text.
 */
import { createHash } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, relative, sep } from 'node:path';
import { fileState } from '../assets/cache.js';
import { checkImageFile } from '../assets/check.js';
import { EXTENSION_FOR, findImageFile, sniffImageType } from '../assets/images.js';
import {
  getAttr,
  readXhtml,
  rewriteXhtml,
  withAttr,
  type XElement,
  type XNode,
} from '../markdown/xhtml-tree.js';
import type { Asset, Block, Book, DiagnosticCode } from '../model.js';
import { mapBookSegments, segmentsOf } from '../walk.js';
import type { Pass } from './pass.js';

/** A `src` that names a place on the network (or in the URL itself), not a file of the book. */
const isRemote = (src: string) => /^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//');

/**
 * An image's place in the book, from its file alone: the same in every build, whichever articles
 * show it (an incremental build keeps some articles from an earlier one). Its folder and name for
 * the reader of the file list, and a hash of its path in the content folder that keeps apart two
 * files whose names read alike.
 */
function imageHref(path: string, contentDir: string, mediaType: string): string {
  const words = (s: string, length: number) =>
    s
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .slice(0, length)
      .replace(/^-+|-+$/g, '');
  const folder = words(basename(dirname(path)), 24);
  const stem = words(basename(path, extname(path)), 40) || 'image';
  const hash = createHash('sha256')
    .update(relative(contentDir, path).split(sep).join('/'))
    .digest('hex')
    .slice(0, 8);
  return `images/${folder ? `${folder}-` : ''}${stem}-${hash}${EXTENSION_FOR[mediaType]!}`;
}

/** The `src` of every local image of the blocks, once each, in order (what the pass will look for). */
export function localImageSources(blocks: Block[]): string[] {
  const sources = new Set<string>();
  const visit = (nodes: XNode[]) => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      const src = node.name === 'img' ? getAttr(node, 'src') : undefined;
      if (src !== undefined && !isRemote(src)) sources.add(src);
      visit(node.children);
    }
  };
  for (const segment of segmentsOf(blocks)) if (segment.html.includes('<img')) visit(readXhtml(segment.html));
  return [...sources];
}

/**
 * What the pass would find for each source now, as one string: which file (or none), and that
 * file's size, times and inode. An image added, replaced, touched or moved changes it, so an
 * incremental build checks an article's images again (the check reads the whole file: this only stats it).
 */
export function imageFingerprint(sources: string[], articleDir: string, contentDir: string): string {
  return sources
    .map((src) => {
      const found = findImageFile(src, articleDir, contentDir);
      if (found.kind !== 'file') return `${src}\0${found.kind}`;
      return `${src}\0${found.path}\0${found.repaired}\0${fileState(statSync(found.path))}`;
    })
    .join('\n');
}

export const localizeImages: Pass = (book, ctx) => {
  const contentDir = realpathSync(ctx.config.contentDir);
  const byPath = new Map<string, Asset>(book.assets.map((asset) => [asset.path, asset]));
  const register = (path: string, mediaType: string): Asset => {
    const known = byPath.get(path);
    if (known) return known;
    const asset: Asset = { path, href: imageHref(path, contentDir, mediaType), mediaType };
    byPath.set(path, asset);
    return asset;
  };

  const localized: Book = mapBookSegments(book, (segment, article, { line }) => {
    if (!segment.html.includes('<img')) return segment;
    const warn = (code: DiagnosticCode, message: string) =>
      ctx.report({ code, severity: 'warning', file: article.source, line, message });
    const html = rewriteXhtml(segment.html, (element): XNode => {
      if (element.name !== 'img') return element;
      const src = getAttr(element, 'src') ?? '';
      const alt = getAttr(element, 'alt') ?? '';
      if (isRemote(src)) {
        if (/^data:image\//i.test(src)) return element;
        warn('image/remote', `remote image not fetched, shown as a link: ${src}`);
        return el(
          'a',
          [
            ['class', 'remote-image'],
            ['href', src],
          ],
          alt || src,
        );
      }
      const found = findImageFile(src, article.dir, contentDir);
      if (found.kind === 'outside') {
        warn('image/outside', `image outside the content folder left out: ${src}`);
        return missingImage(alt);
      }
      if (found.kind === 'missing') {
        warn('image/missing', `image not found: ${src}`);
        return missingImage(alt);
      }
      const mediaType = sniffImageType(found.path);
      if (!mediaType) {
        warn('image/unreadable', `not an image file (PNG, JPEG, GIF, WebP or SVG): ${src}`);
        return missingImage(alt);
      }
      // Decoded far enough to know it is whole and of a sane size; an SVG sanitised (check.ts).
      const check = checkImageFile(found.path, mediaType, statSync(found.path).size);
      if (!check.ok) {
        warn('image/unusable', `image left out: ${src}: ${check.reason}`);
        return missingImage(alt);
      }
      if (check.removed?.length)
        warn('image/unsafe-svg', `SVG image ${src}: removed ${check.removed.join(', ')}`);
      if (found.repaired)
        warn('image/repaired', `image "${src}" not found; using "${relative(article.dir, found.path)}"`);
      return withAttr(element, 'src', register(found.path, mediaType).href);
    });
    return html === segment.html ? segment : { ...segment, html };
  });
  return { ...localized, assets: [...byPath.values()] };
};

function el(name: string, attrs: [string, string][], text: string): XElement {
  return { type: 'element', name, attrs, children: text ? [{ type: 'text', value: text }] : [] };
}

/** Where an image was: its alt text in brackets, so the reader knows something is missing. */
function missingImage(alt: string): XElement {
  return el('span', [['class', 'missing-image']], alt ? `[${alt}]` : '');
}
