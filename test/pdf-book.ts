/** A small bilingual book in the shape the render stage makes, for the PDF tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fontFaceCss } from '../src/theme/fonts.js';

export const PRINT_CSS_PATH = fileURLToPath(new URL('../styles/print.css', import.meta.url));

export const LONG_URL =
  'https://example.com/a/very/long/path/that/never/ends/' + 'segment-without-any-break-'.repeat(12) + 'end.html';
export const WIDE_CODE_LINE = 'const x = ' + '"abcdefghij"+'.repeat(30) + '"z";';

export function articleHtml(id: string, zhTitle: string, enTitle: string, paragraphs: number, extra = ''): string {
  const pairs = Array.from({ length: paragraphs }, (_, k) =>
    `<div class="pair"><p class="original" lang="en">Paragraph ${k + 1} of ${enTitle}: the quick brown fox jumps over the lazy dog, and keeps running across the page until the line wraps at least once or twice.</p>` +
    `<p class="translation" lang="zh">${enTitle} 的第 ${k + 1} 段：敏捷的棕色狐狸跳过了懒狗，然后一直跑过整页，直到这一行至少折行一两次。“引号”、（括号）和《书名》都要正确排版。</p></div>`,
  ).join('\n');
  return `<article class="article layout-interleaved" id="${id}">
<header class="article-opener"><h2 class="article-title">${zhTitle}</h2><p class="original-title" lang="en">${enTitle}</p><p class="byline">Jane Doe · example.com · 2023-01-26</p></header>
<div class="article-body">
${pairs}
${extra}
</div>
</article>`;
}

export interface BookOptions {
  /** Extra HTML at the end of the body. */
  tail?: string;
  /** Repeat the articles to make a longer book. */
  copies?: number;
}

export function smallBookHtml(options: BookOptions = {}): string {
  const css = [
    fontFaceCss({ urlFor: (p) => pathToFileURL(p).href }),
    readFileSync(PRINT_CSS_PATH, 'utf8'),
  ].join('\n');
  const code = `<pre><code>// 打印“你好，世界”
function greet(name) {
  console.log(\`你好，\${name}！\`); // 中文注释 → ✓
}
${WIDE_CODE_LINE}</code></pre>`;
  const articles: string[] = [];
  for (let c = 0; c < (options.copies ?? 1); c++) {
    const s = c === 0 ? '' : `-${c}`;
    articles.push(`<section class="chapter" id="ch-1${s}"><h1 class="chapter-title">第一章 Chapter One${s}</h1></section>`);
    articles.push(articleHtml(`a-first${s}`, '第一篇文章', 'The First Article', 6,
      `${code}\n<p class="original" lang="en">Source: <a href="${LONG_URL}">${LONG_URL}</a></p>`));
    articles.push(articleHtml(`a-second${s}`, '第二篇文章', 'The Second Article', 4,
      '<p lang="en">Symbols ★ ☑ ⇄ ∑ ∞ ≠ ∮ 𝔸, emoji 😀 🚀 and with VS16 ❤\uFE0F ©\uFE0F 1\uFE0F\u20E3.</p>'));
  }
  return `<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"/><title>双语文集 A Bilingual Book</title><style>
${css}
</style></head><body class="print">
<section class="title-page"><h1 class="book-title">双语文集</h1><p class="book-subtitle" lang="en">A Bilingual Book</p></section>
<nav class="contents" id="contents"><h1 class="contents-title">目录</h1><ol><li><a href="#ch-1">第一章</a></li></ol></nav>
${articles.join('\n')}
${options.tail ?? ''}
</body></html>`;
}

// ---------------------------------------------------------------------------------------------
// Reading a built book PDF the way a reader checks it.

import { execFileSync } from 'node:child_process';
import type { Book } from '../src/model.js';
import { shorten } from '../src/theme/print.js';

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });

/** Compare titles as pdftotext gives them: without spaces, soft hyphens or line breaks. */
export const squash = (text: string): string => text.replace(/[\s\u00ad\u200b\ufe0f]+/g, '');

export interface BookPdfReport {
  /** Pages of front matter (labelled in roman). */
  frontPages: number;
  /** Page texts, index 0 = physical page 1. */
  pages: string[];
  /** Per entry (chapter, article in order): the number the contents prints. */
  printed: number[];
  /** Everything that is wrong, one line each. */
  problems: string[];
  /** Text pages (with a folio) checked for a running head. */
  headsChecked: number;
}

/**
 * Check a book PDF against its Book: the contents prints one number per chapter and article, and
 * that page (front matter + number) holds the title; chapter openers fall on odd folios; every text
 * page of an article carries its running head (chapter title on even folios, article title on odd).
 */
export function checkBookPdf(pdf: string, book: Book): BookPdfReport {
  const labels = JSON.parse(run('qpdf', ['--json', '--json-key=pagelabels', pdf])).pagelabels as Array<{ index: number; label: Record<string, unknown> }>;
  const frontPages = labels.find((l) => l.label['/S'] === '/D')?.index ?? 0;
  const pages = run('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-']).split('\f');
  const problems: string[] = [];
  const entries = book.chapters.flatMap((c) => [{ kind: 'chapter', title: c.title, chapter: c.title }, ...c.articles.map((a) => ({ kind: 'article', title: a.meta.title, chapter: c.title }))]);

  // The numbers at the end of the contents' lines, in order.
  const printed: number[] = [];
  // Page 1 is the title page, page 2 the colophon; the contents follows.
  for (let p = 2; p < frontPages; p++) {
    for (const line of pages[p]!.split('\n')) {
      const m = /\S\s{2,}(\d+)\s*$/.exec(line);
      if (m) printed.push(Number(m[1]));
    }
  }
  if (printed.length !== entries.length) problems.push(`the contents prints ${printed.length} page numbers for ${entries.length} chapters and articles`);

  let headsChecked = 0;
  entries.forEach((entry, k) => {
    const folio = printed[k];
    if (folio === undefined) return;
    const page = pages[frontPages + folio - 1] ?? '';
    if (!squash(page).includes(squash(entry.title))) problems.push(`"${entry.title}": the contents says page ${folio}, but the title is not on it`);
    if (entry.kind === 'chapter' && folio % 2 === 0) problems.push(`chapter "${entry.title}" opens on a left-hand page (${folio})`);
    if (entry.kind !== 'article') return;
    const end = printed[k + 1] ?? pages.length - frontPages;
    for (let f = folio; f < end; f++) {
      const text = pages[frontPages + f - 1] ?? '';
      const lines = text.split('\n').filter((l) => l.trim());
      if (lines.length < 3) continue; // a blank page
      const head = squash(shorten(f % 2 === 0 ? entry.chapter : entry.title)).replace(/…$/, '');
      headsChecked++;
      if (!squash(lines[0]!).startsWith(head.slice(0, 12))) problems.push(`page ${f}: running head "${lines[0]!.trim()}", expected "${head}"`);
      if (!new RegExp(`(^|\\s)${f}\\s*$`).test(lines[lines.length - 1]!)) problems.push(`page ${f}: no folio ${f} at the foot`);
    }
  });
  return { frontPages, pages, printed, problems, headsChecked };
}
