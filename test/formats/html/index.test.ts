/** The HTML format: the print HTML in a folder with its images, replaced whole, even by two builds at once. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookTest } from '../../book-test.js';
import { articleBody, documentElements, textOf } from '../../dom.js';

describe('the html format', () => {
  const book = BookTest.create('anthology-html-')
    .toml('[book]\ntitle = "Preview"\n')
    .article(
      'a/index.md',
      'A paragraph in English, long enough to be one.\n\n一段中文，足够长。\n\n![A dot](dot.png)\n',
      { title: 'An article' },
    );
  let index: string;
  beforeAll(async () => {
    await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } })
      .png()
      .toFile(join(book.dir, 'content', 'a', 'dot.png'));
    index = (await book.write('html')).file.path;
  });
  afterAll(() => book.remove());

  it('writes the print HTML with the book, and its images beside it', () => {
    expect(index).toBe(join(book.out, 'preview-print', 'index.html'));
    const html = readFileSync(index, 'utf8');
    expect(textOf(articleBody(html))).toContain('一段中文，足够长。');
    const src = documentElements(html)
      .find((e) => e.name === 'img')!
      .attrs.find(([n]) => n === 'src')![1];
    expect(existsSync(join(book.out, 'preview-print', src))).toBe(true);
  });

  it('replaces the folder whole, and two writes at once both succeed', async () => {
    const results = await Promise.allSettled([book.write('html'), book.write('html'), book.write('html')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(readdirSync(book.out)).toEqual(['preview-print']);
    expect(readdirSync(join(book.out, 'preview-print')).sort()).toEqual(['images', 'index.html']);
  });
});
