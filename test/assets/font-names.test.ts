import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import subsetFont from 'subset-font';
import { describe, expect, it } from 'vitest';
import { fontFamilyName, withFamilyName } from '../../src/assets/font-names.js';
import { cmapOf } from '../../src/assets/font-subsets.js';
import { FONT_FAMILIES, fontFaces } from '../../src/assets/fonts.js';

function face(family: string): string {
  return fontFaces().find((f) => f.family === family && f.weight === 400 && f.style === 'normal')!.file;
}

/** The whole-font checksum the OpenType spec fixes: 0xB1B0AFBA once checkSumAdjustment is set. */
function fontChecksum(font: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < font.length; i += 4)
    sum =
      (sum +
        (((font[i] ?? 0) << 24) |
          ((font[i + 1] ?? 0) << 16) |
          ((font[i + 2] ?? 0) << 8) |
          (font[i + 3] ?? 0))) >>>
      0;
  return sum;
}

describe('the family name inside a font', () => {
  it('renames the Noto Serif SC subset that calls itself ExtraLight, keeping its characters and a valid checksum', async () => {
    const file = `${dirname(face(FONT_FAMILIES.serifCjk))}/noto-serif-sc-chinese-simplified-400-normal.woff2`;
    const subset = await subsetFont(readFileSync(file), '夜读书abc', { targetFormat: 'truetype' });
    expect(fontFamilyName(subset)).toBe('Noto Serif SC ExtraLight');
    const renamed = withFamilyName(subset, 'Noto Serif SC');
    expect(fontFamilyName(renamed)).toBe('Noto Serif SC');
    expect(new TextDecoder('utf-16be').decode(renamed)).not.toContain('ExtraLight');
    expect([...cmapOf(renamed)].sort()).toEqual([...cmapOf(subset)].sort());
    expect(fontChecksum(renamed)).toBe(0xb1b0afba);
    // harfbuzz reads the rewritten font again
    const again = await subsetFont(Buffer.from(renamed), '夜', { targetFormat: 'truetype' });
    expect(cmapOf(again).has('夜'.codePointAt(0)!)).toBe(true);
  });

  it('leaves a font that already has the name as it is', async () => {
    const subset = await subsetFont(readFileSync(face(FONT_FAMILIES.serifLatin)), 'abc', {
      targetFormat: 'truetype',
    });
    expect(fontFamilyName(subset)).toBe('Noto Serif');
    expect(withFamilyName(subset, 'Noto Serif')).toBe(subset);
  });
});
