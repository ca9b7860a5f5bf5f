import { pathToFileURL } from 'node:url';
import type { Config } from '../config/index.js';
import { layoutFor } from '../config/index.js';
import type { Book } from '../model.js';
import { fontFaceCss, FONT_STACK } from '../assets/fonts.js';
import { renderArticle } from './article.js';
import { contentsOf } from './contents.js';
import { stylesheetFor } from './styles.js';
import type { Templates } from './templates.js';

/**
 * The whole book as one HTML document for Chromium to print: title page, contents, then each
 * chapter opener followed by its articles. Images are referenced as `images/...` relative to
 * the folder the HTML is written to; fonts by file URL from the installed font packages.
 */
export function renderPrintHtml(book: Book, config: Config, templates: Templates): string {
  const parts = [
    templates.render('title-page', { book: book.meta, xml: false }),
    templates.render('contents', { chapters: contentsOf(book, (id) => `#${id}`), xml: false }),
  ];
  for (const chapter of book.chapters) {
    parts.push(templates.render('chapter', { chapter, xml: false }));
    for (const article of chapter.articles) {
      const { layout, order } = layoutFor(config, 'pdf', article.meta);
      parts.push(renderArticle(article, templates, { layout, order, xml: false, titleTag: 'h2' }));
    }
  }
  const css = [
    fontFaceCss({ urlFor: (path) => pathToFileURL(path).href }),
    `:root { --font-body: ${FONT_STACK.body}; --font-zh: ${FONT_STACK.zh}; --font-mono: ${FONT_STACK.mono}; }`,
    stylesheetFor('pdf', config),
    pageRule(config),
  ].join('\n');
  return templates.render('print-book', {
    lang: book.meta.language,
    book: book.meta,
    authorLine: [...book.meta.editors, ...book.meta.authors].join(', '),
    css,
    content: parts.join('\n'),
  });
}

const PAGE_SIZES: Record<string, string> = {
  A4: '210mm 297mm',
  A5: '148mm 210mm',
  B5: '176mm 250mm',
  Letter: '8.5in 11in',
  '6x9in': '6in 9in',
};

/**
 * Page size and margins from book.toml; inside and outside margins are mirrored for binding.
 * Also tells print.css the size of the page area, which limits the height of images.
 */
export function pageRule(config: Config): string {
  const { pageSize, margins } = config.pdf;
  const size = PAGE_SIZES[pageSize] ?? pageSize;
  const [width, height] = size.split(' ');
  return [
    `@page { size: ${size}; margin: ${margins.top} ${margins.outside} ${margins.bottom} ${margins.inside}; }`,
    `@page :left { margin-left: ${margins.outside}; margin-right: ${margins.inside}; }`,
    `@page :right { margin-left: ${margins.inside}; margin-right: ${margins.outside}; }`,
    `:root { --page-content-height: calc(${height} - ${margins.top} - ${margins.bottom}); --page-content-width: calc(${width} - ${margins.inside} - ${margins.outside}); }`,
  ].join('\n');
}
