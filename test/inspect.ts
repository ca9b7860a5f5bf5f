/**
 * What a reader gets: helpers that open built books the way a reader's tools would.
 * EPUB: unzip and read entries, run epubcheck. PDF: poppler-utils and qpdf.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { ROOT } from './helpers.js';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  extraLength: number;
}

/** Local file headers in archive order (the order e-readers see). */
function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: ZipEntry[] = [];
  let offset = 0;
  while (offset + 30 <= bytes.length && view.getUint32(offset, true) === 0x04034b50) {
    const method = view.getUint16(offset + 8, true);
    const compressed = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    const name = strFromU8(bytes.subarray(offset + 30, offset + 30 + nameLength));
    entries.push({ name, method, extraLength });
    offset += 30 + nameLength + extraLength + compressed;
  }
  return entries;
}

export function readEpub(file: string): {
  entries: ZipEntry[];
  files: Record<string, string>;
  raw: Record<string, Uint8Array>;
} {
  const bytes = new Uint8Array(readFileSync(file));
  const raw = unzipSync(bytes);
  const files: Record<string, string> = {};
  for (const [name, data] of Object.entries(raw))
    if (/\.(xhtml|opf|ncx|xml|css|html)$|^mimetype$/.test(name)) files[name] = strFromU8(data);
  return { entries: zipEntries(bytes), files, raw };
}

export interface EpubcheckResult {
  fatal: number;
  errors: number;
  warnings: number;
  messages: string[];
}

export function epubcheck(file: string): EpubcheckResult {
  const run = spawnSync('java', ['-jar', '/usr/share/java/epubcheck.jar', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${run.stdout}\n${run.stderr}`;
  const messages = output.split('\n').filter((l) => /^(FATAL|ERROR|WARNING)/.test(l));
  const count = (kind: string) => messages.filter((m) => m.startsWith(kind)).length;
  return { fatal: count('FATAL'), errors: count('ERROR'), warnings: count('WARNING'), messages };
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
}

export function pdfFonts(pdf: string): PdfFont[] {
  const lines = run('pdffonts', [pdf])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim());
  return lines.map((line) => {
    // name type [encoding] emb sub uni object ID: the type may hold spaces ("CID TrueType", "Type 3").
    const name = line.split(/\s+/)[0]!;
    const type =
      /\s(Type 3|Type 1C?|CID TrueType|CID Type 0C?|TrueType|Type 1)\s/.exec(line)?.[1] ?? 'unknown';
    const flags = line.trim().split(/\s+/).slice(-5, -2);
    return { name, type, embedded: flags[0] === 'yes' };
  });
}

export function pdfText(
  pdf: string,
  options: { layout?: boolean; first?: number; last?: number } = {},
): string {
  const args = ['-enc', 'UTF-8'];
  if (options.layout) args.push('-layout');
  if (options.first) args.push('-f', String(options.first));
  if (options.last) args.push('-l', String(options.last));
  // The print hyphenates English with soft hyphens (U+00AD), which Chromium keeps in the text layer
  // though they are invisible where the line does not break: drop them, as a reader's search does.
  return run('pdftotext', [...args, pdf, '-']).replace(/\u00ad/g, '');
}

export function pdfInfo(pdf: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of run('pdfinfo', [pdf]).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) info[m[1]!.trim()] = m[2]!.trim();
  }
  return info;
}

export interface OutlineItem {
  title: string;
  kids: OutlineItem[];
  /** The page the item goes to, from 1 (qpdf). */
  destpageposfrom1?: number;
}

export function pdfOutline(pdf: string): OutlineItem[] {
  return JSON.parse(run('qpdf', ['--json', '--json-key=outlines', pdf])).outlines as OutlineItem[];
}

/** The print scale in percent, as ../shared/tools/pdf-scale computes it (below 100: Chromium shrank the book). */
export function pdfScale(pdf: string): number {
  const tool = join(ROOT, '..', 'shared', 'tools', 'pdf-scale');
  if (existsSync(tool)) {
    const out = spawnSync('python3', [tool, pdf], { encoding: 'utf8' });
    const value = Number(out.stdout.trim());
    if (out.stdout.trim() !== '' && Number.isFinite(value)) return value;
  }
  return scaleFromContentStreams(pdf);
}

function scaleFromContentStreams(pdf: string): number {
  const pages = JSON.parse(run('qpdf', ['--json', '--json-key=pages', pdf])).pages as Array<{
    contents: string[];
  }>;
  let min = 100;
  const sample = [
    ...new Set(
      Array.from({ length: 24 }, (_, k) => Math.min(pages.length - 1, Math.floor((k * pages.length) / 24))),
    ),
  ];
  for (const index of sample) {
    const contents = pages[index]?.contents[0];
    if (!contents) continue;
    const data = execFileSync('qpdf', [
      `--show-object=${contents.split(' ')[0]}`,
      '--filtered-stream-data',
      pdf,
    ]).toString('latin1');
    const ms = [
      ...data.slice(0, 4000).matchAll(/(-?[\d.]+) [-\d. ]+? (-?[\d.]+) [-\d.]+ [-\d.]+ cm\b/g),
    ].slice(0, 2);
    if (ms.length) min = Math.min(min, (ms.reduce((p, m) => p * Math.abs(Number(m[1])), 1) / 0.75) * 100);
  }
  return min;
}
