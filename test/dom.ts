/**
 * Reading rendered XHTML as a tree, to assert on structure and text (what a reader gets) rather
 * than on the renderer's exact markup.
 */
import { readXhtml, type XElement, type XNode } from '../src/markdown/xhtml-tree.js';

export type { XElement } from '../src/markdown/xhtml-tree.js';

/** Every element of a fragment (or of an element's children), depth first, in document order. */
export function elements(fragment: string | XNode[]): XElement[] {
  const out: XElement[] = [];
  const walk = (nodes: XNode[]) => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      out.push(node);
      walk(node.children);
    }
  };
  walk(typeof fragment === 'string' ? readXhtml(fragment) : fragment);
  return out;
}

export const attr = (element: XElement, name: string): string | undefined =>
  element.attrs.find(([n]) => n === name)?.[1];
export const hasClass = (element: XElement, cls: string): boolean =>
  (attr(element, 'class') ?? '').split(/\s+/).includes(cls);

/** The text of a node, as a reader sees it (an image by its alt text). */
export function textOf(node: XNode | XNode[]): string {
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node.type === 'text') return node.value;
  if (node.name === 'img') return attr(node, 'alt') ?? '';
  return node.children.map(textOf).join('');
}

/** The elements with a class, in document order. */
export const byClass = (fragment: string | XNode[], cls: string): XElement[] =>
  elements(fragment).filter((e) => hasClass(e, cls));

/** The elements of a whole XHTML document (its prolog and doctype skipped). */
export const documentElements = (xhtml: string): XElement[] => elements(xhtml.slice(xhtml.indexOf('<html')));

/** An article's body in an EPUB document or the print HTML: what the layout renders. */
export function articleBody(xhtml: string): XElement {
  const body = documentElements(xhtml).find((e) => hasClass(e, 'article-body'));
  if (!body) throw new Error('no article body');
  return body;
}
