/**
 * `anthology new`: a book that builds at once, and a command that never overwrites anything.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../src/browser/index.js';
import { readArticleSource } from '../../src/collect/index.js';
import { loadConfig } from '../../src/config/index.js';
import { describeArticle } from '../../src/pairs/index.js';
import { createBook } from '../../src/scaffold/index.js';
import { HAVE_EPUBCHECK, HAVE_POPPLER, runCli, tempDir } from '../helpers.js';
import { epubcheck, pdfInfo, pdfText } from '../inspect.js';

describe('anthology new', () => {
  it('writes a commented book.toml, a .gitignore and one sample article that pairs completely', async () => {
    const dir = join(tempDir(), 'my-book');
    const { files } = await createBook(dir, { now: new Date('2026-03-04T05:06:07Z') });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'book.toml',
      '.gitignore',
      'content/2026/03/04/on-reading-slowly/index.md',
    ]);
    const toml = readFileSync(join(dir, 'book.toml'), 'utf8');
    expect(toml).toMatch(/^# /m);
    const config = loadConfig({ bookDir: dir });
    expect(config.book.title).toBe('my-book');
    expect(config.layout.name ?? 'interleaved').toBe('interleaved');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['dist/', '.anthology-cache/']),
    );
    const report = describeArticle(readArticleSource(files[2]!, join(dir, 'content')));
    expect(report.originalLang).toBe('en');
    expect(report.translationLang).toBe('zh');
    expect(report.diagnostics).toEqual([]);
    expect(report.blocks.every((b) => b.kind === 'pair')).toBe(true);
    expect(report.blocks.length).toBeGreaterThanOrEqual(5);
  });

  it('escapes a title given for book.toml', async () => {
    const dir = join(tempDir(), 'b');
    await createBook(dir, { title: 'Say "hi" \\ \n[book]' });
    expect(loadConfig({ bookDir: dir }).book.title).toBe('Say "hi" \\ \n[book]');
  });

  it('refuses a folder that is not empty, and a file, and changes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'book.toml'), 'mine');
    await expect(createBook(dir)).rejects.toThrow(/not empty/);
    expect(readFileSync(join(dir, 'book.toml'), 'utf8')).toBe('mine');
    await expect(createBook(join(dir, 'book.toml'))).rejects.toThrow(/not a folder/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await createBook(empty);
    expect(existsSync(join(empty, 'book.toml'))).toBe(true);
  });

  it('on the command line: the current folder without DIR (also as init), an error for a used folder', async () => {
    const here = tempDir();
    const made = await runCli(['init'], { cwd: here });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^created book\.toml$/m);
    expect(made.stdout).toMatch(/Next: anthology preview \. {3}\(or: anthology build \.\)/);
    expect(readFileSync(join(here, 'book.toml'), 'utf8')).toMatch(`title = "${basename(here)}"`);
    expect((await runCli(['new', 'a', 'b'])).code).toBe(2);
    const dir = tempDir();
    writeFileSync(join(dir, 'x'), '');
    const used = await runCli(['new', dir]);
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(/not empty/);
    // a place no folder can be made: one line, exit 1, no stack
    const impossible = await runCli(['new', join(dir, 'x', 'book')]);
    expect(impossible.code).toBe(1);
    expect(impossible.stderr.trim()).toMatch(
      /^anthology: error: cannot make the book folder .*: a part of the path is a file, not a folder$/,
    );
  });

  it.skipIf(!chromiumAvailable())(
    '`anthology new x && anthology build x`: a valid EPUB and a PDF',
    async () => {
      const dir = join(tempDir(), 'x');
      const made = await runCli(['new', dir]);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/created .*book\.toml/);
      const built = await runCli(['build', dir]);
      expect(built.code, built.stderr).toBe(0);
      expect(built.stderr).not.toMatch(/warning/);
      const epub = join(dir, 'dist', 'x.epub');
      const pdf = join(dir, 'dist', 'x.pdf');
      if (HAVE_EPUBCHECK) {
        const check = epubcheck(epub);
        expect(check.messages).toEqual([]);
      } else expect(existsSync(epub)).toBe(true);
      if (HAVE_POPPLER) {
        expect(Number(pdfInfo(pdf).Pages)).toBeGreaterThan(1);
        const text = pdfText(pdf).replace(/\s+/g, '');
        expect(text).toContain('慢读的人会注意到');
        expect(text).toContain('Aslowreadernotices');
      } else expect(existsSync(pdf)).toBe(true);
    },
    180_000,
  );
});
