/**
 * The build cache checks every entry it reads: emptied, cut short or replaced entries are
 * removed and made again, never used (a zero-byte font subset crashed the EPUB build).
 */
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache, UNUSED_FOR_MS } from '../../src/assets/cache.js';
import { tempDir } from '../helpers.js';

describe('cache entries are verified', () => {
  it('returns what was put, and nothing for an entry damaged in any way', async () => {
    const dir = tempDir('anthology-cache-');
    const cache = openCache(dir);
    const file = join(dir, 'fonts', 'k.ttf');
    const data = Buffer.from('a font subset, or an image');
    for (const damage of [
      () => writeFileSync(file, ''),
      () => writeFileSync(file, readFileSync(file).subarray(0, 20)),
      () => writeFileSync(file, Buffer.concat([Buffer.from('garbage'), readFileSync(file)])),
      () => writeFileSync(file, data), // the bare data, as an older anthology stored it
    ]) {
      await cache.put('fonts', 'k', '.ttf', data);
      expect(await cache.get('fonts', 'k', '.ttf')).toEqual(data);
      damage();
      expect(await cache.get('fonts', 'k', '.ttf')).toBeUndefined();
      expect(readdirSync(join(dir, 'fonts'))).toEqual([]); // removed, to be made again
    }
    // an empty entry is an entry ("the source as it is" for images)
    await cache.put('images', 'e', '.png', new Uint8Array());
    expect(await cache.get('images', 'e', '.png')).toEqual(Buffer.alloc(0));
  });
});

describe('the cache is pruned', () => {
  it('of entries a build did not use and none has for weeks, in the folders it used, and of old temporary files', async () => {
    const dir = tempDir();
    const old = new Date(Date.now() - UNUSED_FOR_MS - 3600_000);
    const cache = openCache(dir);
    for (const name of ['used', 'unused-old', 'unused-new'])
      await cache.put('images', name, '.jpg', Buffer.from(name));
    await openCache(dir).put('fonts', 'other-kind-old', '.ttf', Buffer.from('x'));
    writeFileSync(join(dir, 'images', 'x.jpg.123.abc.tmp'), 'half');
    for (const file of ['images/used.jpg', 'images/unused-old.jpg', 'fonts/other-kind-old.ttf'])
      utimesSync(join(dir, file), old, old);
    utimesSync(
      join(dir, 'images', 'x.jpg.123.abc.tmp'),
      new Date(Date.now() - 7200_000),
      new Date(Date.now() - 7200_000),
    );
    // a later build uses one image and no font
    const later = openCache(dir);
    expect(await later.get('images', 'used', '.jpg')).toBeDefined();
    await later.prune();
    expect(readdirSync(join(dir, 'images')).sort()).toEqual(['unused-new.jpg', 'used.jpg']);
    expect(readdirSync(join(dir, 'fonts'))).toEqual(['other-kind-old.ttf']);
  });
});

describe('a damaged cache in a build', () => {
  it('zero-byte font subsets and a garbage image in the cache: the EPUB is built as from a cold cache', {
    timeout: 120_000,
  }, async () => {
    const { BookTest } = await import('../book-test.js');
    const sharp = (await import('sharp')).default;
    const book = BookTest.create('anthology-cache-book-')
      .toml('[book]\ntitle = "Cache"\nlanguage = "en"\ncover = "cover.png"\n')
      .article('a/index.md', 'A photo.\n\n一张照片。\n\n![Photo](photo.png)\n')
      .file(
        'content/a/photo.png',
        await sharp({ create: { width: 2000, height: 100, channels: 3, background: '#a33' } })
          .png()
          .toBuffer(),
      )
      .file(
        'cover.png',
        await sharp({ create: { width: 160, height: 256, channels: 3, background: '#345' } })
          .png()
          .toBuffer(),
      );
    const cacheDir = join(book.dir, 'cache');
    try {
      const cold = readFileSync((await book.write('epub', { cacheDir })).file.path);
      const entries = readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((e) =>
        e.isFile(),
      );
      expect(entries.some((e) => e.name.endsWith('.ttf'))).toBe(true);
      for (const entry of entries)
        writeFileSync(join(entry.parentPath, entry.name), entry.name.endsWith('.ttf') ? '' : 'garbage');
      const damaged = readFileSync((await book.write('epub', { cacheDir })).file.path);
      expect(damaged.equals(cold)).toBe(true);
    } finally {
      book.remove();
    }
  });
});
