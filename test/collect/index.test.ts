import { describe, expect, it } from 'vitest';
import { collectBook, splitFrontMatter } from '../../src/collect/index.js';
import { loadConfig } from '../../src/config/index.js';
import { AnthologyError } from '../../src/errors.js';
import { CORPUS, fixture, HAVE_CORPUS } from '../helpers.js';

describe('front matter', () => {
  it('keeps the UTC offset of YAML dates', () => {
    const { data, bodyLine } = splitFrontMatter('---\ntitle: x\ndate: 2022-12-01T22:59:21+08:00\n---\n\nBody\n', 'a.md');
    expect(data.date).toBe('2022-12-01T22:59:21+08:00');
    expect(bodyLine).toBe(5);
  });

  it('reads TOML front matter and keeps its offset', () => {
    const { data, body } = splitFrontMatter('+++\ntitle = "x"\ndate = 2023-02-10T08:00:00-05:00\n+++\nBody\n', 'a.md');
    expect(data.date).toBe('2023-02-10T08:00:00-05:00');
    expect(body.trim()).toBe('Body');
  });

  it('does not share state between parses of the same text', () => {
    const text = '---\ntitle: x\ntags: [a]\n---\nBody\n';
    const first = splitFrontMatter(text, 'a.md');
    (first.data.tags as string[]).push('changed');
    expect(splitFrontMatter(text, 'a.md').data.tags).toEqual(['a']);
  });

  it('names the file and line of a YAML error', () => {
    expect(() => splitFrontMatter('---\ntitle: x\n  bad: indent\n---\nBody', 'broken.md')).toThrowError(/^broken\.md:3: front matter is not valid YAML/);
  });

  it('names the file and line of a TOML error', () => {
    expect(() => splitFrontMatter('+++\ntitle = "x"\ndate = \n+++\nBody', 'broken.md')).toThrowError(/^broken\.md:3: front matter is not valid TOML/);
  });
});

describe('collect', () => {
  it('finds bundles and plain files, reads both front matter styles, leaves drafts out', () => {
    const { chapters, language } = collectBook(loadConfig({ bookDir: fixture('minimal') }));
    const articles = chapters.flatMap((c) => c.articles);
    expect(articles.map((a) => a.meta.title)).toEqual(['第一篇', '第二篇']);
    const [first, second] = articles;
    expect(first!.meta.originalTitle).toBe('The First Piece');
    expect(first!.meta.author).toBeUndefined();
    expect(first!.meta.source).toBe('https://example.com/first');
    expect(first!.meta.date).toBe('2023-01-05T10:00:00+08:00');
    expect(first!.bodyLine).toBe(9);
    expect(second!.meta.author).toBe('A. Writer');
    expect(second!.meta.tags).toEqual(['notes']);
    expect(second!.meta.date).toBe('2023-02-10T08:00:00-05:00');
    expect(language).toBe('zh');
  });

  it('groups by folder with titles from _index.md', () => {
    const { chapters } = collectBook(loadConfig({ bookDir: fixture('folders') }));
    expect(chapters.map((c) => c.title)).toEqual(['第一部分', 'Part two']);
  });

  it('warns about an article with no body and leaves it out', () => {
    const { chapters, diagnostics } = collectBook(loadConfig({ bookDir: fixture('no-body') }));
    expect(chapters.flatMap((c) => c.articles)).toHaveLength(1);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/no body/) })]);
    expect(diagnostics[0]!.file).toMatch(/empty\.md$/);
  });

  it('fails clearly on a missing or empty content folder', () => {
    expect(() => collectBook(loadConfig({ bookDir: fixture('missing-content') }))).toThrowError(AnthologyError);
    expect(() => collectBook(loadConfig({ bookDir: fixture('missing-content') }))).toThrowError(/content folder not found/);
    expect(() => collectBook(loadConfig({ bookDir: fixture('empty-content') }))).toThrowError(/no articles found/);
  });

  it('takes chapters listed in book.toml, in order, with globs', () => {
    const config = loadConfig({ bookDir: fixture('minimal') });
    config.chapters = [
      { title: 'Notes', articles: ['notes/*.md'] },
      { title: 'Dated', articles: ['2023/**'] },
    ];
    const { chapters, diagnostics } = collectBook(config);
    expect(chapters.map((c) => [c.title, c.articles.map((a) => a.meta.title)])).toEqual([
      ['Notes', ['第二篇']],
      ['Dated', ['第一篇']],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it.skipIf(!HAVE_CORPUS)('gives the corpus layout a sensible book without book.toml: chapters by month, articles by date', () => {
    const config = loadConfig({ bookDir: fixture('minimal'), content: CORPUS });
    config.book.language = undefined;
    const { chapters, language } = collectBook(config);
    expect(language).toBe('zh');
    expect(chapters.flatMap((c) => c.articles)).toHaveLength(40);
    expect(chapters[0]!.title).toBe('2022年11月');
    for (const chapter of chapters) {
      const dates = chapter.articles.map((a) => Date.parse(a.meta.date!));
      expect(dates).toEqual([...dates].sort((a, b) => a - b));
    }
    const ids = chapters.flatMap((c) => c.articles.map((a) => a.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^a-[a-z0-9-]{1,50}$/);
  });
});
