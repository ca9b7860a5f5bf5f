import { describe, expect, it } from 'vitest';
import { printedPages } from '../../../src/formats/pdf/page-list.js';
import type { PrintAnchor } from '../../../src/theme/print.js';

const TOP = 560;
const block = (n: number): PrintAnchor => ({ kind: 'block', id: `pl.1.${n}`, article: 'a', block: n });

describe('where each printed page begins', () => {
  // Folio 1: blank verso; 2: the chapter opener (swapped before it, to open on the right... here
  // simply after); 3: the article with blocks 0 and 1; 4: block 1 runs on, block 2 starts lower;
  // 5: block 2 runs on over the whole page; 6: block 3 starts at the top.
  const anchors: PrintAnchor[] = [
    { kind: 'verso', id: 'pl.v1' },
    { kind: 'chapter', chapter: 'ch-1' },
    { kind: 'article', article: 'a' },
    block(0),
    block(1),
    block(2),
    block(3),
  ];
  const places = new Map([
    ['pl.v1', { folio: 1, y: TOP }],
    ['pl.1.0', { folio: 3, y: 400 }],
    ['pl.1.1', { folio: 3, y: 200 }],
    ['pl.1.2', { folio: 4, y: 300 }],
    ['pl.1.3', { folio: 6, y: TOP }],
  ]);
  const pageNumbers = new Map([
    ['ch-1', 2],
    ['a', 3],
  ]);

  it('is the opener, the article, the block at the top, or the block that runs on', () => {
    expect(printedPages(anchors, pageNumbers, places, 6)).toEqual([
      { label: '2', at: { chapter: 'ch-1' } },
      { label: '3', at: { article: 'a' } },
      { label: '4', at: { article: 'a', block: 1 } },
      { label: '5', at: { article: 'a', block: 2 } },
      { label: '6', at: { article: 'a', block: 3 } },
    ]);
  });

  it('takes the block before when one starts a little below the top: the mark may come early, never late', () => {
    // the top of the text is the highest start of any block (here block 1's, on a page of its own)
    const lower = new Map(places)
      .set('pl.1.1', { folio: 3, y: TOP })
      .set('pl.1.3', { folio: 6, y: TOP - 12 });
    expect(printedPages(anchors, pageNumbers, lower, 6).at(-1)).toEqual({
      label: '6',
      at: { article: 'a', block: 2 },
    });
  });

  it('follows a chapter opener swapped with its blank verso', () => {
    const swapped = new Map(places).set('pl.v1', { folio: 2, y: TOP });
    const numbers = new Map(pageNumbers).set('ch-1', 1);
    const pages = printedPages(anchors, numbers, swapped, 6);
    expect(pages.slice(0, 2)).toEqual([
      { label: '1', at: { chapter: 'ch-1' } },
      { label: '3', at: { article: 'a' } },
    ]);
  });

  it('gives nothing without the places', () => {
    expect(printedPages([], new Map(), new Map(), 4)).toEqual([]);
  });

  it('on spreads, begins a right-hand page where the left one begins (its translations face them)', () => {
    // facing: 1 the chapter opener (right half of the first spread), 2-3 the article's first spread,
    // 4-5 the next, where block 2 starts low on the left page 4 (block 1 runs on)
    const spreadAnchors: PrintAnchor[] = [
      { kind: 'chapter', chapter: 'ch-1' },
      { kind: 'article', article: 'a' },
      block(0),
      block(1),
      block(2),
    ];
    const spreadPlaces = new Map([
      ['pl.1.0', { folio: 2, y: 400 }],
      ['pl.1.1', { folio: 2, y: 200 }],
      ['pl.1.2', { folio: 4, y: 300 }],
    ]);
    const numbers = new Map([
      ['ch-1', 1],
      ['a', 2],
    ]);
    expect(printedPages(spreadAnchors, numbers, spreadPlaces, 5, true)).toEqual([
      { label: '1', at: { chapter: 'ch-1' } },
      { label: '2', at: { article: 'a' } },
      { label: '3', at: { article: 'a' } },
      { label: '4', at: { article: 'a', block: 1 } },
      { label: '5', at: { article: 'a', block: 1 } },
    ]);
    // without spreads, page 3 would begin with the last block before it (block 1): too late for its translations
    expect(printedPages(spreadAnchors, numbers, spreadPlaces, 5)[2]).toEqual({
      label: '3',
      at: { article: 'a', block: 1 },
    });
  });
});
