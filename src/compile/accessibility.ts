/**
 * The accessibility pass: every image has a text alternative or is decorative, every link has a
 * name, every table header says something (what DAISY Ace checks, and what a screen reader needs).
 *
 * - An image without `alt` takes its `title`, or its figure's caption.
 * - An image that is all a link holds (clipped pages link thumbnails to the full picture) names
 *   the link: it takes the name of its file, in words, for want of anything better.
 * - Any other image without a description in its source is decorative (`alt=""`): the reader is
 *   told nothing rather than a file name. Each such image is reported (`image/no-alt`, info) so an
 *   editor can write a description.
 * - An empty table header cell becomes a data cell.
 * Runs before the images pass, so that an image's file name is still the one its article gave.
 */
import { basename, extname } from 'node:path';
import { getAttr, rewriteXhtml, withAttr, type XElement, type XNode } from '../markdown/xhtml-tree.js';
import { mapBookSegments } from '../walk.js';
import type { Pass } from './pass.js';

export const describeImages: Pass = (book, ctx) =>
  mapBookSegments(book, (segment, article, { line }) => {
    if (!segment.html.includes('<img') && !segment.html.includes('<th')) return segment;
    const noAlt = (src: string, what: string) =>
      ctx.report({
        code: 'image/no-alt',
        severity: 'info',
        file: article.source,
        line,
        message: `image without a description in its article (${what}): ${src}`,
      });
    const html = rewriteXhtml(segment.html, (element): XNode => {
      if (
        element.name === 'th' &&
        !textOf(element).trim() &&
        !element.children.some((c) => c.type === 'element' && c.name === 'img')
      )
        return { ...element, name: 'td' };
      if (element.name === 'img') {
        const title = getAttr(element, 'title')?.trim();
        return !getAttr(element, 'alt')?.trim() && title ? withAttr(element, 'alt', title) : element;
      }
      if (element.name === 'figure') {
        const caption = element.children.find(
          (c): c is XElement => c.type === 'element' && c.name === 'figcaption',
        );
        const text = caption && textOf(caption).replace(/\s+/g, ' ').trim();
        return text
          ? mapImages(element, (img) => (getAttr(img, 'alt')?.trim() ? img : withAttr(img, 'alt', text)))
          : element;
      }
      if (element.name === 'a' && !textOf(element).trim()) {
        return mapImages(element, (img) => {
          if (getAttr(img, 'alt')?.trim()) return img;
          const src = getAttr(img, 'src') ?? '';
          noAlt(src, 'named after its file, as it is all its link holds');
          return withAttr(img, 'alt', fileWords(src) || 'image');
        });
      }
      return element;
    });
    // Images that are still without a description are decorative.
    countDecorative(html, (src) => noAlt(src, 'shown as decorative'));
    return html === segment.html ? segment : { ...segment, html };
  });

/** The text of an element as a reader hears it (images by their alt text). */
function textOf(node: XNode): string {
  if (node.type === 'text') return node.value;
  if (node.name === 'img') return getAttr(node, 'alt') ?? '';
  return node.children.map(textOf).join('');
}

function mapImages(element: XElement, fn: (img: XElement) => XElement): XElement {
  return {
    ...element,
    children: element.children.map((child) =>
      child.type !== 'element' ? child : child.name === 'img' ? fn(child) : mapImages(child, fn),
    ),
  };
}

function countDecorative(html: string, report: (src: string) => void): void {
  if (!html.includes('<img')) return;
  rewriteXhtml(html, (element) => {
    if (element.name === 'img' && !getAttr(element, 'alt')?.trim()) report(getAttr(element, 'src') ?? '');
    return element;
  });
}

/** `Screenshot_2022-11-20%20at%2010.35.png` -> `Screenshot 2022 11 20 at 10.35`. */
function fileWords(src: string): string {
  let name = src.split(/[?#]/)[0]!;
  try {
    name = decodeURIComponent(name);
  } catch {
    // as written
  }
  return basename(name, extname(name))
    .replace(/[-_+]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
