/**
 * Paths in book.toml are confined to the book folder, like article images: stylesheets, the
 * templates folder (and each template in it) and the cover. Every refusal names book.toml, the key
 * and its line; `/etc/passwd` as a stylesheet never reaches the EPUB.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { AnthologyError } from '../../src/errors.js';
import { BookTest } from '../book-test.js';
import { tempDir } from '../helpers.js';

/** A book folder beside a secret, with book.toml holding `toml`; the message loadConfig gives. */
function refusal(
  toml: string,
  setup: (dir: string) => void = () => {},
): { message: string; line?: number; file?: string } {
  const root = tempDir('anthology-confine-');
  const dir = join(root, 'book');
  mkdirSync(join(dir, 'content'), { recursive: true });
  writeFileSync(join(root, 'secret.css'), 'body { color: red } /* root:x:0 */');
  writeFileSync(join(dir, 'book.toml'), toml);
  setup(dir);
  try {
    loadConfig({ bookDir: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(AnthologyError);
    const e = error as AnthologyError;
    return { message: e.detail, line: e.line, file: e.file?.replace(dir, '<book>') };
  }
  throw new Error('expected a refusal');
}

describe('book.toml paths', () => {
  it('refuses absolute paths, .. and symlinks out of the book, naming the key and its line', () => {
    expect(refusal('[book]\ntitle = "T"\n\n[layout]\nstylesheets = ["/etc/passwd"]\n')).toEqual({
      file: '<book>/book.toml',
      line: 5,
      message:
        '"layout.stylesheets[0]" = "/etc/passwd": the path leads outside the book folder; book.toml may name only files inside it',
    });
    expect(
      refusal('[epub]\nstylesheets = ["ok.css", "../secret.css"]\n', (dir) =>
        writeFileSync(join(dir, 'ok.css'), ''),
      ),
    ).toMatchObject({
      line: 2,
      message: expect.stringMatching(/^"epub.stylesheets\[1\]" = "..\/secret.css": the path leads outside/),
    });
    expect(
      refusal('[pdf]\nstylesheets = "link.css"\n', (dir) =>
        symlinkSync(join(dir, '..', 'secret.css'), join(dir, 'link.css')),
      ),
    ).toMatchObject({ line: 2, message: expect.stringContaining('outside the book folder') });
    expect(refusal('[book]\ncover = "/etc/hostname"\n')).toMatchObject({
      line: 2,
      message: expect.stringMatching(/^"book.cover" = "\/etc\/hostname": the path leads outside/),
    });
    expect(refusal('[layout]\ntemplates = "/etc"\n')).toMatchObject({
      line: 2,
      message: expect.stringMatching(/^"layout.templates" = "\/etc": the path leads outside/),
    });
  });

  it('says which line names a stylesheet or templates folder that is not there, or not a file', () => {
    expect(
      refusal('[book]\ntitle = "T"\n[layout]\nname = "interleaved"\nstylesheets = ["gone.css"]\n'),
    ).toEqual({
      file: '<book>/book.toml',
      line: 5,
      message: '"layout.stylesheets[0]" = "gone.css": stylesheet not found: gone.css',
    });
    expect(refusal('[layout]\ntemplates = "nowhere"\n')).toMatchObject({
      line: 2,
      message: expect.stringContaining('templates folder not found: nowhere'),
    });
    expect(refusal('[book]\ncover = "content"\n')).toMatchObject({
      line: 2,
      message: expect.stringContaining('not a regular file'),
    });
    expect(
      refusal('[book]\ncover = "cover.png"\n', (dir) => execFileSync('mkfifo', [join(dir, 'cover.png')])),
    ).toMatchObject({ line: 2, message: expect.stringContaining('not a regular file') });
  });

  it('accepts paths inside the book, through symlinks that stay inside; a missing cover is left to the build', () => {
    const dir = join(tempDir('anthology-confine-'), 'book');
    mkdirSync(join(dir, 'style'), { recursive: true });
    writeFileSync(join(dir, 'style', 'a.css'), '');
    symlinkSync(join(dir, 'style', 'a.css'), join(dir, 'b.css'));
    writeFileSync(
      join(dir, 'book.toml'),
      '[book]\ncover = "missing.png"\n[layout]\nstylesheets = ["style/a.css", "b.css", "./style/../style/a.css"]\n',
    );
    const config = loadConfig({ bookDir: dir });
    expect(config.stylesheets.all).toEqual([
      join(dir, 'style/a.css'),
      join(dir, 'b.css'),
      join(dir, 'style/a.css'),
    ]);
    expect(config.book.cover).toBe(join(dir, 'missing.png'));
  });

  it('refuses a template that links out of the templates folder', async () => {
    const book = BookTest.create('anthology-confine-')
      .toml('[layout]\ntemplates = "templates"\n')
      .article('a.md', 'Text.\n\n文字。\n');
    mkdirSync(join(book.dir, 'templates'));
    symlinkSync('/etc/passwd', join(book.dir, 'templates', 'article.hbs'));
    try {
      await expect(book.write('epub', { cacheDir: false })).rejects.toThrow(
        /article\.hbs: the template is a link to a file outside the templates folder/,
      );
    } finally {
      book.remove();
    }
  });
});
