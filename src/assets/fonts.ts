/**
 * The fonts the book brings with it, so that it looks the same on every machine and a PDF holds
 * only embedded TrueType subsets (no Type 3 fonts from system CFF fallbacks).
 *
 * All come from fontsource packages on npm, whose files are split by unicode-range and have
 * TrueType (glyf) outlines, which Chromium embeds as CID TrueType subsets:
 * - Noto Serif (Latin, Greek, Cyrillic, Vietnamese), 400 and 700, normal and italic
 * - Noto Serif SC (Chinese, also kana, full-width forms and CJK punctuation), 400 and 700
 * - Noto Sans Mono (code), 400 and 700; Chinese inside code falls back to Noto Serif SC
 * - Noto Sans Symbols 2 (arrows, dingbats, geometric shapes, braille, ...), 400
 * - Noto Sans Math (mathematical operators and alphanumerics), 400
 * - Noto Emoji (monochrome emoji, outlines rather than colour bitmaps), 400 and 700
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** CSS font-family names of the bundled fonts. */
export interface FontFamilies {
  serifLatin: string;
  serifCjk: string;
  mono: string;
  symbols: string;
  math: string;
  emoji: string;
}

export const FONT_FAMILIES: FontFamilies = {
  serifLatin: 'Noto Serif',
  serifCjk: 'Noto Serif SC',
  mono: 'Noto Sans Mono',
  symbols: 'Noto Sans Symbols 2',
  math: 'Noto Sans Math',
  emoji: 'Noto Emoji',
};

interface FontPackage {
  /** npm package name. */
  name: string;
  family: string;
  /** The fontsource CSS files (without `.css`) whose @font-face rules we take. */
  css: string[];
  /** Replace the package's unicode-range (fontsource labels Noto Sans Math's one file "latin"). */
  dropUnicodeRange?: boolean;
}

const FONT_PACKAGES: readonly FontPackage[] = [
  {
    name: '@fontsource/noto-serif',
    family: FONT_FAMILIES.serifLatin,
    css: ['400', '400-italic', '700', '700-italic'],
  },
  { name: '@fontsource/noto-serif-sc', family: FONT_FAMILIES.serifCjk, css: ['400', '700'] },
  { name: '@fontsource/noto-sans-mono', family: FONT_FAMILIES.mono, css: ['400', '700'] },
  { name: '@fontsource/noto-sans-symbols-2', family: FONT_FAMILIES.symbols, css: ['400'] },
  { name: '@fontsource/noto-sans-math', family: FONT_FAMILIES.math, css: ['400'], dropUnicodeRange: true },
  { name: '@fontsource/noto-emoji', family: FONT_FAMILIES.emoji, css: ['400', '700'] },
];

/** One @font-face rule, with the absolute path of its font file. */
export interface FontFace {
  family: string;
  style: 'normal' | 'italic';
  weight: number;
  /** Absolute path of the woff2 file. */
  file: string;
  /** Absolute path of the woff (1.0) file beside it, if any. */
  woffFile?: string;
  /** CSS unicode-range value, if the face covers only part of Unicode. */
  unicodeRange?: string;
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new Error(`The font package ${name} is not installed; run npm install.`);
  }
}

let cachedFaces: FontFace[] | undefined;

/** Every @font-face the book uses, read once from the fontsource CSS files. */
export function fontFaces(): FontFace[] {
  if (cachedFaces) return cachedFaces;
  const faces: FontFace[] = [];
  for (const pkg of FONT_PACKAGES) {
    const dir = packageDir(pkg.name);
    for (const cssName of pkg.css) {
      const css = readFileSync(join(dir, `${cssName}.css`), 'utf8');
      for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
        const prop = (key: string): string | undefined =>
          new RegExp(`${key}\\s*:\\s*([^;]+);`).exec(block)?.[1]?.trim();
        const woff2 = /url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)/.exec(block)?.[1];
        const woff = /url\(\s*['"]?([^'")]+\.woff)['"]?\s*\)/.exec(block)?.[1];
        if (!woff2) continue;
        const style = prop('font-style') === 'italic' ? 'italic' : 'normal';
        const weight = Number(prop('font-weight') ?? 400);
        const range = pkg.dropUnicodeRange ? undefined : prop('unicode-range');
        faces.push({
          family: pkg.family,
          style,
          weight,
          file: join(dir, woff2),
          ...(woff ? { woffFile: join(dir, woff) } : {}),
          ...(range ? { unicodeRange: range } : {}),
        });
      }
    }
  }
  cachedFaces = faces;
  return faces;
}

/** Folders holding the font files (to add to a confined page's allowed roots). */
export function fontRoots(): string[] {
  return [...new Set(fontFaces().map((face) => dirname(face.file)))];
}

let coverage: Array<[number, number]> | undefined;

/** Code point intervals the bundled fonts claim (their unicode-range), merged and sorted. */
function coveredRanges(): Array<[number, number]> {
  if (coverage) return coverage;
  const ranges: Array<[number, number]> = [];
  for (const face of fontFaces()) {
    if (!face.unicodeRange) continue; // Noto Sans Math: one file, no range given; counted below by family
    for (const part of face.unicodeRange.split(',')) {
      const m = /^\s*U\+([0-9A-F?]+)(?:-([0-9A-F]+))?\s*$/i.exec(part);
      if (!m) continue;
      const lo = parseInt(m[1]!.replace(/\?/g, '0'), 16);
      const hi = m[2] ? parseInt(m[2], 16) : parseInt(m[1]!.replace(/\?/g, 'F'), 16);
      ranges.push([lo, hi]);
    }
  }
  // Noto Sans Math: mathematical operators, arrows, letterlike symbols and alphanumerics.
  ranges.push([0x2100, 0x22ff], [0x27c0, 0x27ef], [0x2980, 0x2aff], [0x1d400, 0x1d7ff]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [lo, hi] of ranges) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  coverage = merged;
  return merged;
}

/** True when some bundled font claims the code point (controls and joiners count as covered). */
function fontCovers(codePoint: number): boolean {
  if (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint < 0xa0) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f)
  )
    return true;
  const ranges = coveredRanges();
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (codePoint < a) hi = mid - 1;
    else if (codePoint > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The characters of `text` that no bundled font claims, each once, in order of appearance. */
export function uncoveredCharacters(text: string): string[] {
  const out = new Set<string>();
  for (const ch of text) if (!fontCovers(ch.codePointAt(0)!)) out.add(ch);
  return [...out];
}
