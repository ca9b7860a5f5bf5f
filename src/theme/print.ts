import { pathToFileURL } from 'node:url';
import { uncoveredCharacters } from '../assets/fonts.js';
import type { Config } from '../config/index.js';
import type { Article, Block, Book, LayoutName, PairOrder } from '../model.js';
import { articleTitles, renderArticle, sourceLabel } from './article.js';
import { contentsOf } from './contents.js';
import { cssString } from './css.js';
import { FONT_STACK, fontFaceCss } from './fonts.js';
import { hyphenateBook } from './hyphenate.js';
import type { Theme } from './index.js';

/** A chapter or article as the PDF's outline and contents know it, in reading order. */
interface PrintEntry {
  kind: 'chapter' | 'article';
  id: string;
  title: string;
}

/** The print book in its parts: the text, the front matter (for given page numbers), and a preview of both. */
export interface PrintBook {
  /** Chapters and articles, folios in arabic from 1. */
  body: string;
  /** Title page, colophon and contents, folios in roman; the contents shows `pages` when given. */
  front: (pages?: ReadonlyMap<string, number>) => string;
  /** Front matter and text in one document, contents linked by anchors and without page numbers. */
  preview: () => string;
  /** Every chapter and article in reading order, with the title its heading prints. */
  entries: PrintEntry[];
  /** Characters no bundled font has, by article (`source` as in Article). */
  uncovered: Array<{ source: string; characters: string[] }>;
  /** With `pageAnchors`: the places of the text whose printed page the PDF tells, in reading order. */
  anchors: PrintAnchor[];
  /**
   * The text is set on spreads (an article's print layout is `facing`): every page of `body` is
   * two pages wide, for the PDF to cut into its left and right page.
   */
  spreads: boolean;
}

/**
 * A place in the text. Blocks and blank versos carry an id (`pl.` then numbers, or a heading's own
 * anchor) that a hidden list of links makes Chromium write as a named destination (page and
 * height); chapters and articles are found through the outline, as the contents' page numbers are.
 */
export type PrintAnchor =
  | { kind: 'chapter'; chapter: string }
  | { kind: 'article'; article: string }
  | { kind: 'block'; id: string; article: string; block: number }
  | { kind: 'verso'; id: string };

export interface PrintOptions {
  /** Give the places of the text ids, for a page list (see PrintAnchor). */
  pageAnchors?: boolean;
}

/**
 * The prefix of the contents' links in the front matter print: the PDF format turns the link to
 * `${ENTRY_LINK_PREFIX}${n}` into a link to the page of entry n.
 */
export const ENTRY_LINK_PREFIX = 'https://anthology.invalid/entry/';

/**
 * The book for Chromium to print, as two documents: the text (every chapter opener preceded by a
 * blank verso, every article on its own named page carrying its running heads) and the front
 * matter. Images are referenced as `images/...` relative to the folder the HTML is written to;
 * fonts by file URL from the installed font packages.
 */
export function renderPrintBook(
  source: Book,
  config: Config,
  theme: Theme,
  options: PrintOptions = {},
): PrintBook {
  const { templates } = theme;
  const book = hyphenateBook(source);
  const entries: PrintEntry[] = [];
  const anchors: PrintAnchor[] = [];
  let versos = 0;
  let articleNumber = 0;
  const parts: string[] = [];
  const runningHeads: string[] = [];
  let pageName = 0;
  const uncovered: PrintBook['uncovered'] = [];
  const spreads = book.chapters.some((c) => c.articles.some((a) => a.layouts.pdf.layout === 'facing'));
  for (const chapter of book.chapters) {
    entries.push({ kind: 'chapter', id: chapter.id, title: chapter.title });
    // On spreads a chapter opener is the right half of its own spread: its verso is the left half.
    if (!spreads) {
      const verso = options.pageAnchors ? `pl.v${++versos}` : undefined;
      if (verso) anchors.push({ kind: 'verso', id: verso });
      parts.push(`<div class="chapter-verso"${verso ? ` id="${verso}"` : ''} aria-hidden="true"></div>`);
    }
    parts.push(templates.render('chapter', { chapter, xml: false }));
    if (options.pageAnchors) anchors.push({ kind: 'chapter', chapter: chapter.id });
    for (const article of chapter.articles) {
      const { order } = article.layouts.pdf;
      // An article with nothing to face (all in one language) runs across both pages of its spreads.
      const layout =
        article.layouts.pdf.layout === 'facing' && !hasPairs(article.blocks)
          ? 'interleaved'
          : article.layouts.pdf.layout;
      const { title } = articleTitles(article, layout);
      entries.push({ kind: 'article', id: article.id, title });
      const prefix = `pl.${++articleNumber}.`;
      const marks = options.pageAnchors
        ? {
            // a block with an id of its own (a heading's anchor) keeps it: links go there
            id: (block: number, own: string | undefined) => {
              const id = own ?? `${prefix}${block}`;
              anchors.push({ kind: 'block', id, article: article.id, block });
              return id;
            },
          }
        : undefined;
      if (options.pageAnchors) anchors.push({ kind: 'article', article: article.id });
      const html = renderArticle(article, templates, { layout, order, xml: false, titleTag: 'h2', marks });
      parts.push(html);
      const missing = uncoveredCharacters(html);
      if (missing.length) uncovered.push({ source: article.source, characters: missing });
      const name = `rh${++pageName}`;
      runningHeads.push(`article[id=${cssString(article.id)}] { page: ${name}; }`);
      if (spreads) {
        // A spread carries both heads: over a facing article, each page's title in its language.
        const [left, right] = spreadHeads(article, layout, order, chapter.title, title);
        runningHeads.push(
          `@page ${name} { @top-left { content: ${cssString(shorten(left))}; } @top-right { content: ${cssString(shorten(right))}; } }`,
        );
      } else {
        runningHeads.push(
          `@page ${name}:left { @top-left { content: ${cssString(shorten(chapter.title))}; } }`,
          `@page ${name}:right { @top-right { content: ${cssString(shorten(title))}; } }`,
        );
      }
    }
  }
  const css = bookCss(config, theme);
  const textCss = spreads ? `${runningHeads.join('\n')}\n${spreadRules(config)}` : runningHeads.join('\n');
  const wrap = (content: string, extraCss: string): string =>
    templates.render('print-book', {
      lang: book.meta.language,
      book: book.meta,
      authorLine: [...book.meta.editors, ...book.meta.authors].join(', '),
      css: `${css}\n${extraCss}`,
      content,
    });
  // Chromium writes a named destination only for an element something links to.
  const anchorLinks = anchors.flatMap((a) => ('id' in a ? [`<a href="#${a.id}"></a>`] : []));
  if (anchorLinks.length)
    parts.push(
      `<nav class="page-anchors" style="display:none" aria-hidden="true">${anchorLinks.join('')}</nav>`,
    );
  const body = parts.join('\n');
  const frontMatter = (
    pages?: ReadonlyMap<string, number>,
    link: (index: number, id: string) => string = (i) => `${ENTRY_LINK_PREFIX}${i}`,
  ): string => {
    const index = new Map(entries.map((e, k) => [e.id, k]));
    const contents = contentsOf(book, (id) => link(index.get(id) ?? -1, id), 'pdf').map((chapter, c) => ({
      ...chapter,
      page: pages?.get(book.chapters[c]!.id),
      articles: chapter.articles.map((article, a) => ({
        ...article,
        page: pages?.get(book.chapters[c]!.articles[a]!.id),
      })),
    }));
    return [
      templates.render('title-page', { book: book.meta, xml: false }),
      templates.render('print-colophon', colophonData(book)),
      templates.render('print-contents', { chapters: contents, pageNumbers: Boolean(pages) }),
    ].join('\n');
  };
  return {
    body: wrap(body, textCss),
    front: (pages) => wrap(frontMatter(pages), FRONT_MATTER_FOLIOS),
    uncovered,
    preview: () =>
      wrap(`${frontMatter(undefined, (_i, id) => `#${id}`)}\n${body}`, `${textCss}\n${PREVIEW_FOLIOS}`),
    entries,
    anchors,
    spreads,
  };
}

/**
 * The whole book as one HTML document, as `--format html` writes it: the same front matter and
 * text as the PDF, but the contents without page numbers (the PDF reads them from its own print),
 * front matter folios in roman and the text's folios running on from them instead of restarting at 1.
 */
export function renderPrintHtml(book: Book, config: Config, theme: Theme): string {
  return renderPrintBook(book, config, theme).preview();
}

function hasPairs(blocks: Block[]): boolean {
  return blocks.some(
    (b) =>
      b.kind === 'pair' ||
      (b.kind === 'list'
        ? b.items.some((i) => hasPairs(i.blocks))
        : b.kind !== 'single' && hasPairs(b.blocks)),
  );
}

/**
 * The running heads of a spread: over a facing article, the original's title on the original's
 * page and the translated title on the translation's; over another article on spreads, the
 * chapter's title on the left and the article's on the right, as on any left and right page.
 */
function spreadHeads(
  article: Article,
  layout: LayoutName,
  order: PairOrder,
  chapterTitle: string,
  title: string,
): [string, string] {
  if (layout !== 'facing') return [chapterTitle, title];
  const original = article.meta.originalTitle || title;
  return order === 'translation-first' ? [article.meta.title, original] : [original, article.meta.title];
}

/**
 * The page of a text set on spreads: two pages wide, the outside margins at its edges, the two
 * inside margins together in the middle as the gutter (--facing-gutter); both running heads and
 * both folios on every spread, the left folio even and the right odd (the page counter goes up by
 * two a spread; the first spread's blank left half, page 0, is dropped from the PDF).
 */
function spreadRules(config: Config): string {
  const { margins } = config.pdf;
  const [width, height] = pageSizeOf(config);
  const double = width.replace(/^[\d.]+/, (n) => String(Number(n) * 2));
  // margin boxes do not see the document's custom properties: the font stack itself
  const box = `font-family: ${FONT_STACK.body}; font-size: 8.5pt;`;
  const head = `font-family: ${FONT_STACK.body}; font-size: 8pt; font-style: italic; color: #444; vertical-align: bottom; padding-bottom: 5mm;`;
  const outside = `margin-left: ${margins.outside}; margin-right: ${margins.outside};`;
  return [
    `@page { size: ${double} ${height}; margin: ${margins.top} ${margins.outside} ${margins.bottom} ${margins.outside}; counter-increment: page 2;`,
    `  @top-left { ${head} } @top-right { ${head} }`,
    `  @bottom-left { content: counter(page); ${box} vertical-align: top; padding-top: 5mm; }`,
    `  @bottom-right { counter-increment: page 1; content: counter(page); ${box} vertical-align: top; padding-top: 5mm; } }`,
    `@page :left { ${outside} } @page :right { ${outside} } @page chapter { ${outside} } @page blank { ${outside} }`,
    `html { counter-reset: page -2; }`,
    `:root { --facing-gutter: calc(2 * ${margins.inside}); }`,
    // a chapter opener is the right half of its spread; the left half is its blank verso
    `.chapter { margin-left: calc(50% + ${margins.inside}); }`,
    // an article in another layout runs across both pages of each spread as one text
    `.article:not(.layout-facing) { columns: 2; column-gap: var(--facing-gutter); column-fill: auto; }`,
  ].join('\n');
}

/** In the preview, the front matter pages (named `front`) show roman folios. */
const PREVIEW_FOLIOS = `@page front:left { @bottom-left { content: counter(page, lower-roman); } }
@page front:right { @bottom-right { content: counter(page, lower-roman); } }
.print-contents, .colophon { page: front; }`;

/** Folios in roman in the front matter. */
const FRONT_MATTER_FOLIOS = `@page :left { @bottom-left { content: counter(page, lower-roman); } }
@page :right { @bottom-right { content: counter(page, lower-roman); } }`;

function bookCss(config: Config, theme: Theme): string {
  return [
    fontFaceCss({ urlFor: (path) => pathToFileURL(path).href }),
    `:root { --font-body: ${FONT_STACK.body}; --font-zh: ${FONT_STACK.zh}; --font-mono: ${FONT_STACK.mono}; }`,
    theme.stylesheet('pdf'),
    pageRule(config),
  ].join('\n');
}

function colophonData(book: Book): object {
  const hosts = new Map<string, number>();
  let articles = 0;
  for (const chapter of book.chapters) {
    for (const article of chapter.articles) {
      articles++;
      const host = sourceLabel(article);
      if (host) hosts.set(host, (hosts.get(host) ?? 0) + 1);
    }
  }
  const zh = book.meta.language.toLowerCase().startsWith('zh');
  const sources = [...hosts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([host, count]) => ({ host, count, label: count > 1 ? `${host} (${count})` : host }));
  return {
    book: book.meta,
    sources,
    articleCount: articles,
    // Chinese sets no space after `。`: the two sentences are joined without one
    joinWithSpace: !zh,
    fontsLine: zh
      ? '正文字体：Noto Serif SC、Noto Serif；代码：Noto Sans Mono。'
      : 'Set in Noto Serif and Noto Serif SC; code in Noto Sans Mono.',
    madeWith: zh
      ? `共 ${articles} 篇文章。由 anthology 排版。`
      : `${articles} articles. Typeset by anthology.`,
  };
}

/**
 * A running head short enough for one line: about 34 ems (a CJK character is one em, Latin half).
 * Emoji are left out: a head is for finding one's way, and in a margin box Chromium takes a ZWJ
 * sequence from a system colour font (a Type 3 font in the PDF).
 */
export function shorten(title: string, ems = 34): string {
  let width = 0;
  let out = '';
  // Each code point of an emoji sequence (joiner, selectors, skin tones) is removed on its own.
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: removed one code point at a time on purpose
  const plain = title.replace(/[\p{Extended_Pictographic}\u200d\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}]/gu, '');
  for (const ch of plain.replace(/\s+/g, ' ').trim()) {
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(
        ch,
      )
        ? 1
        : 0.55;
    if (width > ems) return `${out.trimEnd()}…`;
    out += ch;
  }
  return out;
}

const PAGE_SIZES: Record<string, string> = {
  A4: '210mm 297mm',
  A5: '148mm 210mm',
  B5: '176mm 250mm',
  Letter: '8.5in 11in',
  '6x9in': '6in 9in',
};

/** The page's width and height from book.toml (`A5` or `150mm 220mm`), as CSS lengths. */
function pageSizeOf(config: Config): [string, string] {
  const { pageSize } = config.pdf;
  return (PAGE_SIZES[pageSize] ?? pageSize).split(' ') as [string, string];
}

/**
 * Page size and margins from book.toml; inside and outside margins are mirrored for binding.
 * Also tells print.css the size of the page area, which limits the height of images.
 */
function pageRule(config: Config): string {
  const { margins } = config.pdf;
  const [width, height] = pageSizeOf(config);
  const size = `${width} ${height}`;
  const middle = `calc((${margins.inside} + ${margins.outside}) / 2)`;
  return [
    `@page { size: ${size}; margin: ${margins.top} ${margins.outside} ${margins.bottom} ${margins.inside}; }`,
    `@page :left { margin-left: ${margins.outside}; margin-right: ${margins.inside}; }`,
    `@page :right { margin-left: ${margins.inside}; margin-right: ${margins.outside}; }`,
    // Chapter openers and their blank versos may change sides when the PDF is joined: equal margins.
    ...['chapter', 'blank'].map(
      (name) => `@page ${name} { margin-left: ${middle}; margin-right: ${middle}; }`,
    ),
    `:root { --page-content-height: calc(${height} - ${margins.top} - ${margins.bottom}); --page-content-width: calc(${width} - ${margins.inside} - ${margins.outside}); }`,
  ].join('\n');
}
