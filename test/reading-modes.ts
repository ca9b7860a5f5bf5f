/**
 * Reading modes as reading systems apply them: an app's night or sepia mode sets only the colour
 * and background of `html, body` (Apple Books, Google Play Books, KOReader's night mode in CSS,
 * Thorium's themes), and every rule of the book's own CSS still applies. A text whose colour the
 * book fixed, or that sits on a background the book fixed, can then vanish. These helpers open
 * each XHTML document of an unzipped EPUB in Chromium, force a mode, and measure the WCAG contrast
 * of every text the page shows (computed colour against the effective background behind it).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import type { Browser } from '../src/browser/index.js';
import { openConfinedPage } from '../src/browser/index.js';

export interface ReadingMode {
  name: string;
  /** The CSS the reading system adds; empty for the book as it is on a white page. */
  css: string;
}

export const READING_MODES: readonly ReadingMode[] = [
  { name: 'day', css: '' },
  { name: 'night', css: 'html, body { color: #ffffff !important; background-color: #000000 !important; }' },
  { name: 'sepia', css: 'html, body { color: #5b4636 !important; background-color: #f4ecd8 !important; }' },
];

export interface TextContrast {
  file: string;
  mode: string;
  /** The element (tag and classes, innermost last) and the start of its text. */
  where: string;
  text: string;
  color: string;
  background: string;
  ratio: number;
}

/** Every XHTML document under `dir` (an unzipped EPUB), book-relative. */
export function xhtmlFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.xhtml')) found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found;
}

/**
 * Runs in the page (as a string: the test runner's transpiler must not touch it). For each element
 * with its own visible text, and each ::before/::after with text content, the contrast of its
 * colour over the backgrounds stacked behind it, down to the canvas (white, as in a browser).
 */
const MEASURE = String.raw`(() => {
  const parse = (c) => {
    const m = /rgba?\(([^)]*)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const channel = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const ratio = (a, b) => { const x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  };
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && parts.length < 4; e = e.parentElement) parts.unshift(e.localName + (e.classList.length ? '.' + [...e.classList].join('.') : ''));
    return parts.join(' > ');
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && el.getClientRects().length > 0;
  };
  const results = [];
  const measure = (el, style, text, where) => {
    const bg = background(el);
    const fg = over(parse(style.color) || [0, 0, 0, 1], bg);
    const round = (c) => 'rgb(' + c.slice(0, 3).map(Math.round).join(',') + ')';
    results.push({ where, text: text.slice(0, 40), color: round(fg), background: round(bg), ratio: Math.round(ratio(fg, bg) * 100) / 100 });
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    if (!shown(el)) continue;
    const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('').trim();
    if (own) measure(el, getComputedStyle(el), own, describe(el));
    for (const pseudo of ['::before', '::after']) {
      const style = getComputedStyle(el, pseudo);
      const content = style.content;
      if (content && content !== 'none' && content !== 'normal' && /[^\s"']/.test(content)) measure(el, style, content, describe(el) + pseudo);
    }
  }
  return results;
})()`;

/**
 * The contrast of every text in every XHTML document of the unzipped EPUB in `dir`, in each mode.
 * One confined page per document; the modes are switched by adding a stylesheet, as an app does.
 */
export async function measureReadingModes(
  browser: Browser,
  dir: string,
  modes: readonly ReadingMode[] = READING_MODES,
): Promise<TextContrast[]> {
  const page = await openConfinedPage(browser, [dir]);
  const results: TextContrast[] = [];
  try {
    await page.setViewport({ width: 758, height: 1024 });
    for (const file of xhtmlFiles(dir)) {
      await page.goto(pathToFileURL(join(dir, file)).href, { waitUntil: 'load' });
      for (const mode of modes) {
        await page.evaluate(`(() => {
          let style = document.getElementById('reading-mode');
          if (!style) {
            style = document.createElementNS('http://www.w3.org/1999/xhtml', 'style');
            style.id = 'reading-mode';
            (document.head || document.documentElement).appendChild(style);
          }
          style.textContent = ${JSON.stringify(mode.css)};
        })()`);
        const measured = (await page.evaluate(MEASURE)) as Omit<TextContrast, 'file' | 'mode'>[];
        for (const m of measured) results.push({ file, mode: mode.name, ...m });
      }
    }
  } finally {
    await page.close();
  }
  return results;
}

/** An article with every block and inline the Markdown and the templates make, in one layout. */
export function everyElementArticle(layout: string): string {
  return `---
title: 夜里读书（${layout}）
original_title: Reading at night (${layout})
author: Ann Author
source: https://example.com/night-${layout}
date: 2023-01-06
layout: ${layout}
---

Reading at night is quiet, with **strong**, *emphasis*, \`code\`, a [link](https://example.com/) and <kbd>Ctrl</kbd>.

夜里读书很安静，有**粗体**、*强调*、\`代码\`、[链接](https://example.com/)和 <kbd>Ctrl</kbd>。

## A heading

## 一个标题

### A smaller heading

### 一个小标题

- The first item of a list.

  列表的第一项。

- The second item, <mark>marked</mark>.

  第二项，<mark>标记的</mark>。

> A quotation, set apart from the text.
>
> 一段引文，与正文分开。

\`\`\`js
const night = true;
\`\`\`

| Column | 列 |
|---|---|
| cell | 单元格 |

![A transparent square](square.png)

![Gone](missing.png)

![Remote](https://example.com/remote.png)

---

A last paragraph with a footnote-like mark<sup>1</sup> and H<sub>2</sub>O.

最后一段，带有上标<sup>1</sup>和 H<sub>2</sub>O。
`;
}

/** Black line art on a transparent ground. */
export async function transparentPng(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([
      {
        input: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><path d="M5 5 L35 35" stroke="black" stroke-width="3"/></svg>',
        ),
      },
    ])
    .png()
    .toBuffer();
}

/** Unzips an EPUB into a new temporary folder (the caller removes it). */
export function unzipTo(file: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'anthology-modes-'));
  for (const [name, data] of Object.entries(unzipSync(new Uint8Array(readFileSync(file))))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return dir;
}
