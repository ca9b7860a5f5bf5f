/**
 * Incremental builds (issue 11): an article's parse and pair results come from the cache unless
 * its bytes, its name or anthology's code changed; what comes from the cache equals what a fresh
 * parse gives.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBook } from '../../src/compile/index.js';
import { loadConfig } from '../../src/config/index.js';
import { codeHash, openArticleCache } from '../../src/incremental/index.js';
import { BookTest } from '../book-test.js';
import { tempDir } from '../helpers.js';

const pair = (n: number) => `Paragraph ${n} is in English, long enough to tell.\n\n第${n}段是中文，足够长，可以分辨。\n\n`;

function book(): BookTest {
  const t = BookTest.create();
  for (const name of ['one', 'two', 'three']) t.article(`${name}.md`, `${pair(1)}${pair(2)}An untranslated paragraph in ${name}, long enough to be noticed by the pairing as one.\n`);
  return t;
}

describe('the per-article cache', () => {
  it('parses each article once, then only the one edited; the result equals a fresh compile', () => {
    const t = book();
    const dir = tempDir();
    const config = loadConfig({ bookDir: t.dir });
    const first = openArticleCache({ dir });
    const fresh = compileBook(config, { blocksOf: first.blocksOf });
    expect(first.stats).toEqual({ hits: 0, parsed: 3 });
    expect(readdirSync(join(dir, 'articles'))).toHaveLength(3);

    // A new process: nothing in memory, everything on disk.
    const second = openArticleCache({ dir });
    expect(compileBook(config, { blocksOf: second.blocksOf })).toEqual(fresh);
    expect(second.stats).toEqual({ hits: 3, parsed: 0 });

    t.article('two.md', `${pair(1)}Now this paragraph is untranslated too, and long enough to be noticed as such.\n`);
    const third = openArticleCache({ dir });
    const edited = compileBook(config, { blocksOf: third.blocksOf });
    expect(third.stats).toEqual({ hits: 2, parsed: 1 });
    expect(edited).toEqual(compileBook(config));
    expect(edited.diagnostics.filter((d) => d.file === 'content/two.md' && d.code === 'pair/untranslated')).toHaveLength(1);
  });

  it('keeps results in memory across rebuilds of one process, frozen, so no rebuild can change them for the next', () => {
    const t = book();
    const memory = new Map();
    const config = loadConfig({ bookDir: t.dir });
    compileBook(config, { blocksOf: openArticleCache({ memory }).blocksOf });
    const again = openArticleCache({ memory });
    const a = compileBook(config, { blocksOf: again.blocksOf });
    expect(again.stats).toEqual({ hits: 3, parsed: 0 });
    expect(() => {
      (a.chapters[0]!.articles[0]!.blocks as unknown[]).length = 0;
    }).toThrow(TypeError);
    expect(compileBook(config, { blocksOf: openArticleCache({ memory }).blocksOf })).toEqual(compileBook(config));
  });

  it('parses again when the file is renamed (diagnostics name it) and when an entry is damaged', () => {
    const t = book();
    const dir = tempDir();
    const config = loadConfig({ bookDir: t.dir });
    compileBook(config, { blocksOf: openArticleCache({ dir }).blocksOf });
    for (const f of readdirSync(join(dir, 'articles'))) writeFileSync(join(dir, 'articles', f), '{"blocks": [');
    const damaged = openArticleCache({ dir });
    expect(compileBook(config, { blocksOf: damaged.blocksOf })).toEqual(compileBook(config));
    expect(damaged.stats.parsed).toBe(3);
    t.article('four.md', `${pair(1)}${pair(2)}An untranslated paragraph in one, long enough to be noticed by the pairing as one.\n`, { title: 'one' });
    const renamed = openArticleCache({ dir });
    const next = compileBook(config, { blocksOf: renamed.blocksOf });
    expect(renamed.stats).toEqual({ hits: 3, parsed: 1 });
    expect(next.diagnostics.some((d) => d.file === 'content/four.md')).toBe(true);
  });

  it('keys on the code that parses and pairs', () => {
    expect(codeHash()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('anthology build keeps the results in the build cache', async () => {
    const t = book();
    const cacheDir = tempDir();
    const first = await t.build({ formats: ['html'], cacheDir });
    expect(first.articles).toEqual({ hits: 0, parsed: 3 });
    t.article('one.md', pair(3));
    const second = await t.build({ formats: ['html'], cacheDir });
    expect(second.articles).toEqual({ hits: 2, parsed: 1 });
    expect((await t.build({ formats: ['html'], cacheDir: false })).articles).toEqual({ hits: 0, parsed: 3 });
  });
});
