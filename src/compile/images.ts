/**
 * The images pass: every `<img>` of the articles is given its place in the book
 * (`images/<article>-<name>.<ext>`), after its file is found inside the content folder (a name
 * that misses only by extension or letter case is repaired, with a warning). Remote images are
 * never fetched: they become a link. Images that cannot be found become their alt text.
 */
import { basename, extname, relative } from 'node:path';
import { realpathSync, statSync } from 'node:fs';
import { checkImageFile } from '../assets/check.js';
import { EXTENSION_FOR, findImageFile, sniffImageType } from '../assets/images.js';
import { getAttr, rewriteXhtml, withAttr, type XElement, type XNode } from '../markdown/xhtml.js';
import type { Asset, Book, DiagnosticCode } from '../model.js';
import { mapBookSegments } from '../walk.js';
import type { Pass } from './pass.js';

export const localizeImages: Pass = (book, ctx) => {
  const contentDir = realpathSync(ctx.config.contentDir);
  const byPath = new Map<string, Asset>();
  const hrefs = new Set(book.assets.map((a) => a.href.toLowerCase()));
  const register = (path: string, mediaType: string, articleId: string): Asset => {
    const known = byPath.get(path);
    if (known) return known;
    const stem = basename(path, extname(path)).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'image';
    const base = `images/${articleId.replace(/^a-/, '').slice(0, 24)}-${stem}`;
    const ext = EXTENSION_FOR[mediaType]!;
    let href = `${base}${ext}`;
    for (let n = 2; hrefs.has(href.toLowerCase()); n++) href = `${base}-${n}${ext}`;
    const asset: Asset = { path, href, mediaType };
    byPath.set(path, asset);
    hrefs.add(href.toLowerCase());
    return asset;
  };

  const localized: Book = mapBookSegments(book, (segment, article, { line }) => {
    if (!segment.html.includes('<img')) return segment;
    const warn = (code: DiagnosticCode, message: string) => ctx.report({ code, severity: 'warning', file: article.source, line, message });
    const html = rewriteXhtml(segment.html, (element): XNode => {
      if (element.name !== 'img') return element;
      const src = getAttr(element, 'src') ?? '';
      const alt = getAttr(element, 'alt') ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
        if (/^data:image\//i.test(src)) return element;
        warn('image/remote', `remote image not fetched, shown as a link: ${src}`);
        return el('a', [['class', 'remote-image'], ['href', src]], alt || src);
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
      if (check.removed?.length) warn('image/unsafe-svg', `SVG image ${src}: removed ${check.removed.join(', ')}`);
      if (found.repaired) warn('image/repaired', `image "${src}" not found; using "${relative(article.dir, found.path)}"`);
      return withAttr(element, 'src', register(found.path, mediaType, article.id).href);
    });
    return html === segment.html ? segment : { ...segment, html };
  });
  return { ...localized, assets: [...book.assets, ...byPath.values()] };
};

function el(name: string, attrs: [string, string][], text: string): XElement {
  return { type: 'element', name, attrs, children: text ? [{ type: 'text', value: text }] : [] };
}

/** Where an image was: its alt text in brackets, so the reader knows something is missing. */
function missingImage(alt: string): XElement {
  return el('span', [['class', 'missing-image']], alt ? `[${alt}]` : '');
}
