/**
 * The SVG sanitiser, alone and through the whole build: an EPUB made from hostile SVGs, in both
 * image modes, holds none of their scripts or references and passes epubcheck.
 */
import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sanitizeSvg } from '../../src/assets/svg.js';
import { BookTest } from '../book-test.js';
import { HAVE_EPUBCHECK } from '../helpers.js';
import { epubcheck } from '../inspect.js';

const HOSTILE = `<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100" width="100" height="100" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(http://evil.example/x.css); .a { fill: blue }</style>
  <image href="http://evil.example/track.png" width="10" height="10"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <foreignObject width="100" height="100"><iframe xmlns="http://www.w3.org/1999/xhtml" src="http://evil.example/"></iframe></foreignObject>
  <defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></linearGradient></defs>
  <rect class="a" width="100" height="50" fill="url(#g)" onclick="steal()" style="fill: url(http://evil.example/p)"/>
  <set attributeName="href" to="javascript:alert(3)"/>
  <a href="javascript:alert(4)"><circle id="dot" cx="50" cy="75" r="20" fill="green"/></a>
  <text x="10" y="95">A &amp; B &secret;</text>
  <use xlink:href="#dot" x="10"/>
</svg>`;

/** Everything hostile in HOSTILE, as it could appear in the output. */
const FORBIDDEN = [
  /<script/i,
  /onload/i,
  /onclick/i,
  /evil\.example/,
  /file:/,
  /foreignObject/i,
  /iframe/i,
  /javascript:/i,
  /@import/,
  /ENTITY/,
  /<set/,
];

describe('sanitizeSvg', () => {
  it('keeps the drawing and removes what runs, fetches or reads', () => {
    const { svg, removed } = sanitizeSvg(HOSTILE);
    for (const pattern of FORBIDDEN) expect(svg).not.toMatch(pattern);
    // the picture itself stays: gradient, shapes (the link unwrapped), text, internal references
    expect(svg).toContain('<linearGradient id="g">');
    expect(svg).toContain('fill="url(#g)"');
    expect(svg).toContain('<circle id="dot" cx="50" cy="75" r="20" fill="green"/>');
    expect(svg).toContain('A &amp; B &amp;secret;');
    expect(svg).toContain('<use xlink:href="#dot" x="10"/>');
    expect(removed).toEqual(
      expect.arrayContaining([
        'script',
        'the onload event handler',
        'the onclick event handler',
        '<foreignObject>',
        'a reference to http://evil.example/track.png',
        'a reference to file:///etc/passwd',
        '<set>',
      ]),
    );
  });

  it('leaves a clean SVG clean (nothing reported) and keeps inline raster images', () => {
    const clean =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><rect width="2" height="2" fill="#c00"/><image width="1" height="1" href="data:image/png;base64,iVBORw0KGgo="/></svg>';
    const { svg, removed } = sanitizeSvg(clean);
    expect(removed).toEqual([]);
    expect(svg).toContain('<rect width="2" height="2" fill="#c00"/>');
    expect(svg).toContain('href="data:image/png;base64,iVBORw0KGgo="');
  });

  it('refuses an inline SVG or HTML inside an image, and CSS with escaped or odd url()s', () => {
    const { svg } = sanitizeSvg(
      '<svg><image href="data:image/svg+xml,&lt;svg onload=x&gt;"/><rect style="fill:u\\rl(http://x.example)"/><rect fill="url( \'http://x.example\' )"/></svg>',
    );
    expect(svg).not.toMatch(/data:image\/svg|x\.example/);
  });

  it('gives nothing for a file that is no SVG', () => {
    expect(sanitizeSvg('<html><body>hi</body></html>').svg).toBeUndefined();
    expect(sanitizeSvg(new Uint8Array([0xff, 0xfe, 0x00])).svg).toBeUndefined();
  });

  it('writes well-formed XML: control characters dropped, text and attributes escaped', () => {
    const { svg } = sanitizeSvg('<svg><text x="1&quot;2">a\u0001b &lt;c&gt;</text></svg>');
    expect(svg).toContain('<text x="1&quot;2">ab &lt;c&gt;</text>');
  });
});

describe('hostile SVGs in a book', () => {
  for (const images of ['optimized', 'original']) {
    it(`never reach the EPUB (images = "${images}"), which passes epubcheck`, {
      timeout: 120_000,
    }, async () => {
      const book = BookTest.create('anthology-svg-')
        .toml(
          `[book]\ntitle = "SVG"\nlanguage = "en"\ncover = "cover.png"\n[epub]\nimages = "${images}"\nembed-fonts = false\n`,
        )
        .article('a/index.md', 'A picture.\n\n一张图。\n\n![A drawing](drawing.svg)\n')
        .file('content/a/drawing.svg', HOSTILE);
      // a plain cover, so the test needs no browser
      const sharp = (await import('sharp')).default;
      book.file(
        'cover.png',
        await sharp({ create: { width: 160, height: 256, channels: 3, background: '#345' } })
          .png()
          .toBuffer(),
      );
      try {
        const result = await book.build({ formats: ['epub'], cacheDir: false });
        expect(result.diagnostics.filter((d) => d.code === 'image/unsafe-svg')).toHaveLength(1);
        const epub = BookTest.epubOf(result);
        const svgs = Object.keys(epub.raw).filter((name) => name.endsWith('.svg'));
        expect(svgs).toHaveLength(1);
        const svg = strFromU8(epub.raw[svgs[0]!]!);
        expect(svg).toContain('<linearGradient');
        for (const pattern of FORBIDDEN) expect(svg).not.toMatch(pattern);
        const opf = Object.entries(epub.files).find(([name]) => name.endsWith('.opf'))![1];
        expect(opf).not.toMatch(/scripted|remote-resources/);
        if (HAVE_EPUBCHECK && images === 'original') {
          const check = epubcheck(result.files[0]!.path);
          expect(check.messages).toEqual([]);
        }
      } finally {
        book.remove();
      }
    });
  }
});
