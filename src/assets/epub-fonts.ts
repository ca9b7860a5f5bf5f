/**
 * `[epub] embed-fonts = true`: the book carries subsets of its text fonts (Noto Serif, Noto Serif
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
import subsetFont from 'subset-font';
import { cacheKey, type Cache } from './cache.js';
import { FONT_FAMILIES, fontFaces, type FontFace } from './fonts.js';

const FONT_VERSION = '1';
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
      if (part.includes('?')) return [parseInt(part.replace(/\?/g, '0'), 16), parseInt(part.replace(/\?/g, 'F'), 16)];
      const [a, b] = part.split('-');
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
    });
}

function covers(ranges: [number, number][] | undefined, cp: number): boolean {
  return !ranges || ranges.some(([a, b]) => cp >= a && cp <= b);
}

/** `U+20,U+4E00-4E01` for a set of code points, consecutive ones joined. */
function unicodeRangeOf(cps: number[]): string {
  const sorted = [...new Set(cps)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!;
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i]! + 1) i++;
    const end = sorted[i]!;
    parts.push(start === end ? `U+${start.toString(16).toUpperCase()}` : `U+${start.toString(16).toUpperCase()}-${end.toString(16).toUpperCase()}`);
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
  const rules: string[] = [];
  const files: EmbeddedFonts['files'] = [];
  const jobs: Promise<void>[] = [];
  for (const faces of groups.values()) {
    const { family, weight, style } = faces[0]!;
    const chars = codePoints(family === FONT_FAMILIES.mono ? monoText : text).filter((cp) => cp > 0x20);
    if (chars.length === 0) continue;
    const parsed = faces.map((face) => ({ face, ranges: face.unicodeRange ? parseUnicodeRange(face.unicodeRange) : undefined }));
    // The main slice: the one that covers most characters.
    const scored = parsed.map((p) => ({ ...p, count: chars.filter((cp) => covers(p.ranges, cp)).length })).sort((a, b) => b.count - a.count);
    const main = scored[0]!;
    if (main.count === 0) continue;
    const rest = chars.filter((cp) => !covers(main.ranges, cp));
    const parts: { face: FontFace; cps: number[]; range?: string }[] = [];
    for (const other of scored.slice(1)) {
      const mine = rest.filter((cp) => covers(other.ranges, cp) && !parts.some((p) => p.cps.includes(cp)));
      if (mine.length) parts.push({ face: other.face, cps: mine, range: unicodeRangeOf(mine) });
    }
    parts.push({ face: main.face, cps: chars.filter((cp) => covers(main.ranges, cp)) });
    const slug = `${family.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${weight}${style === 'italic' ? 'i' : ''}`;
    parts.forEach((part, index) => {
      const href = `fonts/${slug}${index === parts.length - 1 ? '' : `-${index + 1}`}.ttf`;
      const slot = files.length;
      files.push({ href, mediaType: 'font/ttf', data: new Uint8Array() });
      rules.push(
        `@font-face { font-family: '${family}'; font-style: ${style}; font-weight: ${weight}; ` +
          `src: url('../${href}') format('truetype');${part.range ? ` unicode-range: ${part.range};` : ''} }`,
      );
      jobs.push(
        subsetCached(part.face.file, String.fromCodePoint(...part.cps), cache).then((data) => {
          files[slot]!.data = data;
        }),
      );
    });
  }
  await Promise.all(jobs);
  const kept = files.filter((f) => f.data.length > 0);
  return { css: rules.filter((_, i) => files[i]!.data.length > 0).join('\n') + '\n', files: kept };
}

async function subsetCached(file: string, chars: string, cache: Cache): Promise<Uint8Array> {
  const source = await readFile(file);
  const key = cacheKey(FONT_VERSION, 'truetype', source, chars);
  const hit = await cache.get('fonts', key, '.ttf');
  if (hit) return hit;
  const data = await subsetFont(source, chars, { targetFormat: 'truetype' });
  await cache.put('fonts', key, '.ttf', data);
  return data;
}

function codePoints(text: string): number[] {
  const set = new Set<number>();
  for (const ch of text) set.add(ch.codePointAt(0)!);
  return [...set].sort((a, b) => a - b);
}
