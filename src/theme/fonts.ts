/**
 * The bundled fonts as CSS: the font stacks the stylesheets use and the @font-face rules that
 * point at the font files (by file URL for print, by a path inside the book for an EPUB).
 */
import { FONT_FAMILIES, fontFaces } from '../assets/fonts.js';
import { cssString } from './css.js';

const q = (name: string): string => `'${name}'`;
const fallbacks = [FONT_FAMILIES.symbols, FONT_FAMILIES.math, FONT_FAMILIES.emoji].map(q).join(', ');

/**
 * font-family values for the text of the book.
 * - body: Latin first (its quotes, dashes and figures), then Chinese.
 * - zh: Chinese first, so that punctuation in Chinese text (“”‘’—…) takes the full-width CJK forms.
 * - mono: code; Chinese inside code from the Chinese serif.
 */
export const FONT_STACK: { body: string; zh: string; mono: string } = {
  body: `${q(FONT_FAMILIES.serifLatin)}, ${q(FONT_FAMILIES.serifCjk)}, ${fallbacks}, serif`,
  zh: `${q(FONT_FAMILIES.serifCjk)}, ${q(FONT_FAMILIES.serifLatin)}, ${fallbacks}, serif`,
  mono: `${q(FONT_FAMILIES.mono)}, ${q(FONT_FAMILIES.serifCjk)}, ${fallbacks}, monospace`,
};

export interface FontFaceCssOptions {
  /** Map a font file's absolute path to the URL the document uses (file:// for print, a book path for EPUB). */
  urlFor: (absPath: string) => string;
  /** font-display; `block` (default) so that print never uses a fallback font. */
  display?: 'auto' | 'block' | 'swap' | 'fallback' | 'optional';
}

/** The @font-face rules for every bundled font, keeping fontsource's unicode-range splits. */
export function fontFaceCss(options: FontFaceCssOptions): string {
  const display = options.display ?? 'block';
  const rules = fontFaces().map((face) => {
    const source = `url(${cssString(options.urlFor(face.file), "'")}) format('woff2')`;
    return (
      `@font-face { font-family: ${q(face.family)}; font-style: ${face.style}; font-weight: ${face.weight}; ` +
      `font-display: ${display}; src: ${source};` +
      (face.unicodeRange ? ` unicode-range: ${face.unicodeRange};` : '') +
      ' }'
    );
  });
  return `${rules.join('\n')}\n`;
}
