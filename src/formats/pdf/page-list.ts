/**
 * Where each printed page begins, in the Book's terms (pure): from the folios of the chapters and
 * articles (the outline) and the named destinations of the text's blocks (page and height).
 *
 * A page begins with a chapter opener or an article (both always start a page), with a block that
 * starts at the top of the page, or inside the block before the first one that starts on it (a
 * paragraph running on from the page before). Where that is unsure (a block a little below the top
 * may be the second line of a page), the earlier block is chosen: the page's first words then
 * always come after the mark, never before it. A blank verso before a chapter opener has no
 * entry: it has no text to find.
 *
 * On spreads (the facing layout) a right-hand page holds the translations of the pairs on the left
 * one: where nothing starts on it, it begins where its left page does (both marks before the pair
 * whose original and translation open the spread; an EPUB shows them together).
 */

import type { PrintAnchor } from '../../theme/print.js';
import type { PrintedPage } from '../format.js';
import type { Place } from './print.js';

/** A block starting this close to the highest start of any block is at the top of its page (PDF units; a line is 12 or more). */
const TOP_TOLERANCE = 3;

export function printedPages(
  anchors: readonly PrintAnchor[],
  pageNumbers: ReadonlyMap<string, number>,
  places: ReadonlyMap<string, { folio: number; y: number }>,
  textPages: number,
  spreads = false,
): PrintedPage[] {
  const located = anchors.flatMap((anchor) => {
    const place: Place | undefined =
      anchor.kind === 'chapter'
        ? at(pageNumbers.get(anchor.chapter))
        : anchor.kind === 'article'
          ? at(pageNumbers.get(anchor.article))
          : places.get(anchor.id);
    return place ? [{ anchor, ...place }] : [];
  });
  // In reading order, folios only grow, but for a chapter opener swapped with the blank verso
  // before it (to open on a right-hand page); a stable sort by folio puts them back in page order.
  located.sort((a, b) => a.folio - b.folio);
  const blockTops = located.filter((l) => l.anchor.kind === 'block').map((l) => l.y);
  const top = blockTops.length ? Math.max(...blockTops) : Infinity;

  const pages: PrintedPage[] = [];
  let k = 0;
  let leftPage: { folio: number; begins: PrintAnchor } | undefined;
  for (let folio = 1; folio <= textPages; folio++) {
    // the first anchor on this page, and the one before it in reading order
    while (k < located.length && located[k]!.folio < folio) k++;
    const first = located[k]?.folio === folio ? located[k] : undefined;
    const previous = k > 0 ? located[k - 1] : undefined;
    if (first?.anchor.kind === 'verso') continue;
    const startsAtTop = first && (first.anchor.kind !== 'block' || first.y >= top - TOP_TOLERANCE);
    const facesLeft = spreads && folio % 2 === 1 && !first && leftPage?.folio === folio - 1;
    const begins = facesLeft ? leftPage!.begins : startsAtTop ? first.anchor : previous?.anchor;
    if (!begins || begins.kind === 'verso') continue;
    leftPage = { folio, begins };
    const label = String(folio);
    if (begins.kind === 'chapter') pages.push({ label, at: { chapter: begins.chapter } });
    else if (begins.kind === 'article') pages.push({ label, at: { article: begins.article } });
    else pages.push({ label, at: { article: begins.article, block: begins.block } });
  }
  return pages;
}

function at(folio: number | undefined): Place | undefined {
  return folio === undefined ? undefined : { folio, y: Infinity };
}
