/**
 * Walking the Book: every article, every segment of an article's blocks (lists and quotes
 * included). Used by the passes and by formats that derive a variant of the Book.
 */
import type { Article, Block, Book, LeafType, Segment } from './model.js';

/** Where a segment sits: its block's line in the article's file, the block's type, and which side of a pair it is (or that it is alone). */
export interface SegmentPlace {
  line: number;
  type: LeafType;
  side: 'original' | 'translation' | 'single';
}

/**
 * The blocks with every segment replaced by `fn(segment)`, lists and quotes included; blocks whose
 * segments did not change are kept (the same objects), so an unchanged article stays as it was.
 */
export function mapSegments(
  blocks: Block[],
  fn: (segment: Segment, place: SegmentPlace) => Segment,
): Block[] {
  let changed = false;
  const out = blocks.map((block): Block => {
    const next = mapBlock(block, fn);
    if (next !== block) changed = true;
    return next;
  });
  return changed ? out : blocks;
}

function mapBlock(block: Block, fn: (segment: Segment, place: SegmentPlace) => Segment): Block {
  switch (block.kind) {
    case 'pair': {
      const original = fn(block.original, { line: block.line, type: block.type, side: 'original' });
      const translation = fn(block.translation, { line: block.line, type: block.type, side: 'translation' });
      return original === block.original && translation === block.translation
        ? block
        : { ...block, original, translation };
    }
    case 'single': {
      const segment = fn(block.segment, { line: block.line, type: block.type, side: 'single' });
      return segment === block.segment ? block : { ...block, segment };
    }
    case 'list': {
      let changed = false;
      const items = block.items.map((item) => {
        const blocks = mapSegments(item.blocks, fn);
        if (blocks === item.blocks) return item;
        changed = true;
        return { ...item, blocks };
      });
      return changed ? { ...block, items } : block;
    }
    case 'quote':
    case 'note': {
      const blocks = mapSegments(block.blocks, fn);
      return blocks === block.blocks ? block : { ...block, blocks };
    }
  }
}

/** Every segment of the blocks, in reading order. */
export function segmentsOf(blocks: Block[]): Segment[] {
  const out: Segment[] = [];
  mapSegments(blocks, (segment) => {
    out.push(segment);
    return segment;
  });
  return out;
}

/** The book with every segment of every article replaced by `fn` (unchanged articles kept as they are). */
export function mapBookSegments(
  book: Book,
  fn: (segment: Segment, article: Article, place: SegmentPlace) => Segment,
): Book {
  return mapArticles(book, (article) => {
    const blocks = mapSegments(article.blocks, (segment, place) => fn(segment, article, place));
    return blocks === article.blocks ? article : { ...article, blocks };
  });
}

/** The book with every article replaced by `fn`, in reading order. */
export function mapArticles(book: Book, fn: (article: Article) => Article): Book {
  return {
    ...book,
    chapters: book.chapters.map((chapter) => ({ ...chapter, articles: chapter.articles.map(fn) })),
  };
}

/** Every article of the book, in reading order. */
export function articlesOf(book: Book): Article[] {
  return book.chapters.flatMap((chapter) => chapter.articles);
}

/** The subjects of the book: every tag of its articles, once, sorted. */
export function subjectsOf(book: Book): string[] {
  return [...new Set(articlesOf(book).flatMap((article) => article.meta.tags))].sort();
}

/** How many originals the blocks pair with a translation, in lists, quotes and notes too. */
export function countPairs(blocks: readonly Block[]): number {
  let pairs = 0;
  for (const block of blocks) {
    if (block.kind === 'pair') pairs++;
    else if (block.kind === 'list') for (const item of block.items) pairs += countPairs(item.blocks);
    else if (block.kind === 'quote' || block.kind === 'note') pairs += countPairs(block.blocks);
  }
  return pairs;
}
