/**
 * An image file changed while the images pass reads it (an editor saving it during `build --watch`
 * or the preview): the kept article's images were stat-ed before the pass read them, so the next
 * build sees the change and checks the file again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';

let finishWrite: (() => void) | undefined;
vi.mock('../../src/assets/check.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/assets/check.js')>();
  return {
    ...real,
    // the file is finished right after the check read its first half
    checkImageFile: (path: string, mediaType: string, size: number) => {
      const result = real.checkImageFile(path, mediaType, size);
      finishWrite?.();
      finishWrite = undefined;
      return result;
    },
  };
});

const { compileBook } = await import('../../src/compile/index.js');
const { loadConfig } = await import('../../src/config/index.js');
const { openArticleCache } = await import('../../src/incremental/index.js');
const { BookTest } = await import('../book-test.js');
const { tempDir } = await import('../helpers.js');

describe('an image written while the images pass reads it', () => {
  it('is checked again by the next build, not kept with the verdict on its first half', async () => {
    const full = await sharp({
      create: { width: 40, height: 40, channels: 3, background: { r: 9, g: 99, b: 0 } },
    })
      .png()
      .toBuffer();
    const t = BookTest.create();
    t.article('a.md', 'Paragraph in English, long enough to tell.\n\n![x](x.png)\n');
    t.file('content/x.png', full.subarray(0, 40));
    const path = `${t.dir}/content/x.png`;
    finishWrite = () => writeFileSync(path, full);
    const dir = tempDir();
    const config = loadConfig({ bookDir: t.dir });
    const first = compileBook(config, openArticleCache({ dir }));
    expect(first.diagnostics.map((d) => d.code)).toContain('image/unusable');
    expect(readFileSync(path).length).toBe(full.length);
    const warm = compileBook(config, openArticleCache({ dir }));
    expect(warm.diagnostics).toEqual(compileBook(config).diagnostics);
    expect(warm.diagnostics.map((d) => d.code)).not.toContain('image/unusable');
  });
});
