/**
 * The book PDF as a reader gets it: front matter in roman, contents with the right page numbers,
 * chapter openers on right-hand pages, running heads, outline, links, tags; the sample book always,
 * the real corpus when ../shared is present (one build, about 20 s).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../../src/browser/index.js';
import { type BuildResult, build } from '../../../src/build.js';
import { BookTest } from '../../book-test.js';
import {
  CORPUS,
  CORPUS_CACHE,
  commandExists,
  HAVE_CORPUS,
  HAVE_POPPLER,
  ROOT,
  tempDir,
} from '../../helpers.js';
import { pdfInfo } from '../../inspect.js';
import { checkBookPdf, checkPageList, expectBook, frontPagesOf } from '../../pdf-book.js';
import { pdfPageTexts } from '../../pdf-text.js';
import { cjkSpacesInText } from '../../text-checks.js';

const canPrint = chromiumAvailable() && HAVE_POPPLER && commandExists('qpdf');

/** Page index (0-based) every link annotation on `pages` (0-based) goes to. */
function linkTargets(pdf: string, pages: number[]): number[] {
  const json = JSON.parse(
    execFileSync('qpdf', ['--json', '--json-key=pages', '--json-key=qpdf', pdf], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    }),
  );
  const objects = json.qpdf[1] as Record<string, { value?: Record<string, unknown> }>;
  const pageIndex = new Map<string, number>(
    (json.pages as Array<{ object: string }>).map((p, k) => [p.object, k]),
  );
  const targets: number[] = [];
  for (const index of pages) {
    const page = objects[`obj:${json.pages[index].object}`]!.value!;
    for (const ref of (page['/Annots'] as string[] | undefined) ?? []) {
      const annot = objects[`obj:${ref}`]!.value!;
      const dest = annot['/Dest'] as string[] | undefined;
      if (dest) targets.push(pageIndex.get(dest[0]!) ?? -1);
    }
  }
  return targets;
}

describe.skipIf(!canPrint)('the sample book as a PDF', () => {
  let out: string;
  let result: BuildResult;
  let pdf: string;
  beforeAll(async () => {
    out = tempDir('anthology-pdf-book-');
    // with the EPUB, which then has a page list of this PDF's pages
    result = await build({ bookDir: ROOT, out, formats: ['epub', 'pdf'] });
    pdf = result.files.find((f) => f.format === 'pdf')!.path;
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('numbers the contents right, opens chapters on the right, runs heads, embeds our fonts', () => {
    const report = expectBook(pdf, result);
    expect(report.headsChecked).toBeGreaterThan(10);
    expect(report.printed[0]).toBe(1);
    // The title page and the colophon carry no folio; the contents is numbered in roman.
    expect(report.pages[0]!.trim().split('\n').pop()).not.toMatch(/^\s*[ivx\d]+\s*$/);
    expect(report.pages[2]!.trimEnd().split('\n').pop()!.trim()).toBe('iii');
  });

  it('links every contents entry to its page', () => {
    const report = checkBookPdf(pdf, result.book);
    const targets = linkTargets(pdf, [2]);
    const wanted = report.printed.map((n) => report.frontPages + n - 1);
    // Each entry has one link per line of its text (the title, the original title).
    expect([...new Set(targets)]).toEqual([...new Set(wanted)]);
  });

  it('keeps one structure tree with the front matter first, and the metadata', () => {
    const struct = execFileSync('pdfinfo', ['-struct-text', pdf], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(struct.trim().split('\n')[0]).toMatch(/Document/);
    // Title page, then contents, then the first chapter: one tree, in reading order.
    const at = (text: string) => struct.indexOf(text);
    expect(at(result.book.meta.title)).toBeGreaterThan(0);
    expect(at('目录')).toBeGreaterThan(at(result.book.meta.title));
    expect(struct.indexOf(result.book.chapters[0]!.title, at('目录') + 2)).toBeGreaterThan(at('目录'));
    expect(struct).toMatch(/Link/);
    const info = pdfInfo(pdf);
    expect(info.Author).toBe('Anthology Editors');
    expect(Number(info.Pages)).toBe(result.files.find((f) => f.format === 'pdf')!.pages);
  });

  it('gives the EPUB built with it a page list: the first words of page N follow entry N', () => {
    const frontPages = frontPagesOf(pdf);
    const epub = BookTest.epubOf(result);
    const report = checkPageList(pdf, epub, frontPages);
    expect(report.problems).toEqual([]);
    // every page of text but the blank ones before chapter openers
    const textPages = Number(pdfInfo(pdf).Pages) - frontPages;
    expect(report.entries.length).toBeGreaterThanOrEqual(textPages - result.book.chapters.length);
    expect(report.entries.map((e) => Number(e.label))).toEqual(
      [...report.entries.map((e) => Number(e.label))].sort((a, b) => a - b),
    );
    expect(epub.files['EPUB/content.opf']).toMatch(
      /<meta property="schema:accessibilityFeature">pageNavigation<\/meta>/,
    );
    expect(epub.files['EPUB/content.opf']).toMatch(
      /<dc:source id="page-source">[^<]+<\/dc:source>\s*<meta refines="#page-source" property="source-of">pagination<\/meta>/,
    );
  });
});

describe.skipIf(!canPrint || !HAVE_CORPUS)('the corpus as a PDF', () => {
  let out: string;
  let result: BuildResult;
  let pdf: string;
  beforeAll(async () => {
    out = tempDir('anthology-pdf-corpus-');
    result = await build({
      bookDir: out,
      content: CORPUS,
      out,
      formats: ['epub', 'pdf'],
      cacheDir: CORPUS_CACHE,
    });
    pdf = result.files.find((f) => f.format === 'pdf')!.path;
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('draws no space between two Chinese characters outside code (the characters the pages show)', () => {
    expect(cjkSpacesInText(pdfPageTexts(pdf).join('\n'))).toEqual([]);
  });

  it('prints every title on the page the contents gives, with running heads, our fonts, full scale', () => {
    const report = expectBook(pdf, result);
    const articles = result.book.chapters.reduce((n, c) => n + c.articles.length, 0);
    expect(articles).toBeGreaterThanOrEqual(40);
    expect(report.printed.length).toBe(articles + result.book.chapters.length);
    expect(report.headsChecked).toBeGreaterThan(900);
    expect(Number(pdfInfo(pdf).Pages)).toBeGreaterThan(1000);
  });

  it('gives the EPUB a page list that finds every printed page', () => {
    const frontPages = frontPagesOf(pdf);
    const report = checkPageList(pdf, BookTest.epubOf(result), frontPages);
    expect(report.problems).toEqual([]);
    expect(report.entries.length).toBeGreaterThan(1000);
  });
});
