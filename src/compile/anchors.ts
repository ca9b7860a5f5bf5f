/**
 * The own-page links pass. Clipped articles keep links to their own web page with a fragment:
 * their table of contents, a heading's permalink, "see below". Such a link sends the reader to
 * the web for a place that is in the book. A link whose fragment names one of the article's
 * headings (`#whats_great_about_julia`, `#What%20Is%20Content%20Dispersion`) leads to that heading
 * in the book (the heading gets an id, `<articleId>-<slug>`, unique in the book); any other becomes
 * its text (`link/own-page`, once per article), since the place it named is not in the book. So
 * does a link to the page itself (a "Share" or a permalink): the reader is on that page already.
 * Runs after the notes pass, so that note references already lead to their notes.
 */
import { getAttr, rewriteXhtml, withAttr, type XNode } from '../markdown/xhtml-tree.js';
import type { Article, Block } from '../model.js';
import { mapArticles, mapSegments } from '../walk.js';
import { clippedRefLabel, ownPageFragment, pageKey } from './note-markers.js';
import type { Pass } from './pass.js';

/** Words of a heading or a fragment, for comparing them: `What's great?` and `whats_great` are `whats-great`. */
export function anchorSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

type Heading = Extract<Block, { kind: 'pair' | 'single' }>;

export const resolveOwnPageLinks: Pass = (book, ctx) =>
  mapArticles(book, (article) => {
    const page = pageKey(article.sourceLink);
    if (!page || !mentionsPage(article, article.sourceLink!)) return article;
    // The article's headings by the slug of each side's text; a slug two headings share names neither.
    const bySlug = new Map<string, number | null>();
    const headings: Heading[] = [];
    visitHeadings(article.blocks, (heading) => {
      const index = headings.push(heading) - 1;
      const sides = heading.kind === 'pair' ? [heading.original, heading.translation] : [heading.segment];
      for (const slug of new Set(sides.map((s) => anchorSlug(s.text)))) {
        if (slug) bySlug.set(slug, bySlug.has(slug) && bySlug.get(slug) !== index ? null : index);
      }
    });
    const ids = new Map<number, string>();
    const used = new Set<string>();
    const idOf = (index: number, slug: string): string => {
      let id = ids.get(index);
      if (id) return id;
      id = `${article.id}-${slug}`;
      for (let n = 2; used.has(id); n++) id = `${article.id}-${slug}-${n}`;
      used.add(id);
      ids.set(index, id);
      return id;
    };
    const unwrapped = new Set<string>();
    const blocks = mapSegments(article.blocks, (segment) => {
      if (!segment.html.includes('<a ')) return segment;
      const html = rewriteXhtml(segment.html, (element): XNode | XNode[] => {
        if (element.name !== 'a') return element;
        const href = getAttr(element, 'href') ?? '';
        const fragment = ownPageFragment(href, page);
        if (fragment === undefined) {
          if (pageKey(href.split('#')[0]) !== page) return element;
          unwrapped.add(href);
          return element.children;
        }
        if (clippedRefLabel(element, page) !== undefined) return element;
        const slug = anchorSlug(fragment);
        const index = slug ? bySlug.get(slug) : undefined;
        // a heading that links to itself (a permalink) needs no link
        if (index !== undefined && index !== null && !headingHolds(headings[index]!, segment.html))
          return withAttr(element, 'href', `#${idOf(index, slug)}`);
        unwrapped.add(`#${fragment}`);
        return element.children;
      });
      return html === segment.html ? segment : { ...segment, html };
    });
    if (unwrapped.size > 0) {
      const list = [...unwrapped];
      ctx.report({
        code: 'link/own-page',
        severity: 'info',
        file: article.source,
        line: 1,
        message: `links to the article's web page or places of it that are not in the book became text: ${list.slice(0, 5).join(' ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`,
      });
    }
    if (ids.size === 0) return blocks === article.blocks ? article : { ...article, blocks };
    let next = 0;
    const withIds = setHeadingIds(blocks, () => ids.get(next++));
    return { ...article, blocks: withIds };
  });

function mentionsPage(article: Article, source: string): boolean {
  const host = (() => {
    try {
      return new URL(source).host.replace(/^www\./, '');
    } catch {
      return undefined;
    }
  })();
  if (!host) return false;
  let found = false;
  mapSegments(article.blocks, (segment) => {
    if (!found && segment.html.includes(host)) found = true;
    return segment;
  });
  return found;
}

/** Is this segment (its html) one side of the heading? */
function headingHolds(heading: Heading, html: string): boolean {
  return heading.kind === 'pair'
    ? heading.original.html === html || heading.translation.html === html
    : heading.segment.html === html;
}

function visitHeadings(blocks: Block[], fn: (heading: Heading) => void): void {
  for (const block of blocks) {
    if ((block.kind === 'pair' || block.kind === 'single') && block.type === 'heading') fn(block);
    else if (block.kind === 'list') for (const item of block.items) visitHeadings(item.blocks, fn);
    else if (block.kind === 'quote' || block.kind === 'note') visitHeadings(block.blocks, fn);
  }
}

/** The blocks with each heading, in the order visitHeadings sees them, given the id `nextId()` returns (if any). */
function setHeadingIds(blocks: Block[], nextId: () => string | undefined): Block[] {
  return blocks.map((block): Block => {
    if ((block.kind === 'pair' || block.kind === 'single') && block.type === 'heading') {
      const id = nextId();
      return id ? { ...block, id } : block;
    }
    if (block.kind === 'list')
      return {
        ...block,
        items: block.items.map((item) => ({ ...item, blocks: setHeadingIds(item.blocks, nextId) })),
      };
    if (block.kind === 'quote' || block.kind === 'note')
      return { ...block, blocks: setHeadingIds(block.blocks, nextId) };
    return block;
  });
}
