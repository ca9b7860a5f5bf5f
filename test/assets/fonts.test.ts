import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILIES, fontFaces, uncoveredCharacters } from '../../src/assets/fonts.js';

describe('fonts', () => {
  it('brings serif Latin, serif Chinese, mono, symbols, math and emoji faces in 400 and 700', () => {
    const faces = fontFaces();
    for (const family of Object.values(FONT_FAMILIES))
      expect(faces.some((f) => f.family === family)).toBe(true);
    const weights = (family: string, style = 'normal') =>
      new Set(faces.filter((f) => f.family === family && f.style === style).map((f) => f.weight));
    expect(weights(FONT_FAMILIES.serifLatin)).toEqual(new Set([400, 700]));
    expect(weights(FONT_FAMILIES.serifLatin, 'italic')).toEqual(new Set([400, 700]));
    expect(weights(FONT_FAMILIES.serifCjk)).toEqual(new Set([400, 700]));
    expect(weights(FONT_FAMILIES.mono)).toEqual(new Set([400, 700]));
    // Chinese is split by unicode-range into many files, as fontsource ships it.
    expect(
      faces.filter((f) => f.family === FONT_FAMILIES.serifCjk && f.weight === 400).length,
    ).toBeGreaterThan(50);
    for (const face of faces) expect(existsSync(face.file)).toBe(true);
  });

  it('ships TrueType outlines (glyf), which Chromium embeds as CID TrueType rather than Type 3', () => {
    for (const family of Object.values(FONT_FAMILIES)) {
      const face = fontFaces().find((f) => f.family === family && f.woffFile)!;
      const woff = readFileSync(face.woffFile!);
      const tables = Array.from({ length: woff.readUInt16BE(12) }, (_, k) =>
        woff.toString('latin1', 44 + k * 20, 48 + k * 20),
      );
      expect(tables, family).toContain('glyf');
      expect(tables, family).not.toContain('CFF ');
      expect(tables, `${family} must be static: Skia turns variable fonts into Type 3`).not.toContain('fvar');
    }
  });

  it('finds the characters no bundled font has', () => {
    expect(uncoveredCharacters('English, 中文，emoji 😀, math ∑, arrows ⇄')).toEqual([]);
    expect(uncoveredCharacters('Korean 탐 and Thai ก')).toEqual(['탐', 'ก']);
  });
});
