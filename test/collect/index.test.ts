import { describe, expect, it } from 'vitest';
import { collectBook, splitFrontMatter } from '../../src/collect/index.js';
import { loadConfig } from '../../src/config/index.js';
import { AnthologyError } from '../../src/errors.js';
import { BookTest } from '../book-test.js';
import { CORPUS, fixture, HAVE_CORPUS } from '../helpers.js';

describe('front matter', () => {
  it('keeps the UTC offset of YAML dates', () => {
    const { data, bodyLine } = splitFrontMatter(
      '---\ntitle: x\ndate: 2022-12-01T22:59:21+08:00\n---\n\nBody\n',
      'a.md',
    );
    expect(data.date).toBe('2022-12-01T22:59:21+08:00');
    expect(bodyLine).toBe(5);
  });

  it('reads TOML front matter and keeps its offset', () => {
    const { data, body } = splitFrontMatter(
      '+++\ntitle = "x"\ndate = 2023-02-10T08:00:00-05:00\n+++\nBody\n',
      'a.md',
    );
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
    expect(() => splitFrontMatter('---\ntitle: x\n  bad: indent\n---\nBody', 'broken.md')).toThrowError(
      /^broken\.md:3: front matter is not valid YAML/,
    );
  });

  it('names the file and line of a TOML error', () => {
    expect(() => splitFrontMatter('+++\ntitle = "x"\ndate = \n+++\nBody', 'broken.md')).toThrowError(
      /^broken\.md:3: front matter is not valid TOML/,
    );
  });

  // What gray-matter 4 did, which split the front matter before our own splitter (front-matter.ts)
  it('splits the delimiters as gray-matter did', () => {
    const split = (text: string) => {
      const { data, body, bodyLine } = splitFrontMatter(text, 'a.md');
      return { data, body, bodyLine };
    };
    expect(split('\uFEFF---\r\ntitle: x\r\n---\r\nBody\r\n')).toEqual({
      data: { title: 'x' },
      body: 'Body\r\n',
      bodyLine: 4,
    });
    expect(split('---\n---\nBody')).toEqual({ data: {}, body: 'Body', bodyLine: 3 });
    expect(split('---\n# only a comment\n---\nBody')).toEqual({ data: {}, body: 'Body', bodyLine: 4 });
    // no closing line: all of it is front matter
    expect(split('---\ntitle: x\n')).toEqual({ data: { title: 'x' }, body: '', bodyLine: 3 });
    // the closing line is the first that starts with the delimiter; the rest of it starts the body
    expect(split('---\ntitle: x\n---more\nBody')).toEqual({
      data: { title: 'x' },
      body: 'more\nBody',
      bodyLine: 3,
    });
    // `----` opens nothing; nor does a delimiter after the first line
    expect(split('----\ntitle: x\n---\nBody')).toEqual({
      data: {},
      body: '----\ntitle: x\n---\nBody',
      bodyLine: 1,
    });
    expect(split('\n---\ntitle: x\n---\n')).toEqual({
      data: {},
      body: '\n---\ntitle: x\n---\n',
      bodyLine: 1,
    });
    // text after the opening delimiter names the language
    expect(split('---toml\ntitle = "x"\n---\nBody')).toEqual({
      data: { title: 'x' },
      body: 'Body',
      bodyLine: 4,
    });
    expect(split('+++ json\n{"title": "x"}\n+++\nBody')).toEqual({
      data: { title: 'x' },
      body: 'Body',
      bodyLine: 4,
    });
    expect(() => split('--- title: x\nb: y\n---\nBody')).toThrowError(
      /^a\.md:1: front matter could not be read: "title: x" after the opening delimiter is not a front matter language/,
    );
    // gray-matter ran `---js` front matter with eval
    expect(() => split('---js\n{ title: process.exit(3) }\n---\nBody')).toThrowError(
      /"js" after the opening delimiter is not a front matter language/,
    );
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
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/no body/) }),
    ]);
    expect(diagnostics[0]!.file).toMatch(/empty\.md$/);
  });

  it('fails clearly on a missing or empty content folder', () => {
    expect(() => collectBook(loadConfig({ bookDir: fixture('missing-content') }))).toThrowError(
      AnthologyError,
    );
    expect(() => collectBook(loadConfig({ bookDir: fixture('missing-content') }))).toThrowError(
      /content folder not found/,
    );
    expect(() => collectBook(loadConfig({ bookDir: fixture('empty-content') }))).toThrowError(
      /no articles found/,
    );
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

  it.skipIf(!HAVE_CORPUS)(
    'gives the corpus layout a sensible book without book.toml: chapters by month, articles by date',
    () => {
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
    },
  );
});

describe('hostile and careless input (issue 12)', () => {
  const codes = (d: { code: string; file: string; line?: number }[]) =>
    d.map((x) => `${x.file}${x.line ? `:${x.line}` : ''} ${x.code}`);

  it('a YAML alias bomb in front matter is refused at once, naming the key and its line', () => {
    const lines = ['---', 'title: Bomb', 'a0: &a0 [x,x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(',')}]`,
      );
    lines.push('layout: *a9', '---', 'Body');
    const started = Date.now();
    expect(() => splitFrontMatter(lines.join('\n'), 'bomb.md')).toThrowError(
      /^bomb\.md:7: front matter "a4" expands to more than 100,000 values \(YAML aliases\?\); refused$/,
    );
    expect(Date.now() - started).toBeLessThan(5000); // was 49 s and 2.9 GB
  });

  it('an unclosed quote is reported where it opens, not where the front matter ends', () => {
    const text = '---\ntitle: ok\nauthor: "x"\nsummary: "Hello\nauthor: x\ndate: 2022-01-01\n---\nBody\n';
    expect(() => splitFrontMatter(text, 'a.md')).toThrowError(
      /^a\.md:4: front matter is not valid YAML: this double-quoted string is never closed$/,
    );
    expect(() =>
      splitFrontMatter("---\ntitle: 'it''s' # a 'comment\ntags: [\"a\", 'b]\n---\n", 'a.md'),
    ).toThrowError(/^a\.md:3: .*single-quoted string is never closed$/);
    // closed by a later quote (`["`), the rest no longer parses: still where it opened
    expect(() =>
      splitFrontMatter('---\ntitle: "Slow\nauthor: A\nextra:\n  k: v\ntags: ["a"]\n---\nBody\n', 'a.md'),
    ).toThrowError(
      /^a\.md:2: front matter is not valid YAML: this double-quoted string is not closed on its line \(line 3, "author: A", is read as part of it\)$/,
    );
  });

  it('a front matter without its opening line is read as one, with a warning; a bad layout names its line', () => {
    const book = BookTest.create()
      .file(
        'content/a.md',
        'title: "Slow"\ndate: 2023-01-01\nextra:\n  source: https://example.com/a\n---\n\nHello.\n\n你好。\n',
      )
      .file('content/b.toml.md', 'title = "Toml"\n+++\nHello.\n\n你好。\n')
      .file(
        'content/c.md',
        '---\ntitle: C\ndate: 2023-01-02\nextra:\n  layout: sideways\n---\n\nHello.\n\n你好。\n',
      )
      // a paragraph then a rule, or a setext heading, is no front matter
      .file('content/d.md', 'Title: A heading\n---\n\nHello.\n\n你好。\n');
    const { chapters, diagnostics } = collectBook(loadConfig({ bookDir: book.dir }));
    const articles = chapters.flatMap((c) => c.articles);
    expect(articles.map((a) => [a.meta.title, a.body.trim().split('\n')[0], a.bodyLine])).toEqual([
      ['Slow', 'Hello.', 6],
      ['C', 'Hello.', 7],
      ['Toml', 'Hello.', 3],
      ['d', 'Title: A heading', 1],
    ]);
    expect(codes(diagnostics).sort()).toEqual([
      'content/a.md:1 front-matter/no-opening',
      'content/b.toml.md:1 front-matter/no-opening',
      'content/c.md:5 front-matter/layout',
    ]);
    book.remove();
  });

  it('binary files, bad dates, control characters: warned, left out or cleaned, and the book is made', () => {
    const book = BookTest.create()
      .article('a.md', 'Hello.\n\n你好。\n', { date: '99999-01-01' })
      .article('b.md', 'Hello.\n\n你好。\n', { date: '2022-13-45', title: 'B\u001b]0;owned\u0007' })
      .article('c.md', 'Hello.\n\n你好。\n', { date: 'not-a-date' })
      .article('d.md', 'Hello.\n\n你好。\n', { date: '2022-12-01T22:59:21+08:00' })
      .file('content/e.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const { chapters, diagnostics } = collectBook(loadConfig({ bookDir: book.dir }));
    const articles = chapters.flatMap((c) => c.articles);
    expect(articles.map((a) => [a.meta.title, a.meta.date])).toEqual([
      ['d', '2022-12-01T22:59:21+08:00'],
      ['a', undefined],
      ['B]0;owned', undefined],
      ['c', undefined],
    ]);
    expect(codes(diagnostics).sort()).toEqual([
      'content/a.md:3 front-matter/date',
      'content/b.md:2 text/control-chars',
      'content/b.md:3 front-matter/date',
      'content/c.md:3 front-matter/date',
      'content/e.md:3 article/not-text', // the PNG signature holds two line feeds
    ]);
  });

  it('a book whose only article is empty names it', () => {
    const book = BookTest.create().article('only.md', '');
    expect(() => collectBook(loadConfig({ bookDir: book.dir }))).toThrowError(
      /only\.md: no article to build; this file was left out: it has no body$/,
    );
  });

  it('a book whose only article is a draft says so, and how to build drafts, in no one syntax', () => {
    const book = BookTest.create().article('draft.md', 'Hello.\n\n你好。\n', { draft: true });
    expect(() => collectBook(loadConfig({ bookDir: book.dir }))).toThrowError(
      /draft\.md: no article to build; this file was left out: it is a draft \(its front matter sets draft to true; drafts = true under \[content\] in book\.toml builds drafts\)$/,
    );
  });

  it('chapters listed that match nothing: made automatically, and no article is said to be left out', () => {
    const book = BookTest.create()
      .toml('[[chapters]]\ntitle = "One"\narticles = ["2019/*"]\n')
      .article('a.md', 'Hello.\n\n你好。\n');
    const { chapters, diagnostics } = collectBook(loadConfig({ bookDir: book.dir }));
    expect(chapters.flatMap((c) => c.articles).map((a) => a.meta.title)).toEqual(['a']);
    expect(codes(diagnostics)).toEqual(['book.toml chapter/auto']);
  });

  it('control characters in book.toml values are removed with a warning naming the key', () => {
    const book = BookTest.create()
      .toml('[book]\ntitle = "My\\u001b[2J book"\neditors = ["A\\u0007"]\n')
      .article('a.md', 'Hello.\n\n你好。\n');
    const config = loadConfig({ bookDir: book.dir });
    expect(config.book.title).toBe('My[2J book');
    expect(config.book.editors).toEqual(['A']);
    expect(collectBook(config).diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([
      'book.toml:2 text/control-chars 1 control character removed from "book.title"',
      'book.toml:3 text/control-chars 1 control character removed from "book.editors[0]"',
    ]);
  });
});
