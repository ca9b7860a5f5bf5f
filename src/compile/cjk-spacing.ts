/**
 * The Chinese spacing pass. Clipped and machine-translated Chinese keeps spaces between Han
 * characters, most around links and emphasis (`乐施会 <a>告诉</a>我们`, `以 <em>埃隆·马斯克</em> 为例`):
 * a browser shows each as a gap, and justification widens it. A run of spaces between two CJK
 * characters (or a CJK character and CJK punctuation) is removed, through inline elements, never
 * inside code or across a block or a line break; counted once per article (`text/cjk-space`).
 * Spaces between CJK and Latin stay as the source has them: the stylesheets set that gap.
 * Korean segments are left alone (Korean puts spaces between its words).
 */
import { PHRASING, readXhtml, writeXhtml, type XNode } from '../markdown/xhtml-tree.js';
import type { Segment } from '../model.js';
import { CJK_SPACE, withoutCjkSpaces } from '../text.js';
import { mapArticles, mapSegments } from '../walk.js';
import type { Pass } from './pass.js';

/** Elements whose text is code: kept as written, and no neighbour of the text around them. */
const CODE = new Set(['pre', 'code', 'kbd', 'samp', 'var']);
/** Inline elements the text flows through (anything else breaks the line, is a box or is code). */
const isInline = (name: string) => PHRASING.has(name) && !CODE.has(name);
/** Stands for what text does not run across (a block, a line break, code): never a space nor CJK. */
const BARRIER = '\u0000';

export const removeCjkSpaces: Pass = (book, ctx) =>
  mapArticles(book, (article) => {
    let removed = 0;
    let line: number | undefined;
    const blocks = mapSegments(article.blocks, (segment, place) => {
      const cleaned = segmentWithoutCjkSpaces(segment);
      if (cleaned.removed === 0) return segment;
      removed += cleaned.removed;
      line ??= place.line;
      return cleaned.segment;
    });
    if (removed === 0) return article;
    ctx.report({
      code: 'text/cjk-space',
      severity: 'info',
      file: article.source,
      ...(line === undefined ? {} : { line }),
      message: `${removed} space${removed === 1 ? '' : 's'} between Chinese characters removed`,
    });
    return { ...article, blocks };
  });

/** The segment without spaces between CJK characters, through its inline elements. */
export function segmentWithoutCjkSpaces(segment: Segment): { segment: Segment; removed: number } {
  // most segments have none: known from the plain text (which runs through every element) unparsed
  if (segment.lang.startsWith('ko') || segment.text.search(CJK_SPACE) === -1) return { segment, removed: 0 };
  const nodes = readXhtml(segment.html);
  // the text as it runs, a barrier where it stops, and where each text node starts in it
  const starts = new Map<XNode, number>();
  let all = '';
  const collect = (list: XNode[]): void => {
    for (const node of list) {
      if (node.type === 'text') {
        starts.set(node, all.length);
        all += node.value;
      } else if (isInline(node.name)) collect(node.children);
      else {
        all += BARRIER;
        if (!CODE.has(node.name)) collect(node.children);
        all += BARRIER;
      }
    }
  };
  collect(nodes);
  const gone = new Set<number>();
  let removed = 0;
  for (const m of all.matchAll(CJK_SPACE)) {
    removed++;
    for (let i = m.index; i < m.index + m[0].length; i++) gone.add(i);
  }
  if (removed === 0) return { segment, removed: 0 };
  const rebuild = (list: XNode[]): XNode[] =>
    list.flatMap((node): XNode[] => {
      if (node.type === 'element') return [{ ...node, children: rebuild(node.children) }];
      const start = starts.get(node);
      if (start === undefined) return [node];
      const value = dropAt(node.value, start, gone);
      return value ? [{ type: 'text', value }] : [];
    });
  const html = writeXhtml(rebuild(nodes));
  return { segment: { ...segment, html, text: withoutCjkSpaces(segment.text).text }, removed };
}

/** `value` (starting at `start` in the whole text) without the characters at the offsets in `gone`. */
function dropAt(value: string, start: number, gone: Set<number>): string {
  let out = '';
  for (let i = 0; i < value.length; i++) if (!gone.has(start + i)) out += value[i];
  return out;
}
