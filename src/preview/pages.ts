/**
 * The preview's pages, rendered on request from the current Book: the contents with the whole
 * book's problems, each article in its layout (or one chosen with `?layout=`) with every
 * problem marked at its block, and the print view (the print HTML the PDF is printed from).
 * E-reader pages use the EPUB's stylesheet and the bundled fonts, served by the preview itself:
 * nothing comes from the network.
 */
import { pathToFileURL } from 'node:url';
import { fontFaces } from '../assets/fonts.js';
import type { Config } from '../config/index.js';
import { escapeAttr, escapeText } from '../markdown/xhtml.js';
import { type Article, type Block, type Book, type Diagnostic, LAYOUTS, type LayoutName } from '../model.js';
import { renderArticle } from '../theme/article.js';
import { FONT_STACK, fontFaceCss } from '../theme/fonts.js';
import type { Theme } from '../theme/index.js';
import { renderPrintHtml } from '../theme/print.js';

export const CLIENT_PATH = '/_preview/client.js';
export const EVENTS_PATH = '/_preview/events';
export const FONT_PATH = '/_preview/font/';

/** What the pages are made from: the last good build, or the error that stopped the latest. */
export interface PreviewState {
  config?: Config;
  book?: Book;
  theme?: Theme;
  /** The message of the error that stopped the latest rebuild (the last good book is still shown). */
  error?: string;
}

/** The bundled fonts by the number the preview serves them under. */
export function fontFiles(): string[] {
  return fontFaces().map((face) => face.file);
}

const PREVIEW_CSS = `
.preview-bar { position: sticky; top: 0; z-index: 10; display: flex; flex-wrap: wrap; gap: .4em 1em; align-items: center;
  padding: .4em 1em; background: #f3f1ea; border-bottom: 1px solid #d8d3c4; font: 14px/1.4 system-ui, sans-serif; }
.preview-bar a { color: #234; } .preview-bar a[aria-current] { font-weight: bold; text-decoration: none; }
.preview-bar .preview-status { margin-left: auto; color: #666; }
.preview-error { margin: 1em; padding: .6em 1em; border: 2px solid #b00; background: #fee; font: 14px/1.4 system-ui, sans-serif; white-space: pre-wrap; }
.preview-block.has-problem { outline: 2px solid #d9822b; outline-offset: 4px; background: #fff7ec; }
.preview-problems { margin: .3em 0 1em; padding: .3em .6em; list-style: none; font: 13px/1.4 system-ui, sans-serif; color: #7a3e00; background: #fdebd3; }
.preview-problems code, .preview-list code { font-weight: bold; }
.preview-list { font: 14px/1.5 system-ui, sans-serif; margin: 1em 0; }
.preview-list li { margin: .2em 0; }
.preview-page { max-width: 42em; margin: 0 auto; padding: 1em; }
`;

function shell(
  title: string,
  lang: string,
  css: string,
  bar: string,
  content: string,
  state: PreviewState,
): string {
  const error = state.error
    ? `<div class="preview-error" role="alert">The latest change did not build; showing the last good version.\n${escapeText(state.error)}</div>`
    : '';
  return `<!DOCTYPE html>
<html lang="${escapeAttr(lang)}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>${escapeText(title)}</title>
<style>${css}\n${PREVIEW_CSS}</style>
<script src="${CLIENT_PATH}" defer></script>
</head>
<body>
<nav class="preview-bar">${bar}<span class="preview-status" id="preview-status"></span></nav>
${error}
<div id="preview-root">
${content}
</div>
</body>
</html>
`;
}

/** The stylesheet of the e-reader view: the bundled fonts (served by the preview) and the EPUB's styles. */
function ereaderCss(theme: Theme): string {
  const index = new Map(fontFiles().map((file, i) => [file, i]));
  return [
    fontFaceCss({ urlFor: (path) => `${FONT_PATH}${index.get(path)}`, display: 'swap' }),
    `:root { --font-body: ${FONT_STACK.body}; --font-zh: ${FONT_STACK.zh}; --font-mono: ${FONT_STACK.mono}; }`,
    theme.stylesheet('epub'),
  ].join('\n');
}

function bar(
  current: 'contents' | 'article' | 'print',
  options: { article?: Article; layout?: LayoutName } = {},
): string {
  const link = (href: string, text: string, active: boolean) =>
    `<a href="${escapeAttr(href)}"${active ? ' aria-current="page"' : ''}>${escapeText(text)}</a>`;
  const parts = [link('/', 'Contents', current === 'contents')];
  if (options.article) {
    const id = options.article.id;
    parts.push(
      link(`/a/${id}`, 'E-reader view', current === 'article'),
      link(`/print#${id}`, 'Print view', false),
    );
    parts.push(
      `<span>Layout: ${LAYOUTS.map((l) => link(`/a/${id}?layout=${l}`, l, l === options.layout)).join(' · ')}</span>`,
    );
  } else parts.push(link('/print', 'Print view', current === 'print'));
  return parts.join(' ');
}

const location = (d: Diagnostic) => `${d.file}${d.line ? `:${d.line}` : ''}`;

function problemItem(d: Diagnostic, href?: string): string {
  const where = href
    ? `<a href="${escapeAttr(href)}">${escapeText(location(d))}</a>`
    : escapeText(location(d));
  return `<li class="preview-problem" data-code="${escapeAttr(d.code)}"${d.line ? ` data-line="${d.line}"` : ''}><code>${escapeText(d.code)}</code> ${where}: ${escapeText(d.message)}</li>`;
}

/** Which top-level block a diagnostic belongs to: the last one starting at or before its line. */
function blockIndexOf(blocks: readonly Block[], line: number | undefined): number {
  if (line === undefined) return -1;
  let found = -1;
  blocks.forEach((b, i) => {
    if (b.line <= line) found = i;
  });
  return found;
}

export function contentsPage(state: PreviewState): string {
  const { book } = state;
  if (!book) return shell('anthology preview', 'en', '', bar('contents'), '', state);
  const articleOf = new Map<string, Article>();
  for (const chapter of book.chapters) for (const a of chapter.articles) articleOf.set(a.source, a);
  const countOf = (a: Article) => book.diagnostics.filter((d) => d.file === a.source).length;
  const chapters = book.chapters
    .map((c) => {
      const items = c.articles.map((a) => {
        const n = countOf(a);
        return `<li><a href="/a/${escapeAttr(a.id)}">${escapeText(a.meta.title)}</a>${a.meta.originalTitle ? ` <span lang="${escapeAttr(a.originalLang)}">${escapeText(a.meta.originalTitle)}</span>` : ''}${n ? ` <span class="preview-count">(${n} problem${n === 1 ? '' : 's'})</span>` : ''}</li>`;
      });
      return `<li><strong>${escapeText(c.title)}</strong><ol>${items.join('')}</ol></li>`;
    })
    .join('\n');
  const problems = book.diagnostics.map((d) => {
    const article = articleOf.get(d.file);
    const index = article ? blockIndexOf(article.blocks, d.line) : -1;
    const href = article
      ? `/a/${article.id}${index >= 0 ? `#line-${article.blocks[index]!.line}` : ''}`
      : undefined;
    return problemItem(d, href);
  });
  const content = `<div class="preview-page">
<h1>${escapeText(book.meta.title)}</h1>
<nav><ol class="preview-contents">${chapters}</ol></nav>
<h2>Problems (${book.diagnostics.length})</h2>
<ul class="preview-list" id="preview-all-problems">${problems.join('\n')}</ul>
</div>`;
  return shell(
    book.meta.title,
    book.meta.language,
    state.theme ? ereaderCss(state.theme) : '',
    bar('contents'),
    content,
    state,
  );
}

/** One article in its layout (or `layout`), each block wrapped with its line and its problems. */
export function articlePage(state: PreviewState, id: string, layout?: LayoutName): string | undefined {
  const { book, theme } = state;
  const article = book?.chapters.flatMap((c) => c.articles).find((a) => a.id === id);
  if (!book || !theme || !article) return undefined;
  // the e-reader view: facing pages are for print (the print view shows the spreads)
  const chosen = layout === 'facing' ? 'side-by-side' : (layout ?? article.layouts.epub.layout);
  const mine = book.diagnostics.filter((d) => d.file === article.source);
  const byBlock = new Map<number, Diagnostic[]>();
  for (const d of mine) {
    const index = blockIndexOf(article.blocks, d.line);
    byBlock.set(index, [...(byBlock.get(index) ?? []), d]);
  }
  const html = renderArticle(article, theme.templates, {
    layout: chosen,
    order: article.layouts.epub.order,
    xml: false,
    titleTag: 'h1',
    wrapBlock: (block, inner) => {
      const problems = byBlock.get(article.blocks.indexOf(block)) ?? [];
      const list = problems.length
        ? `<ul class="preview-problems">${problems.map((d) => problemItem(d)).join('')}</ul>`
        : '';
      return `<div class="preview-block${problems.length ? ' has-problem' : ''}" id="line-${block.line}" data-line="${block.line}">${inner}${list}</div>`;
    },
  });
  const list = mine.length
    ? `<ul class="preview-list" id="preview-article-problems">${mine
        .map((d) => {
          const index = blockIndexOf(article.blocks, d.line);
          return problemItem(d, index >= 0 ? `#line-${article.blocks[index]!.line}` : undefined);
        })
        .join('\n')}</ul>`
    : '<p class="preview-list" id="preview-article-problems">No problems.</p>';
  const content = `<div class="preview-page">${list}\n${html}</div>`;
  return shell(
    article.meta.title,
    book.meta.language,
    ereaderCss(theme),
    bar('article', { article, layout: chosen }),
    content,
    state,
  );
}

/** The print HTML as `--format html` writes it, its font files served by the preview instead of read from disk. */
export function printPage(state: PreviewState): string {
  const { book, config, theme } = state;
  if (!book || !config || !theme) return contentsPage(state);
  let html = renderPrintHtml(book, config, theme);
  fontFiles().forEach((file, i) => {
    html = html.split(pathToFileURL(file).href).join(`${FONT_PATH}${i}`);
  });
  const script = `<script src="${CLIENT_PATH}" defer></script>`;
  return html.replace(/<\/head>/i, `${script}\n</head>`);
}
