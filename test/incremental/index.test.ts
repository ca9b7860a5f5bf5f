/**
 * Incremental builds (issue 11): an article's parse and pair results, and the article as the
 * passes leave it, come from the cache unless something that shapes them changed (its bytes, its
 * name, the book around it, its image files, anthology's code); what comes from the cache equals
 * what a fresh compile gives.
 */
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UNUSED_FOR_MS } from '../../src/assets/cache.js';
import { compileBook } from '../../src/compile/index.js';
import { loadConfig } from '../../src/config/index.js';
import { codeHash, openArticleCache } from '../../src/incremental/index.js';
import { BookTest } from '../book-test.js';
import { tempDir } from '../helpers.js';

const pair = (n: number) =>
  `Paragraph ${n} is in English, long enough to tell.\n\n第${n}段是中文，足够长，可以分辨。\n\n`;

function book(): BookTest {
  const t = BookTest.create();
  for (const name of ['one', 'two', 'three'])
    t.article(
      `${name}.md`,
      `${pair(1)}${pair(2)}An untranslated paragraph in ${name}, long enough to be noticed by the pairing as one.\n`,
    );
  return t;
}

describe('the per-article cache', () => {
  it('parses each article once, then only the one edited; the result equals a fresh compile', () => {
    const t = book();
    const dir = tempDir();
    const config = loadConfig({ bookDir: t.dir });
    const first = openArticleCache({ dir });
    const fresh = compileBook(config, first);
    expect(first.stats).toEqual({ hits: 0, parsed: 3 });
    expect(readdirSync(join(dir, 'articles'))).toHaveLength(3);
    expect(readdirSync(join(dir, 'compiled'))).toHaveLength(3);

    // A new process: nothing in memory, everything on disk.
    const second = openArticleCache({ dir });
    expect(compileBook(config, second)).toEqual(fresh);
    expect(second.stats).toEqual({ hits: 3, parsed: 0 });

    t.article(
      'two.md',
      `${pair(1)}Now this paragraph is untranslated too, and long enough to be noticed as such.\n`,
    );
    const third = openArticleCache({ dir });
    const edited = compileBook(config, third);
    expect(third.stats).toEqual({ hits: 2, parsed: 1 });
    expect(edited).toEqual(compileBook(config));
    expect(
      edited.diagnostics.filter((d) => d.file === 'content/two.md' && d.code === 'pair/untranslated'),
    ).toHaveLength(1);
  });

  it('keeps results in memory across rebuilds of one process, frozen, so no rebuild can change them for the next', () => {
    const t = book();
    const memory = new Map();
    const config = loadConfig({ bookDir: t.dir });
    compileBook(config, openArticleCache({ memory }));
    const again = openArticleCache({ memory });
    const a = compileBook(config, again);
    expect(again.stats).toEqual({ hits: 3, parsed: 0 });
    expect(() => {
      (a.chapters[0]!.articles[0]!.blocks as unknown[]).length = 0;
    }).toThrow(TypeError);
    expect(compileBook(config, openArticleCache({ memory }))).toEqual(compileBook(config));
  });

  it('parses again when the file is renamed (diagnostics name it) and when an entry is damaged', () => {
    const t = book();
    const dir = tempDir();
    const config = loadConfig({ bookDir: t.dir });
    compileBook(config, openArticleCache({ dir }));
    // cut short, and (the compiled ones) one byte changed in the middle
    for (const f of readdirSync(join(dir, 'articles')))
      writeFileSync(join(dir, 'articles', f), '{"blocks": [');
    for (const f of readdirSync(join(dir, 'compiled'))) {
      const bytes = readFileSync(join(dir, 'compiled', f));
      const middle = bytes.length >> 1;
      bytes[middle] = bytes[middle]! ^ 1;
      writeFileSync(join(dir, 'compiled', f), bytes);
    }
    const damaged = openArticleCache({ dir });
    expect(compileBook(config, damaged)).toEqual(compileBook(config));
    expect(damaged.stats.parsed).toBe(3);
    t.article(
      'four.md',
      `${pair(1)}${pair(2)}An untranslated paragraph in one, long enough to be noticed by the pairing as one.\n`,
      { title: 'one' },
    );
    const renamed = openArticleCache({ dir });
    const next = compileBook(config, renamed);
    expect(renamed.stats).toEqual({ hits: 3, parsed: 1 });
    expect(next.diagnostics.some((d) => d.file === 'content/four.md')).toBe(true);
  });

  it('passes an article again when the book around it changes: a link to an article added, then renamed', () => {
    const t = book();
    t.article(
      'one.md',
      `${pair(1)}See [the fourth](four.md) for more, it says so in English here.\n\n详见[第四篇](four.md)，这里用中文这么说。\n`,
    );
    const dir = tempDir();
    const config = () => loadConfig({ bookDir: t.dir });
    const dropped = compileBook(config(), openArticleCache({ dir }));
    expect(
      dropped.diagnostics.filter((d) => d.code === 'link/dropped' && d.file === 'content/one.md'),
    ).toHaveLength(2);
    t.article('four.md', pair(4), { title: 'Four' });
    const cache = openArticleCache({ dir });
    const linked = compileBook(config(), cache);
    expect(linked).toEqual(compileBook(config()));
    expect(linked.diagnostics.some((d) => d.code === 'link/dropped')).toBe(false);
    expect(
      JSON.stringify(linked.chapters[0]!.articles.find((a) => a.source === 'content/one.md')!.blocks),
    ).toContain(String.raw`href=\"#a-four\"`);
    // nothing was parsed again: the article kept its parse, only its passes ran again
    expect(cache.stats).toEqual({ hits: 3, parsed: 1 });
    rmSync(join(t.dir, 'content', 'four.md'));
    t.article('five.md', pair(4), { title: 'Four' });
    expect(compileBook(config(), openArticleCache({ dir }))).toEqual(compileBook(config()));
  });

  it('checks the images of an article again when their files change: added, replaced, touched, renamed', async () => {
    const t = book();
    t.article('pics/index.md', `${pair(1)}![A picture](pic.png)\n\n${pair(2)}`);
    t.article('other/index.md', `${pair(3)}![The same picture](../pics/pic.png)\n`);
    const dir = tempDir();
    const config = loadConfig({ bookDir: t.dir });
    const compile = () => {
      const cached = compileBook(config, openArticleCache({ dir }));
      expect(cached).toEqual(compileBook(config));
      return cached;
    };
    // in the book's order: other/ before pics/
    const codes = (b: ReturnType<typeof compile>) =>
      b.diagnostics.filter((d) => d.code.startsWith('image/')).map((d) => `${d.code} ${d.file}`);
    expect(codes(compile())).toEqual([
      'image/missing content/other/index.md',
      'image/missing content/pics/index.md',
    ]);
    const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#48c' } })
      .png()
      .toBuffer();
    t.file('content/pics/pic.png', png);
    const found = compile();
    expect(codes(found)).toEqual([]);
    // one image, shown by both articles
    expect(found.assets).toHaveLength(1);
    expect(found.assets[0]!.href).toMatch(/^images\/pics-pic-[0-9a-f]{8}\.png$/);
    t.file('content/pics/pic.png', png.subarray(0, png.length - 20));
    expect(codes(compile())).toEqual([
      'image/unusable content/other/index.md',
      'image/unusable content/pics/index.md',
    ]);
    t.file('content/pics/pic.png', png);
    utimesSync(join(t.dir, 'content', 'pics', 'pic.png'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(codes(compile())).toEqual([]);
    rmSync(join(t.dir, 'content', 'pics', 'pic.png'));
    t.file('content/pics/PIC.png', png);
    expect(codes(compile())).toEqual([
      'image/repaired content/other/index.md',
      'image/repaired content/pics/index.md',
    ]);
  });

  it("keeps the book's images in the order a fresh compile gives, whichever articles were kept", async () => {
    const t = book();
    const png = (r: number) =>
      sharp({ create: { width: 4, height: 4, channels: 3, background: { r, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    t.file('content/x.png', await png(10)).file('content/y.png', await png(200));
    t.article('a.md', `${pair(1)}![x](x.png)\n\n![y](y.png)\n`);
    t.article('b.md', `${pair(2)}![y](y.png)\n`);
    const dir = tempDir();
    const config = loadConfig({ bookDir: t.dir });
    compileBook(config, openArticleCache({ dir }));
    t.article(
      'a.md',
      `${pair(1)}![x](x.png)\n\n![y](y.png)\n\nOne more paragraph, in English, long enough.\n`,
    );
    const warm = compileBook(config, openArticleCache({ dir }));
    expect(warm.assets.map((a) => a.href)).toEqual(compileBook(config).assets.map((a) => a.href));
    expect(warm).toEqual(compileBook(config));
  });

  it('forgets from memory what a rebuild did not use, but not the parse of an article it kept', () => {
    const t = book();
    const memory = new Map();
    const config = loadConfig({ bookDir: t.dir });
    const rebuild = () => {
      const cache = openArticleCache({ memory });
      compileBook(config, cache);
      void cache.prune();
      return cache.stats;
    };
    rebuild();
    for (let n = 0; n < 5; n++) {
      t.article('one.md', pair(10 + n));
      rebuild();
    }
    // this version of each of the three articles: its parse and its compiled form
    expect(memory.size).toBe(6);
    // an article added changes the book around every article: all passed again, none parsed again
    t.article('four.md', pair(4));
    expect(rebuild()).toEqual({ hits: 3, parsed: 1 });
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

  it('anthology build removes the entries of earlier versions once no build has used them for weeks', async () => {
    const t = book();
    const cacheDir = tempDir();
    await t.build({ formats: ['html'], cacheDir });
    const entries = (kind: string) => readdirSync(join(cacheDir, kind)).sort();
    const first = entries('compiled');
    t.article('one.md', pair(3));
    await t.build({ formats: ['html'], cacheDir });
    // one.md's first version is still there: not yet old
    expect(entries('compiled')).toHaveLength(4);
    const old = new Date(Date.now() - UNUSED_FOR_MS - 60_000);
    for (const kind of ['articles', 'compiled'])
      for (const f of entries(kind)) utimesSync(join(cacheDir, kind, f), old, old);
    expect((await t.build({ formats: ['html'], cacheDir })).articles).toEqual({ hits: 3, parsed: 0 });
    // the entries the build used are kept however old; one.md's first version is gone
    expect(entries('compiled')).toHaveLength(3);
    expect(entries('compiled').filter((f) => first.includes(f))).toHaveLength(2);
  });
});
