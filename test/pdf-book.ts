/** Reading a built book PDF the way a reader checks it: contents numbers, titles, openers, running heads. */

import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import type { BuildResult } from '../src/build.js';
import { decodeXml } from '../src/markdown/xhtml.js';
import type { Book } from '../src/model.js';
import { shorten } from '../src/theme/print.js';
import { type OutlineItem, pdfFonts, pdfInfo, pdfOutline, pdfScale } from './inspect.js';

const run = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });

/** Compare titles as pdftotext gives them: without spaces, soft hyphens or line breaks. */
const squash = (text: string): string =>
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each of these code points is dropped alone
  text.replace(/[\s\u00ad\u200b\ufe0f]+/g, '');

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
  const frontPages = frontPagesOf(pdf);
  const pages = run('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-']).split('\f');
  const problems: string[] = [];
  // A facing article opens on a left-hand page under its original title; its heads are its titles.
  const facing = (a: Book['chapters'][number]['articles'][number]) =>
    a.layouts.pdf.layout === 'facing' && pairsOf(a.blocks).length > 0;
  const entries = book.chapters.flatMap((c) => [
    { kind: 'chapter', title: c.title, chapter: c.title, right: c.title },
    ...c.articles.map((a) => ({
      kind: 'article',
      title: facing(a) ? a.meta.originalTitle || a.meta.title : a.meta.title,
      chapter: facing(a) ? a.meta.originalTitle || a.meta.title : c.title,
      right: a.meta.title,
    })),
  ]);

  // The numbers at the end of the contents' lines, in order.
  const printed: number[] = [];
  // Page 1 is the title page, page 2 the colophon; the contents follows.
  for (let p = 2; p < frontPages; p++) {
    for (const line of pages[p]!.split('\n')) {
      const m = /\S\s{2,}(\d+)\s*$/.exec(line);
      if (m) printed.push(Number(m[1]));
    }
  }
  if (printed.length !== entries.length)
    problems.push(
      `the contents prints ${printed.length} page numbers for ${entries.length} chapters and articles`,
    );

  let headsChecked = 0;
  entries.forEach((entry, k) => {
    const folio = printed[k];
    if (folio === undefined) return;
    const page = pages[frontPages + folio - 1] ?? '';
    if (!squash(page).includes(squash(entry.title)))
      problems.push(`"${entry.title}": the contents says page ${folio}, but the title is not on it`);
    if (entry.kind === 'chapter' && folio % 2 === 0)
      problems.push(`chapter "${entry.title}" opens on a left-hand page (${folio})`);
    if (entry.kind !== 'article') return;
    const end = printed[k + 1] ?? pages.length - frontPages;
    for (let f = folio; f < end; f++) {
      const text = pages[frontPages + f - 1] ?? '';
      const lines = text.split('\n').filter((l) => l.trim());
      if (lines.length < 3) continue; // a blank page
      const head = squash(shorten(f % 2 === 0 ? entry.chapter : entry.right)).replace(/…$/, '');
      headsChecked++;
      if (!squash(lines[0]!).startsWith(head.slice(0, 12)))
        problems.push(`page ${f}: running head "${lines[0]!.trim()}", expected "${head}"`);
      if (!new RegExp(`(^|\\s)${f}\\s*$`).test(lines[lines.length - 1]!))
        problems.push(`page ${f}: no folio ${f} at the foot`);
    }
  });
  return { frontPages, pages, printed, problems, headsChecked };
}

/** Pages of front matter: those before the first page labelled in arabic numerals. */
export function frontPagesOf(pdf: string): number {
  const labels = JSON.parse(run('qpdf', ['--json', '--json-key=pagelabels', pdf])).pagelabels as Array<{
    index: number;
    label: Record<string, unknown>;
  }>;
  return labels.find((l) => l.label['/S'] === '/D')?.index ?? 0;
}

/** The letters and digits of a text: what a PDF's text layer and an EPUB's text share, whatever the hyphens, spaces and line breaks. */
const letters = (text: string): string => text.normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '');

export interface PageListReport {
  /** The page list's entries: label, document, marker id. */
  entries: Array<{ label: string; href: string }>;
  /** For each entry checked, how many letters after its marker the page's first words are. */
  distances: number[];
  problems: string[];
}

/**
 * Check an EPUB's page list against the PDF of the same build: for every entry N, the first words
 * of the PDF's page N (after its running head) follow the marker of entry N in its document, within
 * `within` letters (a marker stands before the block the page begins in).
 */
export function checkPageList(
  pdf: string,
  epub: { files: Record<string, string> },
  frontPages: number,
  within = 8000,
): PageListReport {
  const pages = run('pdftotext', ['-enc', 'UTF-8', pdf, '-']).split('\f');
  const nav = epub.files['EPUB/nav.xhtml'] ?? '';
  const list = nav.slice(nav.indexOf('epub:type="page-list"'));
  const entries = nav.includes('epub:type="page-list"')
    ? [...list.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ href: m[1]!, label: m[2]! }))
    : [];
  const problems: string[] = [];
  const distances: number[] = [];
  const textOf = (xhtml: string): string =>
    xhtml
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
      .replace(/&(amp|lt|gt|quot|apos);/g, ' ');
  for (const { href, label } of entries) {
    const [doc, id] = href.split('#') as [string, string];
    const xhtml = epub.files[`EPUB/${doc}`];
    const marker = xhtml?.indexOf(`id="${id}"`) ?? -1;
    if (!xhtml || marker < 0) {
      problems.push(`page ${label}: no marker ${href}`);
      continue;
    }
    const lines = (pages[frontPages + Number(label) - 1] ?? '').split('\n').filter((l) => l.trim());
    // The page's first word of some length, without the running head (first line) and the folio
    // (last line); numbers are left out: a list's or a code line's number is not in the EPUB's text.
    // Words, not a run of text: tables and code come out of pdftotext in another order than the DOM's.
    const first = lines
      .slice(1, -1)
      .join(' ')
      .split(/\s+/)
      .map(letters)
      .find((word) => /\p{L}/u.test(word) && word.replace(/\p{N}/gu, '').length >= 5);
    if (!first) continue;
    const at = letters(textOf(xhtml.slice(marker))).indexOf(first);
    if (at < 0 || at > within)
      problems.push(`page ${label}: its first words ("${first}") are not just after ${href} (${at})`);
    else distances.push(at);
  }
  return { entries, distances, problems };
}

export interface FacingReport {
  pairs: number;
  /** Pairs whose original starts on a left-hand page and translation on the next, within a line's height. */
  aligned: number;
  /** Pairs found at all (both starts seen). */
  found: number;
  /** Body pages checked for their script, and those whose script is not their side's. */
  leftPages: number;
  rightPages: number;
  wrongScript: string[];
  /** The first pairs that are not aligned, for a message. */
  misses: string[];
  /** Where each pair's original was found (folio, y), in order; undefined when it was not. */
  trace: Array<{ key: string; folio?: number; y?: number }>;
}

interface BboxLine {
  y: number;
  text: string;
}

/** Every page's lines (top y in points and text), from `pdftotext -bbox-layout`. */
function bboxLines(pdf: string): BboxLine[][] {
  const xml = run('pdftotext', ['-bbox-layout', '-enc', 'UTF-8', pdf, '-']);
  return xml
    .split('<page ')
    .slice(1)
    .map((page) =>
      [...page.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([\s\S]*?)<\/line>/g)].map((m) => ({
        y: Number(m[1]),
        text: [...m[2]!.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => decodeXml(w[1]!)).join(' '),
      })),
    );
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/gu;
const LATIN = /[A-Za-z]/g;

/**
 * The facing book's promise, checked on its print: for every pair (original first), its original
 * starts on a left-hand (even) page and its translation on the page after, the two first lines
 * within `lineHeight` points of each other; left pages of facing articles are in the original's
 * script and right pages in the translation's (Latin / CJK: the corpus's pairs).
 */
export function checkFacing(
  pdf: string,
  book: Book,
  texts: (html: string) => string,
  lineHeight = 15,
): FacingReport {
  const frontPages = frontPagesOf(pdf);
  const pages = bboxLines(pdf);
  // a page's lines below its running head (which may begin as its first pair does)
  const body = (folio: number) => (pages[frontPages + folio - 1] ?? []).slice(1);
  // quotes and hyphens as the print sets them (curly, soft) are left out of both
  const plain = (text: string) =>
    squash(text)
      .replace(/['"‘’“”\u00ad\u2010-]/g, '')
      .replace(/^[•\d.]+/, '');
  const key = (text: string, n: number) => plain(text).slice(0, n);
  const lineKey = plain;
  const starts = (line: BboxLine, wanted: string) => {
    const have = lineKey(line.text);
    return (
      wanted.length > 0 &&
      have.length > 0 &&
      (have.startsWith(wanted) || (wanted.startsWith(have) && have.length >= 4))
    );
  };
  const report: FacingReport = {
    pairs: 0,
    aligned: 0,
    found: 0,
    leftPages: 0,
    rightPages: 0,
    wrongScript: [],
    misses: [],
    trace: [],
  };
  const folios = pages.length - frontPages;
  let cursor = 1;
  // where the last original was found: the next is after it
  let after = -1;
  const facingFolios = new Set<number>();
  for (const article of book.chapters.flatMap((c) => c.articles)) {
    if (article.layouts.pdf.layout !== 'facing') continue;
    let from: number | undefined;
    let first = true;
    for (const pair of pairsOf(article.blocks)) {
      report.pairs++;
      const original = key(texts(pair.original.html), 20);
      const translation = key(texts(pair.translation.html), 6);
      let hit: { folio: number; line: BboxLine } | undefined;
      // an article's first pair may be pages on (an article before it without pairs)
      for (let f = cursor; f <= Math.min(folios, cursor + (first ? folios : 8)) && !hit; f++) {
        const line = body(f).find((l) => (f > cursor || l.y > after) && starts(l, original));
        if (line) hit = { folio: f, line };
      }
      report.trace.push({ key: original, folio: hit?.folio, y: hit?.line.y });
      if (!hit) {
        if (report.misses.length < 10) report.misses.push(`not found: "${original}"`);
        continue;
      }
      cursor = hit.folio;
      from ??= hit.folio;
      after = hit.line.y;
      first = false;
      // the translation's first line: of the lines beginning as it does, the one nearest in height
      const facingLine = body(hit.folio + 1)
        .filter((l) => starts(l, translation))
        .sort((a, b) => Math.abs(a.y - hit!.line.y) - Math.abs(b.y - hit!.line.y))[0];
      if (!facingLine) {
        if (report.misses.length < 10)
          report.misses.push(
            `page ${hit.folio}: "${original}" has no "${translation}" on page ${hit.folio + 1}`,
          );
        continue;
      }
      report.found++;
      if (hit.folio % 2 === 0 && Math.abs(facingLine.y - hit.line.y) <= lineHeight) report.aligned++;
      else if (report.misses.length < 10)
        report.misses.push(
          `page ${hit.folio}: "${original}" at ${hit.line.y}, "${translation}" at ${facingLine.y}`,
        );
    }
    if (from !== undefined) for (let f = from; f <= cursor + 1; f++) facingFolios.add(f);
  }
  for (const folio of facingFolios) {
    // the page's text without its running head and folio
    // links are printed as they are (a translated link list keeps its URLs): left out
    const text = body(folio)
      .slice(0, -1)
      .map((l) => l.text)
      .join(' ')
      .replace(/\S*(https?:|www\.|\/)\S*/g, ' ');
    const latin = (text.match(LATIN) ?? []).length;
    const cjk = (text.match(CJK) ?? []).length;
    if (latin + cjk < 40) continue;
    if (folio % 2 === 0) report.leftPages++;
    else report.rightPages++;
    const ok = folio % 2 === 0 ? latin > cjk : cjk > latin;
    if (!ok) report.wrongScript.push(`page ${folio}: ${latin} Latin letters, ${cjk} CJK characters`);
  }
  return report;
}

/** The pairs of an article in reading order, in lists, quotes and notes too (headings included). */
function pairsOf(
  blocks: Book['chapters'][number]['articles'][number]['blocks'],
): Array<{ original: { html: string }; translation: { html: string } }> {
  const out: Array<{ original: { html: string }; translation: { html: string } }> = [];
  for (const b of blocks) {
    if (b.kind === 'pair') out.push(b);
    else if (b.kind === 'list') for (const item of b.items) out.push(...pairsOf(item.blocks));
    else if (b.kind === 'quote' || b.kind === 'note') out.push(...pairsOf(b.blocks));
  }
  return out;
}

/**
 * What of `interleaved`'s text is missing from `facing`'s: Latin words and CJK characters (by
 * count: a translation's lines are not contiguous in a facing book, so Chinese is compared
 * character by character). Running heads and folios (in the top and bottom margins) are left out;
 * the facing book's left pages are read as one text and its right pages as another, so that a word
 * hyphenated across a spread is read whole.
 */
export function lostWords(interleaved: string, facing: string): string[] {
  const inMargins = (pdf: string) => {
    const heights = [
      ...run('pdftotext', ['-bbox', '-l', '1', pdf, '-']).matchAll(/<page width="[\d.]+" height="([\d.]+)"/g),
    ].map((m) => Number(m[1]));
    const height = heights[0] ?? 595;
    // the text block of every page: below the running head, above the folio
    return bboxLines(pdf).map((lines) =>
      lines
        .filter((l) => l.y > 40 && l.y < height - 50)
        .map((l) => l.text)
        .join('\n'),
    );
  };
  const joined = (pages: string[]) => pages.join('\n').replace(/[\u00ad\u2010]\n/g, '');
  const a = joined(inMargins(interleaved));
  const facingPages = inMargins(facing);
  const b = `${joined(facingPages.filter((_p, i) => i % 2 === 0))}\n${joined(facingPages.filter((_p, i) => i % 2 === 1))}`;
  const latin = (t: string) =>
    new Set(
      t
        .replace(CJK, ' ')
        .replace(/[\u3000-\u303f\uff00-\uffef]/g, ' ')
        .split(/\s+/)
        .map((w) => w.replace(/[\u00ad\u2010-]/g, ''))
        .filter((w) => /[A-Za-z]/.test(w)),
    );
  const cjk = (t: string) => {
    const counts = new Map<string, number>();
    for (const c of t.match(CJK) ?? []) counts.set(c, (counts.get(c) ?? 0) + 1);
    return counts;
  };
  const have = latin(b);
  // a word (a URL, code) may break at another place in the other book: then it is in the text without its line breaks
  const squashed = squash(b).replace(/[\u00ad\u2010-]/g, '');
  const lost = [...latin(a)].filter((w) => !have.has(w) && !squashed.includes(squash(w)));
  const counts = cjk(b);
  for (const [c, n] of cjk(a)) if ((counts.get(c) ?? 0) < n) lost.push(`${c} x${n - (counts.get(c) ?? 0)}`);
  return lost;
}

function flatten(
  items: OutlineItem[],
  depth = 0,
  out: Array<{ title: string; depth: number }> = [],
): Array<{ title: string; depth: number }> {
  for (const item of items) {
    out.push({ title: item.title, depth });
    flatten(item.kids, depth + 1, out);
  }
  return out;
}

/** The checks every book PDF must pass. */
export function expectBook(pdf: string, result: BuildResult): BookPdfReport {
  const book = result.book;
  const report = checkBookPdf(pdf, book);
  expect(report.problems).toEqual([]);
  expect(report.frontPages % 2).toBe(0);
  // Outline: front matter entries, then every chapter at the top level with its articles under it.
  const outline = flatten(pdfOutline(pdf));
  const top = outline.filter((o) => o.depth === 0).map((o) => squash(o.title));
  const chapters = book.chapters.map((c) => squash(c.title));
  expect(top.slice(-chapters.length)).toEqual(chapters);
  for (const chapter of book.chapters) {
    for (const article of chapter.articles) {
      expect(
        outline.some((o) => o.depth === 1 && squash(o.title).includes(squash(article.meta.title))),
        article.meta.title,
      ).toBe(true);
    }
  }
  // Fonts: all ours, embedded, TrueType; full scale; a clean file.
  for (const font of pdfFonts(pdf)) {
    expect(font.type, font.name).toBe('CID TrueType');
    expect(font.embedded, font.name).toBe(true);
  }
  expect(pdfScale(pdf)).toBeGreaterThanOrEqual(99.5);
  expect(execFileSync('qpdf', ['--check', pdf], { encoding: 'utf8' })).toMatch(
    /No syntax or stream encoding errors/,
  );
  const info = pdfInfo(pdf);
  expect(info.Tagged).toBe('yes');
  expect(info.Title).toBe(book.meta.title);
  return report;
}

/** The /Lang of every paragraph and heading of a tagged PDF's structure tree, in reading order. */
export function structLanguages(pdf: string): string[] {
  const json = JSON.parse(run('qpdf', ['--json', '--json-key=qpdf', pdf]));
  const objects = json.qpdf[1] as Record<string, { value?: Record<string, unknown> }>;
  const trailer = objects.trailer!.value as Record<string, string>;
  const value = (ref: unknown) =>
    typeof ref === 'string' && / R$/.test(ref)
      ? objects[`obj:${ref}`]?.value
      : (ref as Record<string, unknown>);
  const root = value(value(trailer['/Root'])!['/StructTreeRoot']);
  const out: string[] = [];
  // an element without /Lang has its parent's
  const visit = (node: unknown, inherited: string, depth = 0): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, inherited, depth);
      return;
    }
    const element = value(node);
    if (!element || typeof element !== 'object' || depth > 200) return;
    const lang =
      typeof element['/Lang'] === 'string' ? (element['/Lang'] as string).replace(/^u:/, '') : inherited;
    const s = element['/S'];
    if (typeof s === 'string' && /^\/(P|H\d?)$/.test(s)) out.push(lang);
    if (element['/K'] !== undefined && typeof element['/K'] !== 'number')
      visit(element['/K'], lang, depth + 1);
  };
  visit(root!['/K'], '');
  return out;
}
