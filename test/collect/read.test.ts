import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMarkdownFiles } from '../../src/collect/index.js';
import { MAX_ARTICLE_BYTES, NotAnArticle, readArticleText } from '../../src/collect/read.js';

const dir = () => mkdtempSync(join(tmpdir(), 'anthology-read-'));
function refusal(file: string): NotAnArticle {
  try {
    readArticleText(file);
  } catch (error) {
    if (error instanceof NotAnArticle) return error;
    throw error;
  }
  throw new Error(`${file} was read`);
}

describe('readArticleText: what is not an article is refused, at once', () => {
  it.skipIf(process.platform === 'win32')(
    'a FIFO (no writer: reading it would wait forever) and /dev/zero (endless)',
    () => {
      const fifo = join(dir(), 'pipe.md');
      execFileSync('mkfifo', [fifo]);
      expect(refusal(fifo)).toMatchObject({
        code: 'article/unreadable',
        detail: 'is not a regular file (a device, pipe or socket)',
      });
      if (existsSync('/dev/zero')) expect(refusal('/dev/zero').code).toBe('article/unreadable');
    },
  );

  it('a link, even to an article inside the book: found by the walk, and refused with a diagnostic', () => {
    const d = dir();
    writeFileSync(join(d, 'real.md'), 'An article.');
    symlinkSync(join(d, 'real.md'), join(d, 'link.md'));
    symlinkSync('/etc/hostname', join(d, 'outside.md'));
    symlinkSync(join(d, 'gone.md'), join(d, 'broken.md'));
    expect(findMarkdownFiles(d).map((f) => f.slice(d.length + 1))).toEqual([
      'broken.md',
      'link.md',
      'outside.md',
      'real.md',
    ]);
    for (const name of ['link.md', 'outside.md', 'broken.md']) {
      expect(refusal(join(d, name)), name).toMatchObject({
        code: 'article/unreadable',
        detail: 'is a link; an article must be a file of the book itself',
      });
    }
  });

  it('a folder, a missing file', () => {
    const d = dir();
    expect(refusal(d)).toMatchObject({
      code: 'article/unreadable',
      detail: 'is a folder, not a Markdown file',
      file: d,
    });
    expect(refusal(join(d, 'nope.md')).detail).toBe('file not found');
  });

  it.skipIf(process.getuid?.() === 0)('a file that cannot be read', () => {
    const file = join(dir(), 'secret.md');
    writeFileSync(file, 'text', { mode: 0o000 });
    expect(refusal(file).detail).toBe('cannot be read (permission denied)');
  });

  it('a file over the size limit, without reading it', () => {
    const file = join(dir(), 'huge.md');
    writeFileSync(file, '');
    truncateSync(file, 1024 * 1024 * 1024); // sparse: a gigabyte that takes no room
    expect(refusal(file)).toMatchObject({
      code: 'article/too-large',
      detail: `is 1024.0 MB, over the ${MAX_ARTICLE_BYTES / 1024 / 1024} MB an article may have`,
    });
  });

  it('a binary file: the line of its first NUL byte', () => {
    const file = join(dir(), 'image.md');
    writeFileSync(file, Buffer.from('---\ntitle: x\x00\n---\n'));
    expect(refusal(file)).toMatchObject({ code: 'article/not-text', line: 2 });
  });
});

describe('readArticleText: what can be repaired is, with a warning', () => {
  it('invalid UTF-8: the line of the first bad byte', () => {
    const file = join(dir(), 'latin1.md');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('---\ntitle: x\n---\n\nCaf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    const { text, problems } = readArticleText(file);
    expect(text).toContain('Caf\uFFFD');
    expect(problems).toEqual([
      { code: 'text/invalid-utf8', line: 5, message: expect.stringMatching(/not valid UTF-8/) },
    ]);
  });

  it('control characters removed (terminal escapes, form feeds, C1), tabs and line ends kept', () => {
    const file = join(dir(), 'escapes.md');
    writeFileSync(file, '---\ntitle: "A\x1b]0;owned\x07 title"\n---\n\ta\x0cb\r\n\x85c\x7f\n');
    const { text, problems } = readArticleText(file);
    expect(text).toBe('---\ntitle: "A]0;owned title"\n---\n\tab\r\nc\n');
    expect(problems).toEqual([
      { code: 'text/control-chars', line: 2, message: '5 control characters removed' },
    ]);
  });
});
