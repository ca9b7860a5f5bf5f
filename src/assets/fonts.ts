/**
 * The fonts the book brings with it, so that it looks the same on every machine and a PDF holds
 * only embedded TrueType subsets (no Type 3 fonts from system CFF fallbacks).
 *
 * All come from fontsource packages on npm, whose files are split by unicode-range and have
 * TrueType (glyf) outlines, which Chromium embeds as CID TrueType subsets; the faces below are
 * copied from them into fonts/ with their licence (scripts/vendor-fonts.mjs says why and how):
 * - Noto Serif (Latin, Greek, Cyrillic, Vietnamese), 400 and 700, normal and italic
 * - Noto Serif SC (Chinese, also kana, full-width forms and CJK punctuation), 400 and 700
 * - Noto Sans Mono (code), 400 and 700; Chinese inside code falls back to Noto Serif SC
 * - Noto Sans Symbols 2 (arrows, dingbats, geometric shapes, braille, ...), 400
 * - Noto Sans Math (mathematical operators and alphanumerics), 400
 * - Noto Emoji (monochrome emoji, outlines rather than colour bitmaps), 400 and 700
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../fs/paths.js';

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

/** One @font-face rule, with the absolute path of its font file. */
export interface FontFace {
  family: string;
  style: 'normal' | 'italic';
  weight: number;
  /** Absolute path of the woff2 file. */
  file: string;
  /** CSS unicode-range value, if the face covers only part of Unicode. */
  unicodeRange?: string;
}

/** fonts/faces.json, written by scripts/vendor-fonts.mjs; its paths are relative to fonts/. */
interface FontManifest {
  faces: FontFace[];
  wholeFiles: FontFace[];
}

let manifest: FontManifest | undefined;

/** The fonts shipped in the package's fonts/ folder, read once. */
function fontManifest(): FontManifest {
  if (manifest) return manifest;
  const dir = join(packageRoot(), 'fonts');
  const read = JSON.parse(readFileSync(join(dir, 'faces.json'), 'utf8')) as FontManifest;
  const absolute = (face: FontFace): FontFace => ({ ...face, file: join(dir, face.file) });
  manifest = { faces: read.faces.map(absolute), wholeFiles: read.wholeFiles.map(absolute) };
  return manifest;
}

/** Every @font-face the book uses, in fontsource's unicode-range slices. */
export function fontFaces(): FontFace[] {
  return fontManifest().faces;
}

/**
 * Files that hold a whole script of a face in one font (Noto Serif SC's "chinese-simplified"):
 * the EPUB's subset is made from one of them rather than from a hundred slices.
 */
export function wholeScriptFiles(): FontFace[] {
  return fontManifest().wholeFiles;
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
