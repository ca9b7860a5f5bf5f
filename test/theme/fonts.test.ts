import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fontFaces, fontRoots } from '../../src/assets/fonts.js';
import { FONT_STACK, fontFaceCss } from '../../src/theme/fonts.js';

describe('font CSS', () => {
  it('writes @font-face rules with the URLs the caller chooses', () => {
    const css = fontFaceCss({ urlFor: (p) => `fonts/${p.split('/').pop()}` });
    expect(css).toMatch(/@font-face \{ font-family: 'Noto Serif SC'; font-style: normal; font-weight: 400;/);
    expect(css).toMatch(/src: url\('fonts\/noto-serif-sc-\d+-400-normal\.woff2'\) format\('woff2'\)/);
    expect(css).toMatch(/unicode-range: U\+/);
    expect(css).not.toMatch(/\.\/files\//);
    expect(FONT_STACK.body.startsWith("'Noto Serif', 'Noto Serif SC'")).toBe(true);
    expect(FONT_STACK.mono.startsWith("'Noto Sans Mono'")).toBe(true);
    for (const face of fontFaces()) expect(fontRoots()).toContain(dirname(face.file));
  });
});
