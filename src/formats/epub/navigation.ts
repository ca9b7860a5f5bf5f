/**
 * The navigation of the EPUB: EPUB/nav.xhtml (the EPUB 3 navigation document: table of
 * contents, landmarks, page list) and EPUB/toc.ncx (the EPUB 2 table of contents).
 */
import { encodeHref } from './ids.js';
import { type Checked, type NavPoint, walk } from './manifest.js';
import { attr, text } from './xml.js';

export function nav(c: Checked): string {
  const { pkg } = c;
  const lang = attr(c.languages[0]!);
  const list = (points: NavPoint[], depth: number): string => {
    const pad = '  '.repeat(depth);
    const items = points.map((p) => {
      const link = `<a href="${attr(encodeHref(p.href))}">${text(p.title)}</a>`;
      return p.children?.length
        ? `${pad}  <li>${link}\n${list(p.children, depth + 2)}\n${pad}  </li>`
        : `${pad}  <li>${link}</li>`;
    });
    return `${pad}<ol>\n${items.join('\n')}\n${pad}</ol>`;
  };
  const landmarks = pkg.landmarks.length
    ? `
    <nav epub:type="landmarks" id="landmarks" hidden="">
      <ol>
${pkg.landmarks
  .map(
    (l) =>
      `        <li><a epub:type="${l.type}" href="${attr(encodeHref(l.href))}">${text(l.title)}</a></li>`,
  )
  .join('\n')}
      </ol>
    </nav>`
    : '';
  const pageList = pkg.pageList?.pages.length
    ? `
    <nav epub:type="page-list" id="page-list" role="doc-pagelist" hidden="">
      <h2>${text(pkg.pageList.title)}</h2>
      <ol>
${pkg.pageList.pages.map((p) => `        <li><a href="${attr(encodeHref(p.href))}">${text(p.label)}</a></li>`).join('\n')}
      </ol>
    </nav>`
    : '';
  // The book's stylesheets, so a reading system that shows this document as a page shows it in the
  // book's look, its links in the text's colour (a browser's default link blue is unreadable in
  // a night mode's white on black).
  const styles = c.resources
    .filter((r) => r.mediaType === 'text/css')
    .map((r) => `\n    <link rel="stylesheet" type="text/css" href="${attr(encodeHref(r.href))}"/>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="${lang}" xml:lang="${lang}">
  <head>
    <meta charset="UTF-8"/>
    <title>${text(pkg.tocTitle)}</title>${styles}
  </head>
  <body>
    <nav epub:type="toc" id="toc" role="doc-toc">
      <h1>${text(pkg.tocTitle)}</h1>
${list(pkg.toc, 3)}
    </nav>${landmarks}${pageList}
  </body>
</html>
`;
}

export function ncx(c: Checked): string {
  const { pkg } = c;
  // playOrder follows reading order; entries that point to the same target share a number.
  const order = new Map<string, number>();
  walk(pkg.toc, (p) => {
    if (!order.has(p.href)) order.set(p.href, order.size + 1);
  });
  let n = 0;
  const points = (list: NavPoint[], depth: number): string[] =>
    list.flatMap((p) => {
      const pad = '  '.repeat(depth);
      const id = `navPoint-${++n}`;
      return [
        `${pad}<navPoint id="${id}" playOrder="${order.get(p.href)}">`,
        `${pad}  <navLabel><text>${text(p.title)}</text></navLabel>`,
        `${pad}  <content src="${attr(encodeHref(p.href))}"/>`,
        ...points(p.children ?? [], depth + 1),
        `${pad}</navPoint>`,
      ];
    });
  const depth = (list: NavPoint[]): number => Math.max(0, ...list.map((p) => 1 + depth(p.children ?? [])));
  const authors = pkg.metadata.creators.map((cr) => `  <docAuthor><text>${text(cr.name)}</text></docAuthor>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${attr(c.languages[0]!)}">
  <head>
    <meta name="dtb:uid" content="${attr(pkg.metadata.identifier.trim())}"/>
    <meta name="dtb:depth" content="${depth(pkg.toc)}"/>
    <meta name="dtb:totalPageCount" content="0"/>
    <meta name="dtb:maxPageNumber" content="0"/>
  </head>
  <docTitle><text>${text(pkg.metadata.title)}</text></docTitle>
${authors.length ? `${authors.join('\n')}\n` : ''}  <navMap>
${points(pkg.toc, 2).join('\n')}
  </navMap>
</ncx>
`;
}
