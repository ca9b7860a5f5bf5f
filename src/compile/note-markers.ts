/**
 * What marks a note in clipped text (notes.ts finds the notes with these): a page's identity and
 * the links to a place of it, the numbered link or text that refers to a note, and the marker
 * (`[1]`, `1.^`, `[^label]:`, a table's first cell) that leads a note's text.
 */
import { getAttr, type XElement, type XNode } from '../markdown/xhtml-tree.js';

/** A page's identity for "the same page": clipped links and front matter differ in scheme, `www.`, a final `/`. */
export function pageKey(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return `${u.host.replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}${u.search}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The fragment (decoded) of a link to the page `page` (a pageKey), or undefined for any other link. */
export function ownPageFragment(href: string, page: string | undefined): string | undefined {
  const hash = href.indexOf('#');
  if (!page || hash < 0 || pageKey(href.slice(0, hash)) !== page) return undefined;
  try {
    return decodeURIComponent(href.slice(hash + 1));
  } catch {
    return href.slice(hash + 1);
  }
}

/** The text of a link that numbers a note: `1`, `[1]`, `(1)`, `^1`. */
const REF_TEXT = /^\s*[[(]?\s*\^?\s*(\d{1,3})\s*[\])]?\s*$/;
/** A marker leading a note's text: `[^label]:` (GitHub), `[1]`, `1]`, `1.^`, `^`. */
const MARKER = /^\s*(?:\[\^([^\]\s]+)\]:|\[\s*(\d{1,3})\s*\]|(\d{1,3})\s*\]|(\d{1,3})\s*\.\s*\^|\^)\s*/;
/** A marker element's text: a number, bracketed or not, or a back arrow. */
const MARKER_ELEMENT = /^\s*[[(]?\s*\^?\s*(\d{1,3})?\s*[\])]?\s*[↩^]?\s*$/;
/**
 * A plain-text reference, `[1]` (written `\\[1\\]` in Markdown), after a word or a mark:
 * not after a digit (`2[1]`), not before `(` or `:` (a link, a definition). An index in code
 * (`a[1]`) is no text the pass reads.
 */
export const PLAIN_REF = /(?<![\p{N}\\])\[(\d{1,3})\](?![(:])/gu;
/** A reference in text: GitHub's `[^label]` (group 1) or a plain `[1]` (group 2). */
export const TEXT_REF = /\[\^([^\]\s]+)\](?!:)|(?<![\p{N}\\])\[(\d{1,3})\](?![(:])/gu;
export const GITHUB_REF = /\[\^([^\]\s]+)\](?!:)/g;

export function textOf(nodes: readonly XNode[]): string {
  return nodes.map((n) => (n.type === 'text' ? n.value : textOf(n.children))).join('');
}

/** Does this link number a note of the page (a clipped note reference)? Its label, if so. */
export function clippedRefLabel(element: XElement, page: string | undefined): string | undefined {
  if (element.name !== 'a') return undefined;
  const href = getAttr(element, 'href');
  if (href === undefined || ownPageFragment(href, page) === undefined) return undefined;
  return REF_TEXT.exec(textOf(element.children))?.[1];
}

export interface Marker {
  /** The label the marker names; undefined for a bare `^` (the list item's number names it). */
  label?: string;
  github: boolean;
  /** The text after the marker. */
  rest: XNode[];
}

/** The note marker leading a segment, and what follows it; undefined when none leads it. */
export function leadingMarker(nodes: readonly XNode[], page?: string): Marker | undefined {
  const first = nodes.find((n) => n.type !== 'text' || n.value.trim() !== '');
  if (first?.type === 'element' && first.name === 'table') return tableMarker(first);
  let rest = [...nodes];
  let label: string | undefined;
  let github = false;
  let found = false;
  for (let step = 0; step < 30 && rest.length > 0; step++) {
    const head = rest[0]!;
    if (head.type === 'text') {
      if (head.value.trim() === '') {
        rest.shift();
        step--;
        continue;
      }
      const m = MARKER.exec(head.value);
      if (!m || m[0].length === 0) break;
      found = true;
      label ??= m[1] ?? m[2] ?? m[3] ?? m[4];
      github ||= m[1] !== undefined;
      const after = head.value.slice(m[0].length);
      rest = after ? [{ type: 'text', value: after }, ...rest.slice(1)] : rest.slice(1);
      if (after) break;
    } else if (
      page &&
      found &&
      head.name === 'a' &&
      ownPageFragment(getAttr(head, 'href') ?? '', page) !== undefined
    ) {
      rest.shift(); // Wikipedia's `^ a b c`: links back to each reference, after the first
    } else if (
      page &&
      head.name === 'a' &&
      /^\s*Jump up to:/.test(textOf(head.children)) &&
      ownPageFragment(getAttr(head, 'href') ?? '', page) !== undefined
    ) {
      found = true;
      rest.shift();
    } else if (['a', 'sup', 'strong', 'b', 'span'].includes(head.name)) {
      const m = MARKER_ELEMENT.exec(textOf(head.children));
      if (!m || textOf(head.children).trim() === '') break;
      found = true;
      label ??= m[1];
      rest.shift();
    } else break;
  }
  if (!found) return undefined;
  // the text starts where the marker ended: no leading space
  if (rest[0]?.type === 'text') rest[0] = { type: 'text', value: rest[0].value.replace(/^\s+/, '') };
  return { label, github, rest };
}

/** A one-row table whose first cell is the number (`[1] | text`), as clipped from docutils' footnotes. */
function tableMarker(table: XElement): Marker | undefined {
  const rows: XElement[] = [];
  const collect = (el: XElement): void => {
    for (const c of el.children) {
      if (c.type !== 'element') continue;
      if (c.name === 'tr') rows.push(c);
      else if (c.name === 'tbody' || c.name === 'thead') collect(c);
    }
  };
  collect(table);
  if (rows.length !== 1) return undefined;
  const cells = rows[0]!.children.filter(
    (c): c is XElement => c.type === 'element' && (c.name === 'td' || c.name === 'th'),
  );
  if (cells.length < 2) return undefined;
  const m = /^\s*[[(]?\s*\^?\s*(\d{1,3}|[A-Za-z][\w-]*)\s*[\])]?\s*$/.exec(textOf(cells[0]!.children));
  if (!m) return undefined;
  const rest = cells
    .slice(1)
    .flatMap((cell, i): XNode[] =>
      i > 0 ? [{ type: 'text', value: ' ' }, ...cell.children] : cell.children,
    );
  return { label: m[1], github: false, rest };
}
