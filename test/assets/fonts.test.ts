import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILIES, fontFaces, uncoveredCharacters, wholeScriptFiles } from '../../src/assets/fonts.js';

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
      const face = fontFaces().find((f) => f.family === family)!;
      const tables = woff2Tables(readFileSync(face.file));
      expect(tables, family).toContain('glyf');
      expect(tables, family).not.toContain('CFF ');
      expect(tables, `${family} must be static: Skia turns variable fonts into Type 3`).not.toContain('fvar');
    }
  });

  it('ships only what faces.json names, each family with its licence', () => {
    const files = [...fontFaces(), ...wholeScriptFiles()].map((f) => f.file);
    expect(new Set(files).size).toBe(files.length);
    const dirs = new Set(files.map((f) => dirname(f)));
    for (const dir of dirs) {
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/SIL Open Font License, Version 1\.1/);
      expect(readdirSync(dir).filter((f) => f !== 'LICENSE').length).toBe(
        files.filter((f) => dirname(f) === dir).length,
      );
    }
    expect(wholeScriptFiles().map((f) => `${f.family} ${f.weight}`)).toEqual([
      'Noto Serif SC 400',
      'Noto Serif SC 700',
    ]);
  });

  it('finds the characters no bundled font has', () => {
    expect(uncoveredCharacters('English, 中文，emoji 😀, math ∑, arrows ⇄')).toEqual([]);
    expect(uncoveredCharacters('Korean 탐 and Thai ก')).toEqual(['탐', 'ก']);
  });
});

/** The tags of a WOFF2 file's tables (its directory: a flags byte, a known tag's index or the tag itself, lengths in UIntBase128). */
function woff2Tables(font: Buffer): string[] {
  const KNOWN = [
    'cmap',
    'head',
    'hhea',
    'hmtx',
    'maxp',
    'name',
    'OS/2',
    'post',
    'cvt ',
    'fpgm',
    'glyf',
    'loca',
    'prep',
    'CFF ',
    'VORG',
    'EBDT',
    'EBLC',
    'gasp',
    'hdmx',
    'kern',
    'LTSH',
    'PCLT',
    'VDMX',
    'vhea',
    'vmtx',
    'BASE',
    'GDEF',
    'GPOS',
    'GSUB',
    'EBSC',
    'JSTF',
    'MATH',
    'CBDT',
    'CBLC',
    'COLR',
    'CPAL',
    'SVG ',
    'sbix',
    'acnt',
    'avar',
    'bdat',
    'bloc',
    'bsln',
    'cvar',
    'fdsc',
    'feat',
    'fmtx',
    'fvar',
    'gvar',
  ];
  expect(font.toString('latin1', 0, 4)).toBe('wOF2');
  let at = 48;
  const base128 = () => {
    let value = 0;
    for (;;) {
      const byte = font[at++]!;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
  };
  return Array.from({ length: font.readUInt16BE(12) }, () => {
    const flags = font[at++]!;
    let tag: string;
    if ((flags & 0x3f) === 0x3f) {
      tag = font.toString('latin1', at, at + 4);
      at += 4;
    } else tag = KNOWN[flags & 0x3f] ?? '?';
    base128();
    // glyf and loca are transformed unless the version bits say 3; other tables only when not 0
    const version = flags >> 6;
    if ((tag === 'glyf' || tag === 'loca') === (version === 0)) base128();
    return tag;
  });
}
