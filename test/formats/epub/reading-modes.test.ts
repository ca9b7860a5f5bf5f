/**
 * Every reading mode (issue 9): a reading system's day, night (white on black) or sepia mode sets
 * only `html, body`; no text of the book may then fall below a contrast of 7:1 (WCAG AAA), in any
 * layout. The fixture book holds every kind of element the templates and the Markdown emit, one
 * article per layout, so one EPUB and one Chromium cover them all; the corpus run is optional.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openConfinedPage, withBrowser } from '../../../src/browser/index.js';
import { LAYOUTS } from '../../../src/model.js';
import { BookTest } from '../../book-test.js';
import { CORPUS, CORPUS_CACHE, FULL_CHECKS, HAVE_CORPUS } from '../../helpers.js';
import {
  everyElementArticle as article,
  measureReadingModes,
  READING_MODES,
  type TextContrast,
  transparentPng,
  unzipTo,
  xhtmlFiles,
} from '../../reading-modes.js';

const MIN_CONTRAST = 7;

/** The failures, one line each, for a readable assertion message. */
function below(results: TextContrast[]): string[] {
  return results
    .filter((r) => r.ratio < MIN_CONTRAST)
    .map((r) => `${r.mode} ${r.file} ${r.where} "${r.text}" ${r.color} on ${r.background}: ${r.ratio}`);
}

describe.skipIf(!chromiumAvailable())('reading modes', () => {
  let book: BookTest;
  let dir: string;
  let results: TextContrast[];

  beforeAll(async () => {
    book = BookTest.create('anthology-modes-').toml(
      '[book]\ntitle = "Night"\neditors = ["Ed Itor"]\nlanguage = "zh"\nsubtitle = "A book for every mode"\n',
    );
    const png = await transparentPng();
    for (const layout of LAYOUTS)
      book.article(`part/${layout}/index.md`, article(layout)).file(`content/part/${layout}/square.png`, png);
    const { file } = await book.write('epub', { cacheDir: false });
    dir = unzipTo(file.path);
    results = await withBrowser((browser) => measureReadingModes(browser, dir));
  }, 180_000);
  afterAll(() => {
    book?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('measures the texts of every layout and of the book pages, in every mode', () => {
    for (const mode of READING_MODES) {
      const texts = results.filter((r) => r.mode === mode.name);
      // the title page, the contents, and each layout's translation (the Chinese paragraph) are measured
      expect(texts.some((r) => r.where.includes('title-page'))).toBe(true);
      expect(texts.some((r) => r.where.includes('contents'))).toBe(true);
      expect(texts.some((r) => r.where.includes('byline'))).toBe(true);
      for (const layout of ['interleaved', 'side-by-side', 'translation']) {
        expect(
          texts.some((r) => r.where.includes(`layout-${layout}`) && r.text.startsWith('夜里读书很安静')),
        ).toBe(true);
      }
      expect(
        texts.some(
          (r) => r.where.includes('layout-original') && r.text.startsWith('Reading at night is quiet'),
        ),
      ).toBe(true);
      expect(texts.some((r) => r.where.includes('mark'))).toBe(true);
      expect(texts.some((r) => r.where.endsWith('::before'))).toBe(true);
    }
  });

  it('keeps every text at 7:1 or more by day, at night and in sepia', () => {
    expect(below(results)).toEqual([]);
  });

  it('sets the translation apart by typography, not by ink', () => {
    const night = results.filter((r) => r.mode === 'night' && r.where.includes('layout-interleaved'));
    const translation = night.find((r) => r.text.startsWith('夜里读书很安静'))!;
    const original = night.find((r) => r.text.startsWith('Reading at night is quiet'))!;
    expect(translation.color).toBe(original.color);
  });
});

/**
 * Where the side-by-side pair's translation stands against its original: beside it (two columns)
 * or below it (one column). With `dropMedia`, every @media rule is removed first, as calibre does
 * when it converts to AZW3 for Kindle.
 */
async function sideBySide(dir: string, width: number, dropMedia: boolean): Promise<'beside' | 'below'> {
  return withBrowser(async (browser) => {
    const page = await openConfinedPage(browser, [dir]);
    await page.setViewport({ width, height: 1024 });
    const file = xhtmlFiles(dir).find((f) =>
      readFileSync(join(dir, f), 'utf8').includes('layout-side-by-side'),
    )!;
    await page.goto(pathToFileURL(join(dir, file)).href, { waitUntil: 'load' });
    // The linked sheet is another origin (file:) to the page's scripts: put its text inline to edit its rules.
    const css = readFileSync(join(dir, 'EPUB', 'css', 'book.css'), 'utf8');
    return (await page.evaluate(`(() => {
      if (${dropMedia}) {
        for (const link of document.querySelectorAll('link[rel=stylesheet]')) link.remove();
        const style = document.createElementNS('http://www.w3.org/1999/xhtml', 'style');
        style.textContent = ${JSON.stringify(css)};
        document.head.appendChild(style);
        const sheet = style.sheet;
        for (let i = sheet.cssRules.length - 1; i >= 0; i--) if (sheet.cssRules[i] instanceof CSSMediaRule) sheet.deleteRule(i);
      }
      const pair = document.querySelector('.pair.side-by-side');
      const a = pair.children[0].getBoundingClientRect(), b = pair.children[1].getBoundingClientRect();
      return b.top >= a.bottom - 1 ? 'below' : 'beside';
    })()`)) as 'beside' | 'below';
  });
}

describe.skipIf(!chromiumAvailable())('side-by-side on every screen', () => {
  let book: BookTest;
  let dir: string;
  beforeAll(async () => {
    book = BookTest.create('anthology-narrow-').toml(
      '[book]\ntitle = "Narrow"\neditors = ["Ed Itor"]\nlanguage = "zh"\n',
    );
    book.article('side/index.md', article('side-by-side'));
    dir = unzipTo((await book.write('epub', { cacheDir: false })).file.path);
  }, 120_000);
  afterAll(() => {
    book?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is two columns on a wide screen, one on a phone, and one where @media is dropped', async () => {
    expect(await sideBySide(dir, 758, false)).toBe('beside');
    expect(await sideBySide(dir, 360, false)).toBe('below');
    expect(await sideBySide(dir, 758, true)).toBe('below');
  }, 120_000);
});

// The corpus in every layout and mode is about 110,000 measurements and takes minutes: with
// ANTHOLOGY_FULL_CHECKS=1. The fixture above covers every element the templates make, in every layout and mode.
describe.skipIf(!chromiumAvailable() || !HAVE_CORPUS || !FULL_CHECKS)('reading modes on the corpus', () => {
  it('keeps every text of every layout at 7:1 or more in every mode', async () => {
    const book = BookTest.create('anthology-modes-corpus-').toml(
      `[book]\ntitle = "Clippings"\neditors = ["Test"]\n[content]\nfolder = ${JSON.stringify(CORPUS)}\n`,
    );
    const dirs: string[] = [];
    try {
      const failures: string[] = [];
      await withBrowser(async (browser) => {
        for (const layout of LAYOUTS) {
          const { file } = await book.write('epub', { layout, cacheDir: CORPUS_CACHE });
          const dir = unzipTo(file.path);
          dirs.push(dir);
          failures.push(...below(await measureReadingModes(browser, dir)).map((f) => `${layout}: ${f}`));
        }
      });
      expect(failures).toEqual([]);
    } finally {
      book.remove();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }, 1_200_000);
});
