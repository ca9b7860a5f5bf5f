/**
 * `[epub] embed-fonts` (on unless a book turns it off): the book carries subsets of its text fonts (Noto Serif, Noto Serif
 * SC, Noto Sans Mono), holding only the characters the book uses, so a reader with no Chinese font
 * still shows the book.
 *
 * The bundled fonts are fontsource files split by unicode-range. For each face (family, weight,
 * style) the slice that covers most of the book's characters is the main font (for Noto Serif SC
 * that is the one "chinese-simplified" file, which holds nearly every Han character); characters it
 * lacks come from the other slices, each subset to just those characters, declared with a
 * `unicode-range`. The main font's rule comes last: a reader that ignores unicode-range takes the
 * last rule of a face, which is then the one that has the text's characters.
 *
 * Format: TrueType, which every reading system that takes embedded fonts reads (Kindle's
 * converters, Adobe RMSDK, Kobo, Apple Books, KOReader, Thorium), deflated by the zip. Subsetting
 * to TrueType is fast (about 0.15 s for the CJK face of the 40-article corpus); WOFF2 would save
 * about a quarter after the zip's compression but takes seconds per CJK face, and older readers
 * cannot read it. Subsets are cached by source font, characters and format.
 */
import { readFile } from 'node:fs/promises';
import { type Cache, cacheKey } from './cache.js';
import { withFamilyName } from './font-names.js';
import { FONT_FAMILIES, type FontFace, fontFaces, wholeScriptFiles } from './fonts.js';

/** Bumped when what a cache entry holds changes (2: the subset already named with the CSS's family, font-names.ts). */
const FONT_VERSION = '2';
const EMBEDDED_FAMILIES = [FONT_FAMILIES.serifLatin, FONT_FAMILIES.serifCjk, FONT_FAMILIES.mono];

export interface EmbeddedFonts {
  /** @font-face rules; urls relative to the stylesheet at `css/book.css`. */
  css: string;
  files: { href: string; mediaType: string; data: Uint8Array }[];
}

/** Parses a CSS unicode-range value into [from, to] code point intervals. */
export function parseUnicodeRange(range: string): [number, number][] {
  return range
    .split(',')
    .map((part) => part.trim().replace(/^U\+/i, ''))
    .filter(Boolean)
    .map((part): [number, number] => {
      if (part.includes('?'))
        return [parseInt(part.replace(/\?/g, '0'), 16), parseInt(part.replace(/\?/g, 'F'), 16)];
      const [a, b] = part.split('-');
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
    });
}

/**
 * The code points of `cps` (in ascending order) that `ranges` cover (all of them when there are no ranges), in
 * one sweep: a book has thousands of characters and Noto Serif SC a hundred slices, each with its
 * ranges, so testing every character against every range of every slice took 150 ms a build.
 */
function covered(ranges: [number, number][] | undefined, cps: readonly number[]): number[] {
  if (!ranges) return [...cps];
  // the ranges merged into disjoint ones, in order
  const merged: [number, number][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  const out: number[] = [];
  let r = 0;
  for (const cp of cps) {
    while (r < merged.length && merged[r]![1] < cp) r++;
    if (r < merged.length && merged[r]![0] <= cp) out.push(cp);
  }
  return out;
}

/** `U+20,U+4E00-4E01` for a set of code points, consecutive ones joined. */
function unicodeRangeOf(cps: number[]): string {
  const sorted = [...new Set(cps)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!;
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i]! + 1) i++;
    const end = sorted[i]!;
    parts.push(
      start === end
        ? `U+${start.toString(16).toUpperCase()}`
        : `U+${start.toString(16).toUpperCase()}-${end.toString(16).toUpperCase()}`,
    );
  }
  return parts.join(', ');
}

/**
 * Subsets of the book's fonts for the characters in `text` (`monoText`: the characters set in
 * code). Faces with none of the characters are left out.
 */
export async function embedFonts(text: string, monoText: string, cache: Cache): Promise<EmbeddedFonts> {
  const groups = new Map<string, FontFace[]>();
  for (const face of fontFaces()) {
    if (!EMBEDDED_FAMILIES.includes(face.family)) continue;
    const key = `${face.family}|${face.weight}|${face.style}`;
    groups.set(key, [...(groups.get(key) ?? []), face]);
  }
  // The book's characters, counted once (not once per face group: the text is the whole book).
  const textChars = codePoints(text);
  const monoChars = codePoints(monoText);
  const groupsOut = await Promise.all(
    [...groups.values()].map(async (faces) => {
      const { family, weight, style } = faces[0]!;
      const chars = (family === FONT_FAMILIES.mono ? monoChars : textChars).filter((cp) => cp > 0x20);
      if (chars.length === 0) return [];
      const candidates = [...wholeFiles(family, weight, style), ...faces].map((face) => ({
        face,
        ranges: face.unicodeRange ? parseUnicodeRange(face.unicodeRange) : undefined,
      }));
      // The main font: the one that covers most characters (a whole file before a slice).
      const scored = candidates
        .map((c) => ({ ...c, covered: covered(c.ranges, chars) }))
        .sort((a, b) => b.covered.length - a.covered.length);
      const main = scored[0]!;
      if (main.covered.length === 0) return [];
      const mainData = await subsetCached(
        main.face.file,
        String.fromCodePoint(...main.covered),
        family,
        cache,
      );
      const have = cmapOf(mainData);
      // What the main font lacks comes from the slices that have it, each limited to those characters.
      const parts: { data: Uint8Array; range?: string }[] = [];
      let rest = chars.filter((cp) => !have.has(cp));
      for (const other of scored.slice(1)) {
        if (other.face.file === main.face.file) continue;
        const mine = covered(other.ranges, rest);
        if (mine.length === 0) continue;
        const taken = new Set(mine);
        rest = rest.filter((cp) => !taken.has(cp));
        parts.push({
          data: await subsetCached(other.face.file, String.fromCodePoint(...mine), family, cache),
          range: unicodeRangeOf(mine),
        });
      }
      parts.push({ data: mainData });
      const slug = `${family.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${weight}${style === 'italic' ? 'i' : ''}`;
      return parts.map((part, index) => {
        const href = `fonts/${slug}${index === parts.length - 1 ? '' : `-${index + 1}`}.ttf`;
        const rule =
          `@font-face { font-family: '${family}'; font-style: ${style}; font-weight: ${weight}; ` +
          `src: url('../${href}') format('truetype');${part.range ? ` unicode-range: ${part.range};` : ''} }`;
        // The file's own family name is the CSS's (subsetCached, font-names.ts). The media type is the one
        // EPUB 3.0 tools expect for an OpenType/TrueType font (calibre's Check Book questions
        // `font/ttf` in an EPUB 3.0 package); epubcheck takes both as core media types.
        return { rule, file: { href, mediaType: 'application/vnd.ms-opentype', data: part.data } };
      });
    }),
  );
  const all = groupsOut.flat();
  return { css: `${all.map((p) => p.rule).join('\n')}\n`, files: all.map((p) => p.file) };
}

/** Files that hold a whole script in one file (Noto Serif SC's "chinese-simplified"), for a face. */
function wholeFiles(family: string, weight: number, style: string): FontFace[] {
  return wholeScriptFiles().filter((f) => f.family === family && f.weight === weight && f.style === style);
}

/** The code points a TrueType/OpenType font maps (its cmap: format 12, else format 4). */
export function cmapOf(font: Uint8Array): Set<number> {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const cps = new Set<number>();
  const tables = view.getUint16(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const rec = 12 + i * 16;
    if (String.fromCharCode(font[rec]!, font[rec + 1]!, font[rec + 2]!, font[rec + 3]!) === 'cmap')
      cmap = view.getUint32(rec + 8);
  }
  if (cmap < 0) return cps;
  const subtables = view.getUint16(cmap + 2);
  let best = -1;
  let bestFormat = 0;
  for (let i = 0; i < subtables; i++) {
    const offset = cmap + view.getUint32(cmap + 4 + i * 8 + 4);
    const format = view.getUint16(offset);
    if ((format === 12 && bestFormat !== 12) || (format === 4 && bestFormat === 0)) {
      best = offset;
      bestFormat = format;
    }
  }
  if (bestFormat === 12) {
    const groups = view.getUint32(best + 12);
    for (let g = 0; g < groups; g++) {
      const start = view.getUint32(best + 16 + g * 12);
      const end = view.getUint32(best + 20 + g * 12);
      for (let cp = start; cp <= end && cp - start < 0x30000; cp++) cps.add(cp);
    }
  } else if (bestFormat === 4) {
    const segX2 = view.getUint16(best + 6);
    const ends = best + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    for (let i = 0; i < segX2 / 2; i++) {
      const end = view.getUint16(ends + i * 2);
      const start = view.getUint16(starts + i * 2);
      const delta = view.getUint16(deltas + i * 2);
      const ro = view.getUint16(rangeOffsets + i * 2);
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        let glyph: number;
        if (ro === 0) glyph = (cp + delta) & 0xffff;
        else {
          const at = rangeOffsets + i * 2 + ro + (cp - start) * 2;
          glyph = at + 1 < font.length ? view.getUint16(at) : 0;
          if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
        }
        if (glyph !== 0) cps.add(cp);
      }
    }
  }
  return cps;
}

/** A TrueType subset of `file` for `chars`, its name table naming `family` (kept renamed: a megabyte's checksums are not redone in every build). */
async function subsetCached(file: string, chars: string, family: string, cache: Cache): Promise<Uint8Array> {
  const source = await readFile(file);
  const key = cacheKey(FONT_VERSION, 'truetype', family, source, chars);
  const hit = await cache.get('fonts', key, '.ttf');
  if (hit) return hit;
  // Loaded on a cache miss only: a warm build never needs the font tools.
  const { default: subsetFont } = await import('subset-font');
  const data = withFamilyName(await subsetFont(source, chars, { targetFormat: 'truetype' }), family);
  await cache.put('fonts', key, '.ttf', data);
  return data;
}

/** The code points of `text`, once each, in order. */
function codePoints(text: string): number[] {
  // A byte per possible code point, not a Set: the whole book's text is millions of characters
  // and a Set's hashing took 30 ms of a warm build; by char code, not `for (const ch of text)`.
  const seen = new Uint8Array(0x110000);
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    seen[cp] = 1;
  }
  const out: number[] = [];
  for (let cp = seen.indexOf(1); cp !== -1; cp = seen.indexOf(1, cp + 1)) out.push(cp);
  return out;
}
