/**
 * The notes pass: footnotes become notes that e-readers pop up (EPUB 3 `noteref` -> `footnote`)
 * and the PDF prints at the article's end.
 *
 * Two sources of notes:
 * - GitHub's footnotes: `[^label]` in the text and a paragraph `[^label]: text`. marked has no
 *   footnotes, so both reach us as text; a definition whose text is a single word, which marked
 *   reads as a link definition, is lost to marked before we see it.
 * - Notes clipped from a web page: a numbered link to the article's own source page with a
 *   fragment (`[1](https://site/page#fn1)`, `<sup><a href="…#footnote1">1</a></sup>`), or a
 *   plain-text number in brackets (`\[1\]`, a clipping that kept no link), and, after the last
 *   such reference, the note text: a paragraph or table led by its number (`[1] …`, `1] …`,
 *   `1.^ …`, a table row `[1] | text`), an item of an ordered list (its number) or an item of a
 *   list led by its number.
 * The note text is found by its number, not by the fragment: clipping keeps the numbers but drops
 * the ids the fragments named. The note moves to the article's end with its translation (a pair
 * stays a pair); its leading number and back link are dropped (the note gets its own way back).
 * A linked reference without a note becomes its number as text, never a link to the web, and a
 * `[^label]` stays text (`note/unmatched`; a plain `[1]` only when other plain references have
 * notes, else it is just a number in brackets); a definition without a reference stays a
 * paragraph (`note/unreferenced`).
 */
import { xhtmlText } from '../markdown/xhtml.js';
import {
  getAttr,
  readXhtml,
  withAttr,
  writeXhtml,
  type XElement,
  type XNode,
} from '../markdown/xhtml-tree.js';
import type { Article, Block, ListBlock, NoteBlock, Segment } from '../model.js';
import { mapArticles, mapSegments } from '../walk.js';
import {
  clippedRefLabel,
  GITHUB_REF,
  leadingMarker,
  type Marker,
  PLAIN_REF,
  pageKey,
  TEXT_REF,
  textOf,
} from './note-markers.js';
import type { Pass, PassContext } from './pass.js';

/** A segment with its html replaced (its text follows). */
function withHtml(segment: Segment, html: string): Segment {
  return html === segment.html ? segment : { ...segment, html, text: xhtmlText(html).trim() };
}

/** A safe id part from a label. */
const idPart = (label: string) => label.replace(/[^A-Za-z0-9_-]+/g, '_');

/** A block that may hold a note, with the marker of its original (or only) side. */
interface Unit {
  /** Index of the top-level block; for a list item, the item's index too. */
  index: number;
  item?: number;
  /** The label from the marker, or the list item's number. */
  label?: string;
  /** True when a marker gives the label (`[1] …`), not the list item's number. */
  marked: boolean;
  github: boolean;
  /** True when something follows the marker (a note, not a bare reference). */
  hasText: boolean;
  block: Block;
}

function markerOfBlock(block: Block, page: string | undefined): Marker | undefined {
  if (block.kind === 'pair' && block.type === 'paragraph')
    return markerOfSegment(block.original, page) ?? markerOfSegment(block.translation, page);
  if (block.kind === 'single' && ['paragraph', 'table', 'html'].includes(block.type))
    return markerOfSegment(block.segment, page);
  return undefined;
}

function markerOfSegment(segment: Segment, page: string | undefined): Marker | undefined {
  // Most paragraphs begin with a word, and then no marker leads them: known without parsing them
  // (which took a tenth of a warm build). A marker begins with an element, `[`, `^` or a digit.
  const head = segment.html.trimStart().charAt(0);
  if (head !== '<' && head !== '[' && head !== '^' && !(head >= '0' && head <= '9')) return undefined;
  return leadingMarker(readXhtml(segment.html), page);
}

/** Strips the note marker leading each side of a block (the note shows its own label). */
function stripBlock(block: Block, page: string | undefined): Block {
  const strip = (segment: Segment): Segment => {
    const marker = leadingMarker(readXhtml(segment.html), page);
    return marker ? withHtml(segment, writeXhtml(marker.rest)) : segment;
  };
  if (block.kind === 'pair')
    return { ...block, original: strip(block.original), translation: strip(block.translation) };
  if (block.kind === 'single') {
    const segment = strip(block.segment);
    // a table's cell is text now: the note is a paragraph
    return {
      ...block,
      type: block.type === 'table' || block.type === 'html' ? 'paragraph' : block.type,
      segment,
    };
  }
  return block;
}

function unitsOf(blocks: Block[], page: string | undefined): Unit[] {
  const units: Unit[] = [];
  blocks.forEach((block, index) => {
    if (block.kind === 'list') {
      block.items.forEach((item, k) => {
        const first = item.blocks[0];
        const marker = first ? markerOfBlock(first, page) : undefined;
        // an item of a bulleted list is a note only when its number leads it
        if (!block.ordered && marker?.label === undefined) return;
        const hasText =
          item.blocks.length > 0 &&
          (marker ? textOf(marker.rest).trim() !== '' || item.blocks.length > 1 : true);
        units.push({
          index,
          item: k,
          label: marker?.label ?? String((block.start ?? 1) + k),
          marked: marker?.label !== undefined,
          github: marker?.github ?? false,
          hasText,
          block,
        });
      });
      return;
    }
    const marker = markerOfBlock(block, page);
    if (marker?.label !== undefined)
      units.push({
        index,
        label: marker.label,
        marked: true,
        github: marker.github,
        hasText: textOf(marker.rest).trim() !== '',
        block,
      });
  });
  return units;
}

/** Which side of its article a segment is on, for the note's way back. */
type Side = 'original' | 'translation';

/** Calls `fn` on every segment of the blocks with its side; returns the blocks with the segments it returned (unchanged ones kept). */
function mapSides(
  blocks: Block[],
  article: Article,
  fn: (segment: Segment, side: Side, line: number) => Segment,
): Block[] {
  const sideOfSingle = (segment: Segment): Side =>
    segment.lang === article.translationLang && article.translationLang !== article.originalLang
      ? 'translation'
      : 'original';
  return mapSegments(blocks, (segment, { side, line }) =>
    fn(segment, side === 'single' ? sideOfSingle(segment) : side, line),
  );
}

export const extractNotes: Pass = (book, ctx) => mapArticles(book, (article) => notesOf(article, ctx));

function notesOf(article: Article, ctx: PassContext): Article {
  const page = pageKey(article.sourceLink);
  const blocks = article.blocks;
  // 1. References: clipped numbered links to the own page (not those leading a note), GitHub
  // `[^x]`, plain `[1]` (not one leading its paragraph: that is a note's own number).
  const clipped = new Set<string>();
  const github = new Set<string>();
  const plain = new Set<string>();
  let lastRef = -1;
  let lastPlain = -1;
  const units = unitsOf(blocks, page);
  const leading = new Set(units.filter((u) => u.item === undefined).map((u) => u.index));
  blocks.forEach((block, index) => {
    mapSides([block], article, (segment) => {
      // a reference is a link or a `[` (our XHTML writes `[` as it is): without either, not parsed
      if (!segment.html.includes('<a ') && !segment.html.includes('[')) return segment;
      let nodes = readXhtml(segment.html);
      // a note's own marker (chreke's `[1]` linking back) is not a reference
      if (leading.has(index)) nodes = leadingMarker(nodes, page)?.rest ?? nodes;
      // nor is a number leading a paragraph (a note's, in a list or not)
      const plainIn = leadingMarker(nodes, page)?.rest ?? nodes;
      const visitPlain = (list: readonly XNode[]): void => {
        for (const node of list) {
          if (node.type === 'element') {
            // not in code, nor in a link (a note reference cannot sit in one)
            if (!['code', 'pre', 'a'].includes(node.name)) visitPlain(node.children);
            continue;
          }
          for (const m of node.value.matchAll(PLAIN_REF)) {
            plain.add(m[1]!);
            lastPlain = Math.max(lastPlain, index);
          }
        }
      };
      visitPlain(plainIn);
      const visit = (list: readonly XNode[], inCode: boolean): void => {
        for (const node of list) {
          if (node.type === 'text') {
            if (!inCode) for (const m of node.value.matchAll(GITHUB_REF)) github.add(m[1]!);
            continue;
          }
          const label = clippedRefLabel(node, page);
          if (label !== undefined) {
            clipped.add(label);
            lastRef = Math.max(lastRef, index);
          } else visit(node.children, inCode || node.name === 'code' || node.name === 'pre');
        }
      };
      visit(nodes, false);
      return segment;
    });
  });
  if (clipped.size === 0 && github.size === 0 && plain.size === 0 && !units.some((u) => u.github))
    return article;

  // 2. Notes: GitHub definitions anywhere; clipped notes after the last reference, by number.
  const notes = new Map<string, Unit[]>();
  /** The notes plain `[1]` references lead to. */
  const plainNoted = new Set<string>();
  // from the end: the notes are the last of the candidates (an earlier list may be numbered alike)
  for (const unit of [...units].reverse()) {
    const label = unit.label!;
    if (notes.has(label)) continue;
    if (unit.github) {
      if (github.has(label)) notes.set(label, [unit]);
      else
        ctx.report({
          code: 'note/unreferenced',
          severity: 'warning',
          file: article.source,
          line: unit.block.line,
          message: `note [^${label}] has no reference; kept as a paragraph`,
        });
    } else if (
      unit.hasText &&
      ((unit.index > lastRef && clipped.has(label)) ||
        // a plain `[1]` (text, no link) names a note marked so (`[1] …`): an item 42 of a list is
        // no note for an example's `[42]`
        (unit.marked && unit.index > lastPlain && plain.has(label)))
    )
      notes.set(label, [unit]);
  }
  // a plain `[1]` leads to a note after the last of them (the translation's, where the original's links)
  for (const [label, [unit]] of notes)
    if (!unit!.github && unit!.marked && unit!.index > lastPlain && plain.has(label)) plainNoted.add(label);
  if (notes.size === 0 && clipped.size === 0 && github.size === 0) return article;

  // 3. The notes leave their place (a list emptied of its items goes too) for the article's end.
  const taken = new Map<number, Set<number> | 'all'>();
  for (const [unit] of notes.values()) {
    if (unit!.item === undefined) taken.set(unit!.index, 'all');
    else {
      const items = taken.get(unit!.index);
      if (items !== 'all') taken.set(unit!.index, new Set([...(items ?? []), unit!.item]));
    }
  }
  const kept: Block[] = [];
  blocks.forEach((block, index) => {
    const take = taken.get(index);
    if (take === undefined) kept.push(block);
    else if (take !== 'all' && block.kind === 'list') {
      const items = block.items.filter((_, k) => !take.has(k));
      if (items.length > 0) kept.push(renumbered(block, take));
    }
  });
  const idOf = (label: string) => `${article.id}-note-${idPart(label)}`;
  const noteBlocks: NoteBlock[] = [...notes.entries()].map(([label, [unit]]) => {
    const inner =
      unit!.item === undefined
        ? [stripBlock(unit!.block, page)]
        : (unit!.block as ListBlock).items[unit!.item]!.blocks.map((b, i) =>
            i === 0 ? stripBlock(b, page) : b,
          );
    return {
      kind: 'note',
      id: idOf(label),
      label,
      line: inner[0]?.line ?? unit!.block.line,
      blocks: inner,
      backlinks: {},
    };
  });
  // in the order of their labels as the text numbers them
  noteBlocks.sort((a, b) => (Number(a.label) || Infinity) - (Number(b.label) || Infinity));

  // 4. References become note references; a reference without a note stays as it was.
  const counts = new Map<string, number>();
  const backlinks = new Map<string, NoteBlock['backlinks']>();
  const unmatched = new Set<string>();
  const refer = (label: string, side: Side): [string, string] => {
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    const refId = `${article.id}-noteref-${idPart(label)}-${n}`;
    const back = backlinks.get(label) ?? {};
    back[side] ??= refId;
    backlinks.set(label, back);
    return [refId, `#${idOf(label)}`];
  };
  const noteref = (element: XElement, refId: string, href: string): XElement => {
    let el = withAttr(element, 'href', href);
    el = withAttr(el, 'id', refId);
    el = withAttr(el, 'epub:type', 'noteref');
    return withAttr(el, 'role', 'doc-noteref');
  };
  const noterefOf = (label: string, side: Side): XElement => {
    const [refId, href] = refer(label, side);
    const a: XElement = { type: 'element', name: 'a', attrs: [], children: [{ type: 'text', value: label }] };
    return { type: 'element', name: 'sup', attrs: [], children: [noteref(a, refId, href)] };
  };
  const unmatchedText = (key: string, line: number, message: string) => {
    if (!unmatched.has(key))
      ctx.report({ code: 'note/unmatched', severity: 'warning', file: article.source, line, message });
    unmatched.add(key);
  };
  /** A text's `[^label]` and plain `[1]` references (not one leading the segment: a note's number). */
  const rewriteText = (value: string, side: Side, line: number, leading: boolean): XNode[] => {
    const out: XNode[] = [];
    let at = 0;
    for (const m of value.matchAll(TEXT_REF)) {
      const label = (m[1] ?? m[2])!;
      if (m[1] !== undefined && !notes.has(label)) {
        unmatchedText(
          `^${label}`,
          line,
          `note reference [^${label}] has no note [^${label}]: …; kept as text`,
        );
        continue;
      }
      if (
        m[2] !== undefined &&
        (!plainNoted.has(label) || (leading && value.slice(0, m.index).trim() === ''))
      ) {
        if (plainNoted.size > 0 && !notes.has(label))
          unmatchedText(
            `[${label}]`,
            line,
            `note reference [${label}] has no note [${label}] after the last reference; kept as text`,
          );
        continue;
      }
      if (m.index! > at) out.push({ type: 'text', value: value.slice(at, m.index) });
      out.push(noterefOf(label, side));
      at = m.index! + m[0].length;
    }
    if (at === 0) return [{ type: 'text', value }];
    if (at < value.length) out.push({ type: 'text', value: value.slice(at) });
    return out;
  };
  const rewrite = (segment: Segment, side: Side, line: number): Segment => {
    if (!segment.html.includes('<a ') && !segment.html.includes('[')) return segment;
    const rewriteNodes = (list: readonly XNode[], inCode: boolean, atStart: boolean): XNode[] =>
      list.flatMap((node, k): XNode[] => {
        if (node.type === 'text') {
          if (inCode || !node.value.includes('[')) return [node];
          const out = rewriteText(node.value, side, line, atStart && k === 0);
          return out.length === 1 && out[0]!.type === 'text' ? [node] : out;
        }
        const label = clippedRefLabel(node, page);
        if (label !== undefined) {
          if (notes.has(label)) {
            const [refId, href] = refer(label, side);
            return [noteref(node, refId, href)];
          }
          // its number as text: the note it names is not in the book, and the web page is no note
          unmatchedText(
            label,
            line,
            `note reference ${label} (${getAttr(node, 'href')}) has no note text after the last reference; kept as text`,
          );
          return node.children;
        }
        const inside = inCode || ['code', 'pre', 'a'].includes(node.name);
        return [{ ...node, children: rewriteNodes(node.children, inside, atStart && k === 0) }];
      });
    return withHtml(segment, writeXhtml(rewriteNodes(readXhtml(segment.html), false, true)));
  };
  const body = mapSides(kept, article, rewrite);
  const finished = noteBlocks.map((note) => ({ ...note, backlinks: backlinks.get(note.label) ?? {} }));
  // A note nothing refers to in the end (its references were in a place that is gone) is unreachable.
  for (const note of finished) {
    if (!counts.has(note.label))
      ctx.report({
        code: 'note/unreferenced',
        severity: 'warning',
        file: article.source,
        line: note.line,
        message: `note ${note.label} has no reference in the text`,
      });
  }
  return { ...article, blocks: [...body, ...finished] };
}

/** An ordered list without some of its items: the others keep their numbers. */
function renumbered(list: ListBlock, removed: Set<number>): ListBlock {
  const start = list.start ?? 1;
  const items = list.items.filter((_, k) => !removed.has(k));
  const first = list.items.findIndex((_, k) => !removed.has(k));
  // items are numbered from the first one kept; a gap inside is rare (notes are the list's tail)
  return { ...list, items, start: start + first };
}
