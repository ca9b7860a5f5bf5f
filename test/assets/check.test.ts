/**
 * Images checked before they go in: a huge PNG, truncated JPEG, PNG, GIF and WebP files, and a
 * garbage file are left out with a warning; whole images of every kind pass (the corpus's too).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkImage, checkImageFile } from '../../src/assets/check.js';
import { sniffImageType } from '../../src/assets/images.js';
import { BookTest } from '../book-test.js';
import { CORPUS, HAVE_CORPUS } from '../helpers.js';

const tiny = (format: 'png' | 'jpeg' | 'gif' | 'webp') =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: '#48c' } })
    .toFormat(format)
    .toBuffer();

/** A PNG that claims 100000x100000 pixels: tiny on disk, 40 GB once decoded. */
function hugePng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.alloc(10)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('checkImage', () => {
  it('passes whole images of every kind, with their size', async () => {
    for (const [format, type] of [
      ['png', 'image/png'],
      ['jpeg', 'image/jpeg'],
      ['gif', 'image/gif'],
      ['webp', 'image/webp'],
    ] as const) {
      expect(checkImage(await tiny(format), type)).toEqual({ ok: true, width: 40, height: 30 });
    }
    const progressive = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c84' } })
      .jpeg({ progressive: true })
      .toBuffer();
    expect(checkImage(progressive, 'image/jpeg')).toEqual({ ok: true, width: 64, height: 48 });
  });

  it('refuses truncated files of every kind', async () => {
    for (const [format, type] of [
      ['png', 'image/png'],
      ['jpeg', 'image/jpeg'],
      ['gif', 'image/gif'],
      ['webp', 'image/webp'],
    ] as const) {
      const whole = await tiny(format);
      for (const keep of [0.5, 0.9]) {
        const result = checkImage(whole.subarray(0, Math.floor(whole.length * keep)), type);
        expect(result, `${format} cut at ${keep}`).toMatchObject({
          ok: false,
          reason: expect.stringMatching(/truncated/),
        });
      }
    }
  });

  it('refuses an image over the pixel limit, without decoding it', () => {
    const started = Date.now();
    expect(checkImage(hugePng(), 'image/png')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('100000x100000'),
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('images that cannot be used are left out of the book', () => {
  it('warns image/unusable for a huge PNG and a truncated JPEG, and the EPUB holds neither', {
    timeout: 60_000,
  }, async () => {
    const jpeg = await tiny('jpeg');
    const book = BookTest.create('anthology-check-')
      .toml('[book]\ntitle = "Checks"\nlanguage = "en"\n[epub]\nembed-fonts = false\n')
      .article(
        'a/index.md',
        'Pictures.\n\n图片。\n\n![Huge](huge.png)\n\n![Cut](cut.jpg)\n\n![Fine](fine.jpg)\n',
      )
      .file('content/a/huge.png', hugePng())
      .file('content/a/cut.jpg', jpeg.subarray(0, jpeg.length - 40))
      .file('content/a/fine.jpg', jpeg);
    try {
      const compiled = book.compile();
      const unusable = compiled.diagnostics.filter((d) => d.code === 'image/unusable');
      expect(unusable.map((d) => d.message)).toEqual([
        expect.stringMatching(/huge\.png.*100000x100000/),
        expect.stringMatching(/cut\.jpg.*truncated/),
      ]);
      expect(compiled.assets.map((a) => a.href)).toEqual([
        expect.stringMatching(/^images\/a-fine-[0-9a-f]{8}\.jpg$/),
      ]);
    } finally {
      book.remove();
    }
  });
});

describe.skipIf(!HAVE_CORPUS)('the corpus', () => {
  it('has no image the checks refuse', () => {
    const images: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (!entry.name.endsWith('.md')) images.push(path);
      }
    };
    walk(CORPUS);
    const refused = images.flatMap((path) => {
      const type = sniffImageType(path);
      if (!type) return [];
      const result = checkImageFile(path, type, statSync(path).size);
      return result.ok ? [] : [`${path}: ${result.reason}`];
    });
    expect(images.length).toBeGreaterThan(100);
    expect(refused).toEqual([]);
  });
});
