/** Reading a built book PDF the way a reader checks it: contents numbers, titles, openers, running heads. */

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
  const frontPages = frontPagesOf(pdf);
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

/** Pages of front matter: those before the first page labelled in arabic numerals. */
export function frontPagesOf(pdf: string): number {
  const labels = JSON.parse(run('qpdf', ['--json', '--json-key=pagelabels', pdf])).pagelabels as Array<{ index: number; label: Record<string, unknown> }>;
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
export function checkPageList(pdf: string, epub: { files: Record<string, string> }, frontPages: number, within = 8000): PageListReport {
  const pages = run('pdftotext', ['-enc', 'UTF-8', pdf, '-']).split('\f');
  const nav = epub.files['EPUB/nav.xhtml'] ?? '';
  const list = nav.slice(nav.indexOf('epub:type="page-list"'));
  const entries = nav.includes('epub:type="page-list"') ? [...list.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ href: m[1]!, label: m[2]! })) : [];
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
    if (at < 0 || at > within) problems.push(`page ${label}: its first words ("${first}") are not just after ${href} (${at})`);
    else distances.push(at);
  }
  return { entries, distances, problems };
}
