/**
 * The kepub format: the EPUB as Kobo's own reader wants it, `<slug>.kepub.epub`. Kobo counts
 * reading (time left in the chapter, statistics) and places highlights by its sentence spans,
 * `<span class="koboSpan" id="kobo.P.S">` (spans.ts), and lays pages out in
 * `<div id="book-columns"><div id="book-inner">`. Without them a Kobo shows a plain EPUB through
 * its older engine, without those features.
 *
 * Built on the EPUB format, not beside it: the EPUB format makes the package (images, cover,
 * fonts, the same documents), and each document but the cover gets its spans (the text itself
 * unchanged) and Kobo's wrappers. Take the spans and wrappers away and every document is the EPUB's.
 */

import { stat } from 'node:fs/promises';
import { epubPackage } from '../epub/index.js';
import { writeEpub } from '../epub/package.js';
import { type Format, outputPath } from '../format.js';
import { withKoboSpans } from './spans.js';

export const kepubFormat: Format = {
  name: 'kepub',
  async write(book, ctx) {
    const path = outputPath(book, ctx, '.kepub.epub');
    const pkg = await epubPackage(book, ctx);
    for (const document of pkg.documents) {
      if (document.id !== 'cover') document.xhtml = withKoboWrappers(withKoboSpans(document.xhtml));
    }
    await writeEpub(pkg, path, ctx.cache);
    return { format: 'kepub', path, bytes: (await stat(path)).size };
  },
};

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
