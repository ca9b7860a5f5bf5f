/** A small bilingual book in the shape the render stage makes, for the PDF tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fontFaceCss } from '../src/assets/fonts.js';

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
