/**
 * output/pdf: print one complete HTML book to PDF with Chromium.
 *
 * Page size and margins come from the document's CSS (@page); the PDF is tagged, has bookmarks
 * from the headings, and is written atomically. Chromium sets only the title (from <title>) in the
 * document information and always writes /Lang (en-US), so the author, subject, keywords and the
 * language are added afterwards by a PDF incremental update: a few objects appended to the file,
 * leaving everything Chromium wrote (structure tree, outline, fonts) untouched.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { fontRoots } from '../assets/fonts.js';
import { AnthologyError } from '../errors.js';
import { writeAtomically } from './atomic.js';
import { DEFAULT_TIMEOUT_MS, blockedRequests, openConfinedPage, withBrowser } from './browser.js';

export interface PdfMetadata {
  title: string;
  author?: string;
  /** BCP 47 language of the book, written as the PDF's /Lang. */
  language: string;
  subject?: string;
  keywords?: string[];
}

export interface PdfJob {
  /** One complete HTML document: the whole book. */
  html: string;
  /** Where to write the HTML file for Chromium to load (a temporary folder the caller owns). */
  workDir: string;
  /** Folders the page may read (content folder, styles). workDir and the bundled fonts are added. */
  allowedRoots: string[];
  outFile: string;
  metadata: PdfMetadata;
  /** Longest the load and the print may each take. Default 10 minutes. */
  timeoutMs?: number;
}

export interface PdfResult {
  pages: number;
  /** Resources the page asked for and was refused (network, files outside the book). */
  blocked: string[];
}

/**
 * Print `job.html` to `job.outFile`. Uses `browser` when given (the caller closes it), else
 * launches one for this job and closes it afterwards.
 */
export async function writePdf(job: PdfJob, browser?: Browser): Promise<PdfResult> {
  const timeoutMs = job.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!browser) return withBrowser((b) => writePdf(job, b), { timeoutMs });

  const workDir = resolve(job.workDir);
  await mkdir(workDir, { recursive: true });
  const htmlFile = join(workDir, 'book.html');
  await writeFile(htmlFile, monochromeEmoji(job.html));

  const roots = [workDir, ...job.allowedRoots, ...fontRoots()];
  const page = await openConfinedPage(browser, roots);
  try {
    page.setDefaultTimeout(timeoutMs);
    page.setDefaultNavigationTimeout(timeoutMs);
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load', timeout: timeoutMs });
    let pages = 0;
    await writeAtomically(resolve(job.outFile), async (tmp) => {
      await printToFile(page, tmp, timeoutMs);
      pages = await updatePdfInfo(tmp, job.metadata);
    });
    return { pages, blocked: [...blockedRequests(page)] };
  } catch (error) {
    if (error instanceof AnthologyError) throw error;
    const message = (error as Error).message ?? String(error);
    if ((error as Error).name === 'TimeoutError' || /timed out|timeout .*exceeded|ms exceeded/i.test(message)) {
      throw new AnthologyError(
        `Printing the PDF took longer than ${Math.round(timeoutMs / 1000)} s and was stopped (${message}).`,
      );
    }
    throw error;
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * Drop U+FE0F (VARIATION SELECTOR-16, "show as colour emoji") from the document. A print is set in
 * the book's monochrome fonts, but Chromium honours VS16 by taking the glyph from a system colour
 * emoji font (Noto Color Emoji on Debian), which a PDF can hold only as a Type 3 bitmap font, even
 * when a bundled font has the character. `font-variant-emoji: text` does not override an explicit
 * VS16. Without it, the character is drawn from the bundled fonts (Noto Emoji, Symbols 2).
 */
export function monochromeEmoji(html: string): string {
  return html.includes('\uFE0F') ? html.replace(/\uFE0F/g, '') : html;
}

async function printToFile(page: Page, file: string, timeoutMs: number): Promise<void> {
  const stream = await page.createPDFStream({
    preferCSSPageSize: true,
    printBackground: true,
    outline: true,
    tagged: true,
    displayHeaderFooter: false,
    waitForFonts: true,
    timeout: timeoutMs,
  });
  await pipeline(Readable.fromWeb(stream as unknown as WebReadableStream<Uint8Array>), createWriteStream(file));
}

// ---------------------------------------------------------------------------------------------
// The document information, by incremental update.

/** A PDF text string: literal when ASCII, else UTF-16BE with a byte-order mark, in hex. */
export function pdfString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** The entries of a PDF dictionary `<< ... >>` as [name, raw value] pairs, in order. */
export function parseDictEntries(text: string): Array<[string, string]> {
  const start = text.indexOf('<<');
  if (start < 0) throw new Error('not a PDF dictionary');
  let i = start + 2;
  const entries: Array<[string, string]> = [];
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  // Reads one value starting at i and returns its raw text.
  const readValue = (): string => {
    skipSpace();
    const from = i;
    const c = text[i];
    if (c === '(') {
      let depth = 0;
      for (; i < text.length; i++) {
        const ch = text[i];
        if (ch === '\\') i++;
        else if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) break;
      }
      i++;
    } else if (c === '<' && text[i + 1] === '<') {
      let depth = 0;
      while (i < text.length) {
        if (text.startsWith('<<', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('>>', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else if (text[i] === '(') {
          readValue();
        } else i++;
      }
    } else if (c === '<') {
      i = text.indexOf('>', i) + 1;
    } else if (c === '[') {
      let depth = 0;
      for (; i < text.length; i++) {
        const ch = text[i];
        if (ch === '(') {
          readValue();
          i--;
        } else if (ch === '[') depth++;
        else if (ch === ']' && --depth === 0) break;
      }
      i++;
    } else if (c === '/') {
      i++;
      while (i < text.length && !/[\s/<>\[\]()]/.test(text[i]!)) i++;
    } else {
      // number, boolean, null, or an indirect reference `n g R`
      const m = /^(\d+\s+\d+\s+R\b|[^\s/<>\[\]()]+)/.exec(text.slice(i));
      i += m ? m[0].length : 1;
    }
    return text.slice(from, i);
  };
  for (;;) {
    skipSpace();
    if (i >= text.length) throw new Error('unterminated PDF dictionary');
    if (text.startsWith('>>', i)) break;
    if (text[i] !== '/') throw new Error(`unexpected ${text[i]} in PDF dictionary`);
    const key = readValue();
    const value = readValue().trim();
    entries.push([key.slice(1), value]);
  }
  return entries;
}

function serializeDict(entries: Array<[string, string]>): string {
  return `<<${entries.map(([k, v]) => `/${k} ${v}`).join('\n')}>>`;
}

async function readAt(file: import('node:fs/promises').FileHandle, position: number, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead).toString('latin1');
}

/**
 * Set /Title, /Author, /Subject, /Keywords in the document information and /Lang in the catalog
 * of the PDF Chromium wrote, by appending an incremental update; return the number of pages.
 */
export async function updatePdfInfo(path: string, metadata: PdfMetadata): Promise<number> {
  const file = await open(path, 'r+');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, 4096);
    const tail = await readAt(file, size - tailLength, tailLength);
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)?.[1]);
    if (!Number.isFinite(startxref)) throw new Error('no startxref at the end of the PDF');

    // The classic cross-reference table and the trailer Chromium (Skia) writes.
    const xrefText = await readAt(file, startxref, size - startxref);
    if (!xrefText.startsWith('xref')) throw new Error('the PDF has no classic cross-reference table');
    const trailerAt = xrefText.indexOf('trailer');
    const trailer = new Map(parseDictEntries(xrefText.slice(trailerAt + 'trailer'.length)));
    const offsets = new Map<number, number>();
    const sections = xrefText.slice(4, trailerAt);
    const re = /(\d+)\s+(\d+)\s*[\r\n]+((?:\d{10} \d{5} [nf][ \r\n]{1,2})+)/g;
    for (let m = re.exec(sections); m; m = re.exec(sections)) {
      const first = Number(m[1]);
      m[3]!.trim().split(/\s*[\r\n]+\s*/).forEach((line, k) => {
        const [offset, , kind] = line.split(/\s+/);
        if (kind === 'n') offsets.set(first + k, Number(offset));
      });
    }

    const refNumber = (ref: string | undefined): number | undefined => {
      const m = /^(\d+)\s+\d+\s+R$/.exec(ref ?? '');
      return m ? Number(m[1]) : undefined;
    };
    const readObject = async (num: number): Promise<string> => {
      const at = offsets.get(num);
      if (at === undefined) throw new Error(`object ${num} is not in the PDF`);
      let length = 4096;
      for (;;) {
        const text = await readAt(file, at, length);
        const end = text.indexOf('endobj');
        if (end >= 0) return text.slice(0, end);
        if (at + length >= size) throw new Error(`object ${num} has no end`);
        length *= 4;
      }
    };

    const rootNum = refNumber(trailer.get('Root'));
    if (rootNum === undefined) throw new Error('the PDF trailer has no /Root');
    const catalog = parseDictEntries(await readObject(rootNum));
    const pagesNum = refNumber(catalog.find(([k]) => k === 'Pages')?.[1]);
    const pagesDict = pagesNum === undefined ? [] : parseDictEntries(await readObject(pagesNum));
    const pages = Number(pagesDict.find(([k]) => k === 'Count')?.[1] ?? 0);

    const infoNum = refNumber(trailer.get('Info'));
    const info = infoNum === undefined ? [] : parseDictEntries(await readObject(infoNum));
    const wanted: Array<[string, string | undefined]> = [
      ['Title', metadata.title],
      ['Author', metadata.author],
      ['Subject', metadata.subject],
      ['Keywords', metadata.keywords?.length ? metadata.keywords.join(', ') : undefined],
    ];
    const newInfo = info.filter(([k]) => !wanted.some(([w, v]) => w === k && v));
    for (const [key, value] of wanted) if (value) newInfo.unshift([key, pdfString(value)]);
    // Keep the order Title, Author, Subject, Keywords, then what Chromium wrote.
    newInfo.sort((a, b) => rank(a[0]) - rank(b[0]));

    const newCatalog = catalog.filter(([k]) => k !== 'Lang');
    newCatalog.push(['Lang', pdfString(metadata.language)]);

    const totalSize = Number(trailer.get('Size'));
    const objects: Array<[number, string]> = [];
    const newInfoNum = infoNum ?? totalSize;
    objects.push([newInfoNum, serializeDict(newInfo)]);
    objects.push([rootNum, serializeDict(newCatalog)]);
    objects.sort((a, b) => a[0] - b[0]);

    let update = '\n';
    const positions: Array<[number, number]> = [];
    for (const [num, body] of objects) {
      positions.push([num, size + Buffer.byteLength(update, 'latin1')]);
      update += `${num} 0 obj\n${body}\nendobj\n`;
    }
    const xrefAt = size + Buffer.byteLength(update, 'latin1');
    update += 'xref\n';
    for (const [num, at] of positions) update += `${num} 1\n${String(at).padStart(10, '0')} 00000 n \n`;
    const newSize = Math.max(totalSize, newInfoNum + 1);
    const trailerEntries: Array<[string, string]> = [
      ['Size', String(newSize)],
      ['Root', `${rootNum} 0 R`],
      ['Info', `${newInfoNum} 0 R`],
      ['Prev', String(startxref)],
    ];
    const id = trailer.get('ID');
    if (id) trailerEntries.push(['ID', id]);
    update += `trailer\n${serializeDict(trailerEntries)}\nstartxref\n${xrefAt}\n%%EOF\n`;
    await file.write(Buffer.from(update, 'latin1'), 0, Buffer.byteLength(update, 'latin1'), size);
    return pages;
  } finally {
    await file.close();
  }
}

const INFO_ORDER = ['Title', 'Author', 'Subject', 'Keywords'];
function rank(key: string): number {
  const k = INFO_ORDER.indexOf(key);
  return k < 0 ? INFO_ORDER.length : k;
}
