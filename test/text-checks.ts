/**
 * What a reader of a built book would find wrong in its text, counted: the checks the corpus
 * tests make of an EPUB, a kepub and a PDF's text layer (and that bench or a look at a new set of
 * articles can make too). Each returns the offending pieces, so a failure shows them.
 */

import { pageKey } from '../src/compile/note-markers.js';
import { readXhtml, type XElement, type XNode } from '../src/markdown/xhtml-tree.js';
import { attr, hasClass } from './dom.js';

/** Han, kana and the CJK punctuation (not Hangul: Korean puts spaces between its words). */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303F\\uFF01-\\uFF65';
/** A space (a line break in the source is one in HTML) between two CJK characters. */
const CJK_SPACE = new RegExp(`[${CJK}][ \\t\\n\\r\\u00A0]+(?=[${CJK}])`, 'gu');

/** Elements whose text is code: what a reader must see as it was written. */
const CODE = new Set(['pre', 'code', 'kbd', 'samp']);
/** Elements that start a new line or box: text does not run across them. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'img',
  'li',
  'nav',
  'ol',
  'p',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

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

/**
 * The runs of text a reader reads as one line of prose: text through inline elements, cut at
 * blocks, at code and at an element in a language of its own (a pair heading's sides, a contents
 * entry's original title: each set on its own line).
 */
function proseRuns(nodes: XNode[]): string[] {
  const runs: string[] = [''];
  const walk = (list: XNode[]): void => {
    for (const node of list) {
      if (node.type === 'text') {
        runs[runs.length - 1] += node.value;
        continue;
      }
      const cut = BLOCK.has(node.name) || CODE.has(node.name) || attr(node, 'lang') !== undefined;
      if (cut) runs.push('');
      if (!CODE.has(node.name)) walk(node.children);
      if (cut) runs.push('');
    }
  };
  walk(nodes);
  return runs.filter((run) => run.trim() !== '');
}

/** Each space between two CJK characters in the prose of the documents, with a little context. */
export function cjkSpaces(documents: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, xhtml] of Object.entries(documents)) {
    const body = documentBody(xhtml);
    if (!body) continue;
    for (const run of proseRuns(body.children))
      for (const m of run.matchAll(CJK_SPACE))
        found.push(`${name}: ${run.slice(Math.max(0, m.index - 8), m.index + m[0].length + 8)}`);
  }
  return found;
}

/** The same in a text layer (pdftotext's): each space between two CJK characters on a line. */
export function cjkSpacesInText(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line) =>
      [...line.matchAll(CJK_SPACE)].map((m) =>
        line.slice(Math.max(0, m.index - 8), m.index + m[0].length + 8),
      ),
    );
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

/**
 * Links of an article's document to the article's own web page (the page it was clipped from,
 * with or without a fragment), but for the opener's link to the original.
 */
export function ownPageLinks(documents: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, xhtml] of Object.entries(documents)) {
    const body = documentBody(xhtml);
    if (!body) continue;
    const links = allElements(body.children).filter((e) => e.name === 'a');
    const source = links.find((a) => hasClass(a, 'source'));
    const page = pageKey(source && attr(source, 'href'));
    if (!page) continue;
    for (const a of links) {
      const href = attr(a, 'href') ?? '';
      if (a !== source && pageKey(href.split('#')[0]) === page) found.push(`${name}: ${href}`);
    }
  }
  return found;
}

/** A heading's leading number: `1.`, `2.3)`, `4、` (its digits and dots); not a count (`10 Books`). */
const HEADING_NUMBER = /^\s*(\d+(?:\.\d+)*)(?:[.)、．]|\.?(?=\s*$))/;

/**
 * Pair headings whose number is not on both sides (`1. Welcome 1.` | `欢迎`): each side starts
 * with the same number, and neither ends with one (`… 1.`, the next side's number cut off).
 */
export function cutNumberedHeadings(documents: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, xhtml] of Object.entries(documents)) {
    const body = documentBody(xhtml);
    if (!body) continue;
    for (const heading of allElements(body.children).filter((e) => /^h[1-6]$/.test(e.name))) {
      const sides = heading.children.filter(
        (c): c is XElement => c.type === 'element' && (hasClass(c, 'original') || hasClass(c, 'translation')),
      );
      if (sides.length !== 2) continue;
      const texts = sides.map((s) => textOf(s.children).trim());
      const numbers = texts.map((t) => HEADING_NUMBER.exec(t)?.[1]);
      if (numbers[0] === undefined && numbers[1] === undefined) continue;
      if (numbers[0] !== numbers[1] || texts.some((t) => /\s\d+(?:\.\d+)*[.)、]?$/.test(t)))
        found.push(`${name}: ${texts.join(' | ')}`);
    }
  }
  return found;
}

/** Names (an OPF's creators and contributors) that hold another of the names: two people in one. */
export function namesHoldingTwo(opf: string): string[] {
  const names = [...opf.matchAll(/<dc:(?:creator|contributor)\b[^>]*>([^<]+)</g)].map((m) => m[1]!.trim());
  return names.filter(
    (name) =>
      // a Latin name and a CJK one run together (`Noah Lanard和David Corn`)
      (/[A-Za-z]/.test(name) && /\p{Script=Han}/u.test(name)) ||
      names.some((other) => other !== name && ` ${name} `.includes(` ${other} `)),
  );
}
