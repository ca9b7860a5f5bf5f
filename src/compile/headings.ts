/**
 * The headings pass: an article's headings are renumbered so that they start at the top level and
 * skip none (clipped articles often start at `###` or jump from `##` to `####`). Screen readers and
 * the navigation of e-readers and PDF viewers move by heading level; a level that skips leaves a
 * gap in that outline (DAISY Ace's `heading-order`). The order of the levels is kept: the
 * shallowest becomes 1, the next 2, and so on; and no heading goes more than one level below the
 * one before it (an article opening with a `###` subtitle above its `##` sections).
 */
import type { Block } from '../model.js';
import { mapArticles } from '../walk.js';
import type { Pass } from './pass.js';

export const normalizeHeadings: Pass = (book) =>
  mapArticles(book, (article) => {
    const current: number[] = [];
    visit(article.blocks, (block) => current.push(block.level ?? 1));
    const rank = new Map(
      [...new Set(current)].sort((a, b) => a - b).map((level, index) => [level, index + 1]),
    );
    let previous = 0;
    const wanted = current.map((level) => (previous = Math.min(rank.get(level)!, previous + 1)));
    if (wanted.every((level, index) => level === current[index])) return article;
    let next = 0;
    return { ...article, blocks: renumber(article.blocks, () => wanted[next++]!) };
  });

type HeadingBlock = Extract<Block, { kind: 'pair' | 'single' }>;

function visit(blocks: Block[], fn: (heading: HeadingBlock) => void): void {
  for (const block of blocks) {
    if ((block.kind === 'pair' || block.kind === 'single') && block.type === 'heading') fn(block);
    else if (block.kind === 'list') for (const item of block.items) visit(item.blocks, fn);
    else if (block.kind === 'quote') visit(block.blocks, fn);
  }
}

/** The blocks with each heading, in reading order, at the level `nextLevel()` gives. */
function renumber(blocks: Block[], nextLevel: () => number): Block[] {
  return blocks.map((block): Block => {
    if ((block.kind === 'pair' || block.kind === 'single') && block.type === 'heading')
      return { ...block, level: nextLevel() };
    if (block.kind === 'list')
      return {
        ...block,
        items: block.items.map((item) => ({ ...item, blocks: renumber(item.blocks, nextLevel) })),
      };
    if (block.kind === 'quote') return { ...block, blocks: renumber(block.blocks, nextLevel) };
    return block;
  });
}
