/**
 * What a reader of a built book would find wrong in its text, counted: the checks the corpus
 * tests make of an EPUB, a kepub and a PDF's text layer (and that bench or a look at a new set of
 * articles can make too). Each returns the offending pieces, so a failure shows them.
 */

import { readXhtml, type XElement, type XNode } from '../src/markdown/xhtml-tree.js';
import { attr, hasClass } from './dom.js';

/** The body of a whole XHTML document (its prolog skipped), as a tree. */
function documentBody(xhtml: string): XElement | undefined {
  const find = (nodes: XNode[]): XElement | undefined => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      if (node.name === 'body') return node;
      const hit = find(node.children);
      if (hit) return hit;
    }
    return undefined;
  };
  return find(readXhtml(xhtml.slice(xhtml.indexOf('<html'))));
}

/** A sentence never starts with what closes one (or closes a quote or a bracket). */
const CLOSING_START = /^\s*[，。、；：！？）」』】》〉”’,.;:!?)\]]/u;
const WORD = /[\p{L}\p{N}]/u;

/**
 * Kobo's spans that start with closing punctuation or hold punctuation alone, but for the first
 * span of a paragraph whose own text starts so (a clipped paragraph `…and then`, a rule `____`).
 */
export function badKoboSpans(documents: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, xhtml] of Object.entries(documents)) {
    const body = documentBody(xhtml);
    if (!body) continue;
    const spans = allElements(body.children).filter((e) => e.name === 'span' && hasClass(e, 'koboSpan'));
    const paragraphHasWords = new Map<string, boolean>();
    for (const span of spans) {
      const paragraph = attr(span, 'id')!.split('.')[1]!;
      if (WORD.test(textOf(span.children))) paragraphHasWords.set(paragraph, true);
    }
    for (const span of spans) {
      const [, paragraph, sentence] = attr(span, 'id')!.split('.');
      const text = textOf(span.children);
      const first = sentence === '1';
      if ((!first && CLOSING_START.test(text)) || (!WORD.test(text) && paragraphHasWords.get(paragraph!)))
        found.push(`${name} ${attr(span, 'id')}: ${text}`);
    }
  }
  return found;
}

/** Text a reader sees (not blank, not preformatted) outside any of Kobo's spans. */
export function unspannedTexts(documents: Record<string, string>): string[] {
  const found: string[] = [];
  const walk = (name: string, nodes: XNode[], inside: boolean): void => {
    for (const node of nodes) {
      if (node.type === 'text') {
        if (!inside && node.value.trim() !== '') found.push(`${name}: ${node.value.trim().slice(0, 40)}`);
        continue;
      }
      if (node.name === 'pre') continue;
      walk(name, node.children, inside || (node.name === 'span' && hasClass(node, 'koboSpan')));
    }
  };
  for (const [name, xhtml] of Object.entries(documents)) {
    const body = documentBody(xhtml);
    if (body && !hasClass(body, 'cover')) walk(name, body.children, false);
  }
  return found;
}

/** Every element of a tree, depth first. */
function allElements(nodes: XNode[]): XElement[] {
  return nodes.flatMap((node) => (node.type === 'element' ? [node, ...allElements(node.children)] : []));
}

const textOf = (nodes: XNode[]): string =>
  nodes.map((n) => (n.type === 'text' ? n.value : textOf(n.children))).join('');
