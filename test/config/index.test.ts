import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFor, loadConfig, readBookToml, slugify } from '../../src/config/index.js';
import { lineOfKey } from '../../src/config/locate.js';
import { AnthologyError } from '../../src/errors.js';
import { BookTest } from '../book-test.js';
import { fixture, tempDir } from '../helpers.js';

function tomlError(text: string): string {
  const dir = tempDir();
  const file = join(dir, 'book.toml');
  writeFileSync(file, text);
  try {
    readBookToml(file);
  } catch (error) {
    expect(error).toBeInstanceOf(AnthologyError);
    return (error as Error).message.replace(`${file}:`, 'book.toml:');
  }
  throw new Error('expected an error');
}

describe('book.toml', () => {
  it('fills every default when there is no book.toml', () => {
    const dir = tempDir();
    const config = loadConfig({ bookDir: dir });
    expect(config.contentDir).toBe(join(dir, 'content'));
    expect(config.outDir).toBe(join(dir, 'dist'));
    expect(config.formats).toEqual(['epub', 'pdf']);
    expect(config.layout.name).toBe('interleaved');
    expect(config.pdf.pageSize).toBe('A5');
    expect(config.book.title.length).toBeGreaterThan(0);
    expect(config.book.slug).toMatch(/^[a-z0-9-]+$/);
  });

  it('reads the keys of a book.toml', () => {
    const config = loadConfig({ bookDir: fixture('minimal') });
    expect(config.book.title).toBe('Minimal Book');
    expect(config.book.editors).toEqual(['Ed Itor']);
    expect(config.book.language).toBe('zh');
    expect(config.book.slug).toBe('minimal-book');
  });

  it('names an unknown key, the file and the line', () => {
    expect(tomlError('[book]\ntitle = "x"\nlangauge = "zh"\n')).toBe(
      'book.toml:3: unknown key "book.langauge" (did you mean "language"?)',
    );
    expect(tomlError('[book]\ntitel = "x"\n')).toBe(
      'book.toml:2: unknown key "book.titel" (did you mean "title"?)',
    );
    // a key the table has already is not suggested again
    expect(tomlError('[book]\ntitle = "x"\ntitel = "y"\n')).toBe('book.toml:3: unknown key "book.titel"');
    expect(tomlError('titel = "x"\n')).toBe('book.toml:1: unknown key "titel"');
    expect(tomlError('[book]\nfoo = 1\nbar = 2\n')).toBe('book.toml:2: unknown keys "book.foo", "book.bar"');
    expect(tomlError('[[chapters]]\ntitle = "a"\narticles = ["x"]\nextra = 1\n')).toBe(
      'book.toml:4: unknown key "chapters[0].extra"',
    );
  });

  it('names a wrong type or value with its line', () => {
    expect(tomlError('[book]\ntitle = 3\n')).toMatch(/^book\.toml:2: "book\.title" must be string/);
    expect(tomlError('[content]\n\ngroup-by = "week"\n')).toMatch(/^book\.toml:3: "content\.group-by"/);
    expect(
      tomlError('[[chapters]]\ntitle = "a"\narticles = ["x"]\n[[chapters]]\ntitle = ""\narticles = ["y"]\n'),
    ).toMatch(/^book\.toml:5: "chapters\[1\]\.title" must not be empty/);
    expect(tomlError('[pdf]\npage-size = "A9"\n')).toMatch(
      /^book\.toml:2: "pdf\.page-size" must be A4, A5, B5, Letter, 6x9in or "WIDTH HEIGHT"/,
    );
    expect(tomlError('[epub]\nimages = "big"\n')).toBe(
      'book.toml:2: "epub.images" must be one of "optimized", "original"',
    );
    expect(tomlError('[book]\neditors = ["a", 3]\n')).toBe(
      'book.toml:2: "book.editors" must be a string or a list of strings',
    );
    expect(tomlError('[[chapters]]\ntitle = "a"\n')).toBe('book.toml:1: "chapters[0].articles" is required');
    expect(tomlError('book = 3\n')).toBe('book.toml:1: "book" must be object, received number');
  });

  it('reports TOML syntax errors with their line', () => {
    expect(tomlError('[book]\ntitle = \n')).toMatch(/^book\.toml:2: invalid TOML/);
  });

  it('command-line flags win over front matter, which wins over book.toml', () => {
    const config = loadConfig({ bookDir: fixture('minimal') });
    expect(layoutFor(config, 'epub', {}).layout).toBe('interleaved');
    expect(layoutFor(config, 'epub', { layout: 'side-by-side' }).layout).toBe('side-by-side');
    const forced = loadConfig({ bookDir: fixture('minimal'), layout: 'original' });
    expect(layoutFor(forced, 'pdf', { layout: 'side-by-side' }).layout).toBe('original');
  });

  it('locates keys in tables, arrays of tables and dotted keys', () => {
    const text =
      '[book]\ntitle = "x"\n\n[[chapters]]\ntitle = "a"\n[[chapters]]\ntitle = "b"\n[pdf]\n"page-size" = "A5"\n';
    expect(lineOfKey(text, ['book', 'title'])).toBe(2);
    expect(lineOfKey(text, ['chapters', 1, 'title'])).toBe(7);
    expect(lineOfKey(text, ['pdf', 'page-size'])).toBe(9);
    expect(lineOfKey(text, ['book', 'missing'])).toBe(1);
  });

  it('makes ASCII slugs for file names', () => {
    expect(slugify('The Age of Social Media!')).toBe('the-age-of-social-media');
    expect(slugify('慢读')).toBe('book');
  });
});

describe('book.toml and options: careless values (issue 12)', () => {
  it('a [book] date that is not a date is an error naming the key and line', () => {
    const book = BookTest.create().toml('[book]\ntitle = "T"\ndate = "yesterday"\n');
    expect(() => loadConfig({ bookDir: book.dir })).toThrowError(
      /book\.toml:3: "book\.date" must be a date such as 2026-11-26/,
    );
  });

  it('a TOML date is kept as written', () => {
    const book = BookTest.create().toml('[book]\ndate = 2026-11-26\n');
    expect(loadConfig({ bookDir: book.dir }).book.date).toBe('2026-11-26');
  });

  it('all with another format keeps both; a format named twice is made once', () => {
    const bookDir = BookTest.create().dir;
    expect(loadConfig({ bookDir, formats: ['all', 'html'] }).formats).toEqual(['epub', 'pdf', 'html']);
    expect(loadConfig({ bookDir, formats: ['html', 'epub', 'html', 'all'] }).formats).toEqual([
      'html',
      'epub',
      'pdf',
    ]);
  });
});

describe('where settings come from', () => {
  it('without a title, the book is named after the folder of its articles (its parent when called content)', () => {
    const book = BookTest.create('anthology-my_book-');
    const plain = loadConfig({ bookDir: book.dir });
    expect(plain.book.title).toBe(basename(book.dir));
    expect(plain.settingsFrom).toEqual({ titleFromFolder: book.dir });
    const clips = join(tempDir(), 'clips');
    mkdirSync(join(clips, 'content'), { recursive: true });
    mkdirSync(join(clips, 'essays'));
    // the current folder (the book folder by default) names nothing
    expect(loadConfig({ bookDir: book.dir, content: join(clips, 'content') }).book.title).toBe('clips');
    expect(loadConfig({ bookDir: book.dir, content: join(clips, 'essays') }).book.title).toBe('essays');
  });

  it('notes a book.toml taken for articles outside its book folder', () => {
    const book = BookTest.create().toml('[book]\ntitle = "Sample"\n');
    const elsewhere = join(tempDir(), 'content');
    mkdirSync(elsewhere);
    expect(loadConfig({ bookDir: book.dir, content: elsewhere }).settingsFrom).toEqual({
      configForOtherContent: join(book.dir, 'book.toml'),
    });
    expect(loadConfig({ bookDir: book.dir }).settingsFrom).toEqual({});
    expect(loadConfig({ bookDir: book.dir, content: join(book.dir, 'content') }).settingsFrom).toEqual({});
  });
});
