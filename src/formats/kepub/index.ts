/**
 * The kepub format: the EPUB as Kobo's own reader wants it, `<slug>.kepub.epub`. Kobo counts
 * reading (time left in the chapter, statistics) and places highlights by its sentence spans,
 * `<span class="koboSpan" id="kobo.P.S">` (P the paragraph, S the sentence in it, within each
 * document), and lays pages out in `<div id="book-columns"><div id="book-inner">`. Without them a
 * Kobo shows a plain EPUB through its older engine, without those features.
 *
 * Built on the EPUB format, not beside it: the Book's segments get their spans (the text itself
 * unchanged), the EPUB format makes the package from that Book (images, cover, fonts, the same
 * documents), and each document's body gets Kobo's wrappers. Take the spans and wrappers away and
 * every document is the EPUB's.
 */

import { stat } from 'node:fs/promises';
import { readXhtml, writeXhtml, type XNode } from '../../markdown/xhtml-tree.js';
import type { Book, Segment } from '../../model.js';
import { mapBookSegments } from '../../walk.js';
import { epubPackage } from '../epub/index.js';
import { writeEpub } from '../epub/package.js';
import { type Format, outputPath } from '../format.js';
import { sentences } from './sentences.js';

export const kepubFormat: Format = {
  name: 'kepub',
  async write(book, ctx) {
    const path = outputPath(book, ctx, '.kepub.epub');
    const pkg = await epubPackage(withKoboSpans(book), ctx);
    for (const document of pkg.documents) {
      if (document.id !== 'cover') document.xhtml = withKoboWrappers(document.xhtml);
    }
    await writeEpub(pkg, path, ctx.cache);
    return { format: 'kepub', path, bytes: (await stat(path)).size };
  },
};

/**
 * The Book with every sentence of every segment in Kobo's spans: each segment is a paragraph (P,
 * counted through the article, which is one document), each piece of a sentence's text a span (S):
 * a span holds text only, so a sentence that runs through a link or an emphasis is spanned piece by
 * piece, as kepubify does. Preformatted code is left alone (Kobo counts prose).
 */
export function withKoboSpans(book: Book): Book {
  const paragraphs = new Map<string, number>();
  return mapBookSegments(book, (segment, article, place) => {
    if (place.type === 'code' || place.type === 'rule') return segment;
    const p = (paragraphs.get(article.id) ?? 0) + 1;
    const spanned = spanSegment(segment, p);
    // a segment without text (an image) is no paragraph
    if (spanned !== segment) paragraphs.set(article.id, p);
    return spanned;
  });
}

function spanSegment(segment: Segment, paragraph: number): Segment {
  const nodes = readXhtml(segment.html);
  // the segment's text as the reader meets it (preformatted text aside), and where each text node starts in it
  const texts: { node: { value: string }; start: number }[] = [];
  let all = '';
  const collect = (list: XNode[]): void => {
    for (const node of list) {
      if (node.type === 'text') {
        texts.push({ node, start: all.length });
        all += node.value;
      } else if (node.name !== 'pre') collect(node.children);
    }
  };
  collect(nodes);
  const ends = new Set<number>();
  let at = 0;
  for (const sentence of sentences(all, segment.lang)) ends.add((at += sentence.length));
  let s = 0;
  const starts = new Map(texts.map((t) => [t.node, t.start]));
  const span = (list: XNode[]): XNode[] =>
    list.flatMap((node): XNode[] => {
      if (node.type === 'element')
        return node.name === 'pre' ? [node] : [{ ...node, children: span(node.children) }];
      const start = starts.get(node)!;
      const out: XNode[] = [];
      let from = 0;
      const cuts = [...ends].filter((e) => e > start && e < start + node.value.length).map((e) => e - start);
      for (const to of [...cuts, node.value.length]) {
        const piece = node.value.slice(from, to);
        from = to;
        if (piece.trim() === '') {
          if (piece) out.push({ type: 'text', value: piece });
          continue;
        }
        out.push({
          type: 'element',
          name: 'span',
          attrs: [
            ['class', 'koboSpan'],
            ['id', `kobo.${paragraph}.${++s}`],
          ],
          children: [{ type: 'text', value: piece }],
        });
      }
      return out;
    });
  const spanned = span(nodes);
  return s === 0 ? segment : { ...segment, html: writeXhtml(spanned) };
}

/**
 * Kobo's page wrappers around a document's body. The document is the EPUB format's, from its
 * page template: one `<body …>` and one `</body>`, which are all this looks for.
 */
export function withKoboWrappers(xhtml: string): string {
  const open = xhtml.indexOf('<body');
  const openEnd = xhtml.indexOf('>', open) + 1;
  const close = xhtml.lastIndexOf('</body>');
  if (open < 0 || close < openEnd) return xhtml;
  return `${xhtml.slice(0, openEnd)}<div id="book-columns"><div id="book-inner">${xhtml.slice(openEnd, close)}</div></div>${xhtml.slice(close)}`;
}
