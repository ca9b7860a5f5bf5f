/**
 * The EPUB format, through its interface: a small book with every kind of image and messy links,
 * written twice from a cold cache and compared byte for byte; the image profile; the cover;
 * embedded fonts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmapOf } from '../../../src/assets/font-subsets.js';
import { chromiumAvailable } from '../../../src/browser/index.js';
import type { Diagnostic } from '../../../src/model.js';
import { BookTest } from '../../book-test.js';
import { HAVE_EPUBCHECK } from '../../helpers.js';
import { epubcheck, readEpub } from '../../inspect.js';

const ARTICLE = `---
title: "图片与链接"
date: 2023-03-01T10:00:00+08:00
extra:
  original_title: "Images and links"
  author: Ada
  source: https://example.com/a b\`c
---

A photo, far too large for an e-reader.

一张照片，对电子阅读器来说太大了。

![A wide photo](wide.png)

A WebP screenshot with transparency, and one without.

一张透明的 WebP 截图，和一张不透明的。

![Transparent](shot.webp)

![Opaque](photo.webp)

An animated GIF, and black line art on a transparent ground.

一张动图，和透明底上的黑色线条图。

![Animated](anim.gif)

![Line art](line.png)

A reference that misses by case: ![Case](SMALL.JPG) and a remote one: ![Remote](https://example.com/x.png)

一个大小写不对的引用，和一个远程图片。

See [the odd link](https://100daystooffload.com%60#100DaysToOffload%60获取更多信息#x) and [a spaced one](https://example.com/a b), [a fine one](https://example.com/ok?q=1#top), [nowhere](#missing) and [mail](mailto:ada@example.com).

请看那些奇怪的链接。
`;

async function makeBook(toml = ''): Promise<BookTest> {
  const book = BookTest.create('anthology-epub-')
    .toml(
      `[book]\ntitle = "图像测试"\nsubtitle = "Images"\neditors = ["Ed Itor"]\nlanguage = "zh"\ndate = 2023-03-02\n${toml}`,
    )
    .article('pieces/images/index.md', ARTICLE);
  const article = join(book.dir, 'content', 'pieces', 'images');
  // A noisy gradient: large and photographic (compresses badly as PNG).
  const w = 2400;
  const h = 1200;
  const raw = Buffer.alloc(w * h * 3);
  // A smooth gradient with a little grain, like a photograph.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const grain = ((i * 2654435761) >>> 29) & 7;
      raw[i] = ((x * 255) / w + grain) & 0xff;
      raw[i + 1] = ((y * 255) / h + grain) & 0xff;
      raw[i + 2] = (((x + y) * 127) / (w + h) + grain) & 0xff;
    }
  }
  await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(join(article, 'wide.png'));
  await sharp({
    create: { width: 400, height: 300, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.5 } },
  })
    .webp()
    .toFile(join(article, 'shot.webp'));
  await sharp({ create: { width: 500, height: 300, channels: 3, background: { r: 20, g: 90, b: 160 } } })
    .webp()
    .toFile(join(article, 'photo.webp'));
  await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 250, g: 250, b: 0 } } })
    .jpeg()
    .toFile(join(article, 'small.jpg'));
  // Two frames: the first fully transparent, the second red.
  const frame = (alpha: number) =>
    sharp({ create: { width: 60, height: 40, channels: 4, background: { r: 200, g: 0, b: 0, alpha } } })
      .png()
      .toBuffer();
  await sharp([await frame(0), await frame(1)], { join: { animated: true } })
    .gif({ delay: [100, 100], loop: 0 })
    .toFile(join(article, 'anim.gif'));
  const stroke = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><path d="M10 10 L70 70" stroke="black" stroke-width="4"/></svg>',
  );
  await sharp({ create: { width: 80, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: stroke }])
    .png()
    .toFile(join(article, 'line.png'));
  return book;
}

/** The EPUB format through its interface, into `out`, with its own cache folder. */
async function writeWith(
  book: BookTest,
  out: string,
  cacheDir: string,
): Promise<{ path: string; diagnostics: Diagnostic[] }> {
  const { file, book: compiled, reported } = await book.write('epub', { out, cacheDir });
  return { path: file.path, diagnostics: [...compiled.diagnostics, ...reported] };
}

describe('an EPUB with images, a cover and messy links', () => {
  let book: BookTest;
  let epub: string;
  let result: { path: string; diagnostics: Diagnostic[] };
  let opf: string;

  beforeAll(async () => {
    book = await makeBook();
    result = await writeWith(book, join(book.dir, 'out1'), join(book.dir, 'cache1'));
    epub = result.path;
    opf = readEpub(epub).files['EPUB/content.opf']!;
  });
  afterAll(() => book.remove());

  it('gives the same bytes when built again from a cold cache', async () => {
    const again = await writeWith(book, join(book.dir, 'out2'), join(book.dir, 'cache2'));
    expect(Buffer.compare(readFileSync(again.path), readFileSync(epub))).toBe(0);
  });

  it('gives the same bytes from a warm cache', async () => {
    const warm = await writeWith(book, join(book.dir, 'out3'), join(book.dir, 'cache1'));
    expect(Buffer.compare(readFileSync(warm.path), readFileSync(epub))).toBe(0);
  });

  it('scales, recompresses and converts images', async () => {
    const { raw } = readEpub(epub);
    const images = Object.keys(raw).filter((n) => n.startsWith('EPUB/images/') && !n.includes('cover'));
    expect(images.map((n) => n.replace(/^.*\./, '')).sort()).toEqual([
      'jpg',
      'jpg',
      'jpg',
      'png',
      'png',
      'png',
    ]);
    for (const name of images) {
      const meta = await sharp(raw[name]!).metadata();
      expect(Math.max(meta.width!, meta.height!), name).toBeLessThanOrEqual(1600);
      expect(raw[name]!.length, name).toBeGreaterThan(0);
    }
    expect(opf).not.toContain('image/webp');
    expect(opf).not.toContain('image/gif');
  });

  it('flattens transparent images onto white and makes an animated GIF its first frame', async () => {
    const { raw } = readEpub(epub);
    const images = Object.keys(raw).filter((n) => n.startsWith('EPUB/images/'));
    for (const name of images) expect((await sharp(raw[name]!).stats()).isOpaque, name).toBe(true);
    // The transparent WebP (half-transparent red) is a PNG, the red on white.
    const shot = await sharp(raw[images.find((n) => n.includes('shot'))!]!)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...shot.data.subarray(0, 3)].map((v) => Math.round(v / 10))).toEqual([23, 14, 14]);
    // The line art keeps its black stroke on a white ground.
    const line = await sharp(raw[images.find((n) => n.includes('line'))!]!)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...line.data.subarray(
        (y * line.info.width + x) * line.info.channels,
        (y * line.info.width + x) * line.info.channels + 3,
      ),
    ];
    expect(pixel(70, 5)).toEqual([255, 255, 255]);
    expect(Math.max(...pixel(40, 40))).toBeLessThan(60);
    // The GIF is its first frame (all transparent, so all white), one page, a PNG.
    const gif = images.find((n) => n.includes('anim'))!;
    expect(gif.endsWith('.png')).toBe(true);
    expect((await sharp(raw[gif]!).metadata()).pages ?? 1).toBe(1);
    const still = await sharp(raw[gif]!).stats();
    expect(still.channels.slice(0, 3).map((c) => c.min)).toEqual([255, 255, 255]);
  });

  it('turns remote images into links and never lists a remote resource', () => {
    const { files } = readEpub(epub);
    const article = Object.entries(files).find(
      ([n, t]) => n.endsWith('.xhtml') && t.includes('图片与链接') && t.includes('article-body'),
    )![1];
    expect(article).toContain('class="remote-image" href="https://example.com/x.png"');
    expect(article).not.toMatch(/<img[^>]+src="https?:/);
    expect(opf).not.toMatch(/href="https?:/);
  });

  it('repairs or drops hrefs that are not valid URLs', () => {
    const { files } = readEpub(epub);
    const article = Object.entries(files).find(
      ([n, t]) => n.endsWith('.xhtml') && t.includes('article-body'),
    )![1];
    expect(article).toContain('class="source" href="https://example.com/a%20b%60c"');
    expect(article).toContain('href="https://example.com/ok?q=1#top"');
    expect(article).toContain('href="mailto:ada@example.com"');
    expect(article).not.toContain('100daystooffload.com%60');
    expect(article).toMatch(/<a>the odd link<\/a>/);
    expect(article).toMatch(/<a>nowhere<\/a>/);
    expect(
      result.diagnostics.some((d) => d.code === 'link/dropped' && d.message.includes('broken host name')),
    ).toBe(true);
  });

  it.skipIf(!chromiumAvailable())(
    'has a 1600x2560 cover image, a cover page first in the spine and a cover landmark',
    async () => {
      const { raw, files } = readEpub(epub);
      expect(opf).toMatch(
        /<item id="cover-image" href="images\/cover.jpg" media-type="image\/jpeg" properties="cover-image"\/>/,
      );
      expect(opf).toMatch(/<spine[^>]*>\s*<itemref idref="cover"\/>/);
      expect(files['EPUB/nav.xhtml']).toContain('epub:type="cover" href="cover.xhtml"');
      expect(opf).toContain('<reference type="cover"');
      const meta = await sharp(raw['EPUB/images/cover.jpg']!).metadata();
      expect([meta.width, meta.height]).toEqual([1600, 2560]);
    },
  );

  it('has the metadata a store wants', () => {
    expect(opf).toContain('<dc:language>zh</dc:language>');
    expect(opf.indexOf('<dc:language>zh')).toBeLessThan(opf.indexOf('<dc:language>en'));
    expect(opf).toMatch(
      /<dc:creator id="creator-1">Ed Itor<\/dc:creator>\s*<meta refines="#creator-1" property="role" scheme="marc:relators">edt<\/meta>/,
    );
    // The article's author is a contributor, not one of the book's creators (which libraries list as its authors).
    expect(opf).toMatch(/<dc:contributor id="contributor-1">Ada<\/dc:contributor>/);
    expect(opf).not.toContain('>Ada</dc:creator>');
    expect(opf).toContain('property="title-type">subtitle</meta>');
    expect(opf).toContain('<meta property="dcterms:modified">2023-03-02T00:00:00Z</meta>');
    expect(opf).toContain('schema:accessibilitySummary');
  });

  it.skipIf(!HAVE_EPUBCHECK)('passes epubcheck', () => {
    expect(epubcheck(epub).messages).toEqual([]);
  });
});

describe('an image replaced in place', () => {
  it('is processed again, not found by its name, size or place in a warm cache', async () => {
    const book = await makeBook();
    try {
      const cache = join(book.dir, 'cache');
      await writeWith(book, join(book.dir, 'out1'), cache);
      await writeWith(book, join(book.dir, 'out2'), cache); // the cache knows the files now
      const small = join(book.dir, 'content', 'pieces', 'images', 'small.jpg');
      const before = readFileSync(small);
      // the same path and name, other pixels
      const other = await sharp(before).negate().jpeg().toBuffer();
      await sharp(other).toFile(small);
      const warm = readEpub((await writeWith(book, join(book.dir, 'out3'), cache)).path).raw;
      const cold = readEpub((await writeWith(book, join(book.dir, 'out4'), join(book.dir, 'cold'))).path).raw;
      const entry = Object.keys(cold).find((n) => n.startsWith('EPUB/images/') && n.includes('small'))!;
      expect(Buffer.compare(Buffer.from(warm[entry]!), Buffer.from(cold[entry]!))).toBe(0);
      const stale = readEpub(
        join(book.dir, 'out1', readdirSync(join(book.dir, 'out1')).find((f) => f.endsWith('.epub'))!),
      ).raw;
      expect(Buffer.compare(Buffer.from(warm[entry]!), Buffer.from(stale[entry]!))).not.toBe(0);
    } finally {
      book.remove();
    }
  });
});

describe('[epub] images = "original" and embed-fonts = true', () => {
  let book: BookTest;
  let epub: string;
  beforeAll(async () => {
    book = await makeBook('[epub]\nimages = "original"\nembed-fonts = true\n');
    epub = (await writeWith(book, join(book.dir, 'out'), join(book.dir, 'cache'))).path;
  });
  afterAll(() => book.remove());

  it('keeps JPEG, PNG and GIF bytes (the animation too) and still converts WebP', () => {
    const { raw, files } = readEpub(epub);
    for (const name of ['wide.png', 'anim.gif', 'line.png']) {
      const entry = Object.keys(raw).find(
        (n) => n.startsWith('EPUB/images/') && n.includes(name.split('.')[0]!),
      )!;
      expect(entry.endsWith(name.split('.')[1]!), entry).toBe(true);
      expect(
        Buffer.compare(
          Buffer.from(raw[entry]!),
          readFileSync(join(book.dir, 'content', 'pieces', 'images', name)),
        ),
        name,
      ).toBe(0);
    }
    expect(files['EPUB/content.opf']).not.toContain('image/webp');
  });

  it("embeds TrueType subsets that hold the book's characters", () => {
    const { raw, files } = readEpub(epub);
    const css = files['EPUB/css/book.css']!;
    expect(css).toContain("font-family: 'Noto Serif SC'");
    const cjk = cmapOf(raw['EPUB/fonts/noto-serif-sc-400.ttf']!);
    for (const ch of '图片与链接一张照片') expect(cjk.has(ch.codePointAt(0)!), ch).toBe(true);
    expect(cjk.size).toBeLessThan(400);
    expect(files['EPUB/content.opf']).toMatch(
      /href="fonts\/noto-serif-400.ttf" media-type="application\/vnd.ms-opentype"/,
    );
  });

  it.skipIf(!HAVE_EPUBCHECK)('passes epubcheck', () => {
    expect(epubcheck(epub).messages).toEqual([]);
  });
});

describe('an EPUB over 50 MB', () => {
  it('is written, with a warning that names the limit', async () => {
    const book = BookTest.create('anthology-big-')
      .toml('[book]\ntitle = "Big"\n[epub]\nimages = "original"\n')
      .article('a/index.md', 'A picture of noise.\n\n一张噪点图。\n\n![noise](noise.png)\n');
    try {
      // 52 MB of noise that no PNG filter or deflate can shrink, kept byte for byte with images = "original".
      const side = 4200;
      const noise = Buffer.alloc(side * side * 3);
      for (let i = 0, x = 0x9e3779b9; i < noise.length; i++)
        noise[i] =
          (x = x ^ (x << 13) ^ ((x ^ (x << 13)) >>> 17) ^ ((x ^ (x << 13) ^ ((x ^ (x << 13)) >>> 17)) << 5)) &
          0xff;
      await sharp(noise, { raw: { width: side, height: side, channels: 3 } })
        .png({ compressionLevel: 0 })
        .toFile(join(book.dir, 'content', 'a', 'noise.png'));
      const { file, reported } = await book.write('epub', { cacheDir: false });
      expect(file.bytes).toBeGreaterThan(50 * 1024 * 1024);
      expect(reported.filter((d) => d.code === 'epub/too-large').map((d) => d.message)).toEqual([
        expect.stringContaining('50.0 MB'),
      ]);
    } finally {
      book.remove();
    }
  }, 120_000);
});
