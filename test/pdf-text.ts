/**
 * The characters a PDF's pages show: each page's text-showing operators decoded through their
 * font's ToUnicode map, in the order they are drawn. Unlike pdftotext, nothing is guessed from the
 * gaps between glyphs (a justified line of Chinese has wide ones, and pdftotext reads each as a
 * space): a space here is a space glyph the page draws. Reads what Chromium (Skia) writes:
 * hex-string glyph ids, Flate streams, fonts named in each page's resources.
 */
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { PdfFile, refOf } from '../src/formats/pdf/pdf-file.js';

/** Stands for a character drawn in a monospaced (code) font: code is shown as written. */
const CODE_CHARACTER = '\u0000';

/** Each page's characters, in drawing order; those of a monospaced font as CODE_CHARACTER. */
export function pdfPageTexts(file: string): string[] {
  const pdf = new PdfFile(readFileSync(file));
  const streamOf = (num: number): Buffer => {
    const object = pdf.object(num);
    const data = object.stream ?? Buffer.alloc(0);
    return /\/FlateDecode/.test(object.text) ? inflateSync(data) : data;
  };
  const fonts = new Map<number, { map: Map<number, string>; bytes: number; code: boolean }>();
  const fontOf = (num: number) => {
    let font = fonts.get(num);
    if (font) return font;
    const text = pdf.object(num).text;
    const map = new Map<number, string>();
    const toUnicode = refOf(/\/ToUnicode\s+(\d+\s+\d+\s+R)/.exec(text)?.[1]);
    if (toUnicode !== undefined) readCMap(streamOf(toUnicode).toString('latin1'), map);
    const base = /\/BaseFont\s*\/([^\s/<>[\]]+)/.exec(text)?.[1] ?? '';
    font = { map, bytes: /\/Type0|Identity-H/.test(text) ? 4 : 2, code: /Mono/i.test(base) };
    fonts.set(num, font);
    return font;
  };
  const pages: string[] = [];
  for (const num of [...pdf.offsets.keys()].sort((a, b) => a - b)) {
    const { text } = pdf.object(num);
    if (!/\/Type\s*\/Page\b/.test(text)) continue;
    const named = new Map(
      [...text.matchAll(/\/(F\d+)\s+(\d+)\s+\d+\s+R/g)].map((m) => [m[1]!, Number(m[2])]),
    );
    const contents = [
      ...(/\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(text)?.[1] ?? '').matchAll(/(\d+)\s+\d+\s+R/g),
    ];
    let shown = '';
    for (const [, ref] of contents) {
      const ops = streamOf(Number(ref)).toString('latin1');
      let font: ReturnType<typeof fontOf> | undefined;
      for (const m of ops.matchAll(
        /\/(F\d+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj/g,
      )) {
        if (m[1]) {
          const at = named.get(m[1]);
          font = at === undefined ? undefined : fontOf(at);
          continue;
        }
        if (!font) continue;
        const strings =
          m[2] !== undefined ? [...m[2].matchAll(/<([0-9A-Fa-f]*)>/g)].map((s) => s[1]!) : [m[3]!];
        for (const hex of strings)
          for (let i = 0; i + font.bytes <= hex.length; i += font.bytes) {
            const char = font.map.get(Number.parseInt(hex.slice(i, i + font.bytes), 16)) ?? '\uFFFD';
            shown += font.code ? CODE_CHARACTER : char;
          }
      }
    }
    pages.push(shown);
  }
  return pages;
}

/** A ToUnicode CMap's `bfchar` and `bfrange` entries, into `map` (glyph id -> text). */
function readCMap(cmap: string, map: Map<number, string>): void {
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const [, block] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, from, to] of block!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(Number.parseInt(from!, 16), utf16(to!));
  for (const [, block] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, to] of block!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const first = utf16(to!);
      for (let id = Number.parseInt(lo!, 16); id <= Number.parseInt(hi!, 16); id++)
        map.set(
          id,
          first.slice(0, -1) +
            String.fromCharCode(first.charCodeAt(first.length - 1) + id - Number.parseInt(lo!, 16)),
        );
    }
}
