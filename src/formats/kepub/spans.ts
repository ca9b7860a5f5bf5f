/**
 * Kobo's sentence spans, `<span class="koboSpan" id="kobo.P.S">`, on every text of a document the
 * reader sees: the article's text, and the titles, bylines, contents and title page around it, so
 * that highlights, bookmarks and reading statistics cover them all. P counts the paragraphs of the
 * document, S the sentences of a paragraph.
 *
 * A paragraph is a run of inline content (text and phrasing elements) in a block (`<p>`, `<li>`,
 * a heading...), or an inline element in a language of its own (one side of a pair heading). Its
 * text is cut into sentences (sentences.ts), and each sentence becomes one span: around its text
 * and the inline elements it holds whole (`<a>`, `<em>`, a note reference), so that no span starts
 * with the comma or the `。` that follows a link. Where a sentence ends inside an element, the
 * spans go inside it, as kepubify and Kobo's own conversion put them. Elements with a class or a
 * language are never wrapped (the stylesheets select them as children of their parents: the
 * byline's separators, a pair heading's lines). Preformatted code is left alone (Kobo counts prose).
 */
import { PHRASING, readXhtml, writeXhtml, type XElement, type XNode } from '../../markdown/xhtml-tree.js';
import { LEADING_CLOSERS, sentences, WORD } from './sentences.js';

/** Inline elements without text: a sentence runs past them, a span never holds them. */
const EMPTY_INLINE = new Set(['br', 'wbr', 'img']);
/** Elements whose text is not prose, or not text: left as they are. */
const UNTOUCHED = new Set(['pre', 'svg', 'math', 'script', 'style']);

const langOf = (element: XElement): string | undefined =>
  element.attrs.find(([n]) => n === 'xml:lang' || n === 'lang')?.[1];
const hasAttr = (element: XElement, name: string): boolean => element.attrs.some(([n]) => n === name);

/** An element of a paragraph's flow (not one that starts a paragraph of its own). */
const isInline = (node: XNode): boolean =>
  node.type === 'text' ||
  EMPTY_INLINE.has(node.name) ||
  (PHRASING.has(node.name) && !hasAttr(node, 'lang') && !hasAttr(node, 'xml:lang'));

/** May a span hold this element whole? Plain phrasing elements of plain text only. */
const wrappable = (node: XElement): boolean =>
  PHRASING.has(node.name) &&
  !hasAttr(node, 'class') &&
  !hasAttr(node, 'lang') &&
  !hasAttr(node, 'xml:lang') &&
  node.children.every((c) => c.type === 'text' || wrappable(c));

/** A note reference (the notes pass marks them), or the `<sup>` holding only one. */
function isNoteReference(node: XElement): boolean {
  if (node.attrs.some(([n, v]) => n === 'role' && v === 'doc-noteref')) return true;
  const only = node.children.filter((c) => c.type === 'element' || c.value.trim() !== '');
  return node.name === 'sup' && only.length === 1 && only[0]!.type === 'element' && isNoteReference(only[0]!);
}

/** The document (a whole XHTML document) with every text of its body in Kobo's spans. */
export function withKoboSpans(xhtml: string): string {
  const start = xhtml.indexOf('<body');
  const end = xhtml.lastIndexOf('</body>');
  const root = xhtml.indexOf('<html');
  if (start < 0 || end < start || root < 0) return xhtml;
  const html = readXhtml(xhtml.slice(root)).find((n): n is XElement => n.type === 'element');
  const [body] = readXhtml(xhtml.slice(start, end + '</body>'.length)) as XElement[];
  if (!html || !body) return xhtml;
  const counter = { paragraph: 0 };
  const spanned = { ...body, children: spanBlock(body.children, langOf(html) ?? 'und', counter) };
  return xhtml.slice(0, start) + writeXhtml([spanned]) + xhtml.slice(end + '</body>'.length);
}

/** The children of a block: its runs of inline content are paragraphs, its blocks are walked. */
function spanBlock(children: XNode[], lang: string, counter: { paragraph: number }): XNode[] {
  const out: XNode[] = [];
  let run: XNode[] = [];
  const endRun = () => {
    if (run.length > 0) out.push(...spanParagraph(run, lang, counter));
    run = [];
  };
  for (const node of children) {
    if (isInline(node)) {
      run.push(node);
      continue;
    }
    endRun();
    const element = node as XElement;
    if (UNTOUCHED.has(element.name)) out.push(element);
    else out.push({ ...element, children: spanBlock(element.children, langOf(element) ?? lang, counter) });
  }
  endRun();
  return out;
}

/** One paragraph's nodes with a span per sentence (or per piece of one, where an element cuts it). */
function spanParagraph(nodes: XNode[], lang: string, counter: { paragraph: number }): XNode[] {
  // where each node's text starts and ends in the paragraph's text
  const extent = new Map<XNode, [number, number]>();
  let text = '';
  const measure = (list: XNode[]): void => {
    for (const node of list) {
      const from = text.length;
      if (node.type === 'text') text += node.value;
      // a line break separates the words on either side of it
      else if (node.name === 'br') text += '\n';
      else measure(node.children);
      extent.set(node, [from, text.length]);
    }
  };
  measure(nodes);
  if (text.trim() === '') return nodes;
  const paragraph = ++counter.paragraph;
  let sentence = 0;
  const ends = sentenceEnds(text, lang, extent);
  const endsAt = new Set(ends);
  /** The index of the first end at or after `at`. */
  const firstEnd = (at: number): number => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** The ends strictly inside (from, to). */
  const inside = (from: number, to: number): number[] => {
    const out: number[] = [];
    for (let i = firstEnd(from + 1); i < ends.length && ends[i]! < to; i++) out.push(ends[i]!);
    return out;
  };
  const has = textRanges(text);

  const span = (children: XNode[]): XElement => ({
    type: 'element',
    name: 'span',
    attrs: [
      ['class', 'koboSpan'],
      ['id', `kobo.${paragraph}.${++sentence}`],
    ],
    children,
  });
  const assign = (list: XNode[]): XNode[] => {
    const out: XNode[] = [];
    let group: XNode[] = [];
    const flush = () => {
      // blank text at either end stays outside: the span starts and ends with what is read
      let first = 0;
      let last = group.length;
      const blank = (n: XNode | undefined) => n?.type === 'text' && n.value.trim() === '';
      while (first < last && blank(group[first])) first++;
      while (last > first && blank(group[last - 1])) last--;
      const held = group.slice(first, last);
      const hasText = held.some((n) => {
        const [from, to] = extent.get(n) ?? [0, 0];
        return has.nonSpace(from, to) || (n.type === 'text' && n.value.trim() !== '');
      });
      out.push(...group.slice(0, first), ...(hasText ? [span(held)] : held), ...group.slice(last));
      group = [];
    };
    for (const node of list) {
      const [from, to] = extent.get(node)!;
      if (endsAt.has(from)) flush();
      if (node.type === 'text') {
        let cut = from;
        for (const end of inside(from, to)) {
          group.push({ type: 'text', value: node.value.slice(cut - from, end - from) });
          flush();
          cut = end;
        }
        group.push(cut === from ? node : { type: 'text', value: node.value.slice(cut - from) });
        continue;
      }
      const within = wrappable(node) ? inside(from, to) : undefined;
      if (within?.length === 0) {
        group.push(node);
        continue;
      }
      if (within) {
        const whole = wholeOrCut(within, from, to);
        if (whole) {
          group.push(node);
          if (whole === 'ends-after') flush();
          continue;
        }
      }
      flush();
      out.push(EMPTY_INLINE.has(node.name) ? node : { ...node, children: assign(node.children) });
    }
    flush();
    return out;
  };
  /**
   * A span holds an inline element whole unless a sentence ends inside it; then the spans go
   * inside it, and the pieces of the sentence on either side of it are spans of their own. So the
   * ends inside an element are dropped (`whole`) where a piece of punctuation would be left alone
   * beside it (`<strong>^</strong> <a>…. …</a>`, `“<strong>…. …</strong>`) or a closing mark would
   * start one (`<a>…入境？白云…</a>，`); where the element holds no word before its first end
   * (`<sup>。 [1]</sup>`) or after its last, its sentence ends after it (`ends-after`).
   */
  const wholeOrCut = (within: number[], from: number, to: number): 'whole' | 'ends-after' | undefined => {
    const previous = ends[firstEnd(from + 1) - 1] ?? 0;
    const next = ends[firstEnd(to)] ?? text.length;
    const alone = (a: number, b: number) => has.nonSpace(a, b) && !has.word(a, b);
    const closerAfter = has.firstNonSpace(to) < next && LEADING_CLOSERS.test(text[has.firstNonSpace(to)]!);
    if (alone(previous, from) || alone(to, next) || closerAfter) return 'whole';
    if (!has.word(from, within[0]!) || !has.word(within.at(-1)!, to)) return 'ends-after';
    return undefined;
  };
  return assign(nodes);
}

/**
 * Questions about ranges of a paragraph's text, each answered in constant time (a paragraph of
 * many elements asks one for each): does [a, b) hold a word character, anything but space; where
 * is the first character that is not a space at or after `at`.
 */
function textRanges(text: string) {
  const n = text.length;
  const words = new Int32Array(n + 1);
  const marks = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    words[i + 1] = words[i]! + (WORD.test(c) ? 1 : 0);
    marks[i + 1] = marks[i]! + (/\s/.test(c) ? 0 : 1);
  }
  const firstNonSpace = new Int32Array(n + 1);
  firstNonSpace[n] = n;
  for (let i = n - 1; i >= 0; i--) firstNonSpace[i] = /\s/.test(text[i]!) ? firstNonSpace[i + 1]! : i;
  return {
    word: (a: number, b: number) => b > a && words[b]! > words[a]!,
    nonSpace: (a: number, b: number) => b > a && marks[b]! > marks[a]!,
    firstNonSpace: (at: number) => firstNonSpace[Math.min(at, n)]!,
  };
}

/**
 * Where the sentences of a paragraph's text end (not at its end), in order: sentences.ts's ends,
 * where a note reference after a sentence's end is that sentence's (`。<sup>1</sup>`), and an end
 * never sits before a closing or pausing mark (`[10]<sup>: 19</sup>`): it moves past them.
 */
function sentenceEnds(text: string, lang: string, extent: Map<XNode, [number, number]>): number[] {
  const ends = new Set<number>();
  let at = 0;
  for (const piece of sentences(text, lang)) ends.add((at += piece.length));
  const move = (from: number, to: number) => {
    ends.delete(from);
    ends.add(to);
  };
  for (const [node, [from, to]] of extent)
    if (node.type === 'element' && isNoteReference(node) && ends.has(from)) move(from, to);
  for (const e of [...ends]) {
    CLOSERS_AT.lastIndex = e;
    const closing = CLOSERS_AT.exec(text)?.[0];
    if (closing && /\S/.test(closing)) move(e, e + closing.length);
  }
  ends.delete(text.length);
  return [...ends].sort((a, b) => a - b);
}

/** LEADING_CLOSERS, at a given place of a text (sticky). */
const CLOSERS_AT = new RegExp(LEADING_CLOSERS.source.replace(/^\^/, ''), 'y');
