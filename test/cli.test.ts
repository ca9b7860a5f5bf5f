import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main, terminalSafe } from '../src/cli.js';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../src/model.js';
import { BookTest } from './book-test.js';
import { fixture, HAVE_EPUBCHECK, ROOT, runCli, tempDir } from './helpers.js';
import { epubcheck } from './inspect.js';

// In-process calls of main() meet a bug in build(); the other tests run the CLI in its own process.
vi.mock('../src/build.js', () => ({
  build: vi.fn(async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  }),
}));

/** A user error: one clear message, no stack trace, exit code 1, nothing written. */
async function expectUserError(args: string[], message: RegExp) {
  const out = tempDir();
  const result = await runCli([...args, '--out', out]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(readdirSync(out)).toEqual([]);
}

describe('anthology CLI', () => {
  it('prints help and version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/anthology build \[BOOK_DIR\]/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects unknown options and values with a usage error', async () => {
    const format = await runCli(['build', '--format', 'docx']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/unknown format "docx"/);
    const layout = await runCli(['build', '--layout', 'columns']);
    expect(layout.code).toBe(2);
    expect(layout.stderr).toMatch(/unknown layout "columns"/);
  });

  it('a missing content folder', async () => {
    await expectUserError(
      ['build', fixture('missing-content')],
      /^anthology: error: .*missing-content\/content: content folder not found/,
    );
  });

  it('an empty content folder', async () => {
    await expectUserError(
      ['build', fixture('empty-content')],
      /^anthology: error: .*empty-content\/content: no articles found/,
    );
  });

  it('front matter that does not parse: file and line', async () => {
    await expectUserError(
      ['build', fixture('bad-front-matter')],
      /^anthology: error: .*bad-front-matter\/content\/broken\.md:4: front matter is not valid YAML: bad indentation/,
    );
  });

  it('a bad book.toml: key, file and line', async () => {
    await expectUserError(
      ['build', fixture('bad-toml')],
      /^anthology: error: .*bad-toml\/book\.toml:3: unknown key "book\.langauge"/,
    );
  });

  it('a failed build leaves the previous good output in place', async () => {
    const out = tempDir();
    const previous = join(out, 'bad-front-matter.epub');
    writeFileSync(previous, 'the previous good book');
    const result = await runCli(['build', fixture('bad-front-matter'), '--out', out]);
    expect(result.code).toBe(1);
    expect(readFileSync(previous, 'utf8')).toBe('the previous good book');
    expect(readdirSync(out)).toEqual(['bad-front-matter.epub']);
  });

  it('an article with no body is a warning, and the book is made', async () => {
    const out = tempDir();
    const result = await runCli(['build', fixture('no-body'), '--out', out, '--format', 'epub']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /no-body\/content\/empty\.md: warning\[article\/empty\]: article has no body; left out/,
    );
    expect(result.stderr).toMatch(/1 warning in 1 file/);
    expect(result.stdout).toMatch(/^wrote .*no-body\.epub/m);
    expect(existsSync(join(out, 'no-body.epub'))).toBe(true);
    expect(readdirSync(out)).toEqual(['no-body.epub']);
  });

  it('writes every diagnostic with its code to --report, files relative to the book folder', async () => {
    const out = tempDir();
    const report = join(out, 'report.json');
    const result = await runCli([
      'build',
      fixture('no-body'),
      '--out',
      out,
      '--format',
      'epub',
      '--report',
      report,
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      version: number;
      bookDir: string;
      diagnostics: Diagnostic[];
    };
    expect(json.version).toBe(1);
    expect(json.bookDir).toBe(fixture('no-body'));
    expect(json.diagnostics).toEqual([
      {
        code: 'article/empty',
        severity: 'warning',
        file: 'content/empty.md',
        message: 'article has no body; left out',
      },
    ]);
    // a folder where the report should go: one line, exit 1
    const intoFolder = await runCli([
      'build',
      fixture('no-body'),
      '--out',
      out,
      '--format',
      'epub',
      '--report',
      out,
      '--quiet',
    ]);
    expect(intoFolder.code).toBe(1);
    expect(intoFolder.stderr.trim()).toBe(
      `anthology: error: cannot write the report ${out}: that is a folder, not a file`,
    );
  });

  it('documents every diagnostic code in the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    // a row of the table, its first cell padded to the column's width
    const rows = new Set([...readme.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]));
    expect(rows.size).toBeGreaterThan(0);
    expect(DIAGNOSTIC_CODES.filter((code) => !rows.has(code))).toEqual([]);
  });

  it('pairs: names an article with nothing to pair, and --report does', async () => {
    const dir = tempDir();
    const file = join(dir, 'chinese.md');
    writeFileSync(file, '只有中文的一段。\n\n又是中文的一段。\n');
    const result = await runCli(['pairs', file]);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toMatch(
      /chinese\.md:1: warning: nothing to pair: the article is all in Chinese/,
    );
    expect(result.stdout).toMatch(/^0 pairs, 2 singles, 1 warning$/m);
    mkdirSync(join(dir, 'content'));
    renameSync(file, join(dir, 'content', 'chinese.md'));
    const report = join(dir, 'report.json');
    expect((await runCli(['build', dir, '--format', 'html', '--report', report, '--quiet'])).code).toBe(0);
    const { diagnostics } = JSON.parse(readFileSync(report, 'utf8')) as { diagnostics: Diagnostic[] };
    expect(diagnostics.filter((d) => d.code === 'pair/none').map((d) => d.file)).toEqual([
      'content/chinese.md',
    ]);
  }, 60_000);

  it('pairs: a file that does not exist', async () => {
    const result = await runCli(['pairs', 'no/such/file.md']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^anthology: error: no\/such\/file\.md: file not found$/m);
  });
});

describe('anthology CLI: hostile and careless input (issue 12)', () => {
  /** One line naming the file (and line), no stack trace, the exit code given. */
  function expectOneLine(result: { code: number; stderr: string }, message: RegExp, code = 1) {
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }

  it('pairs: a folder, a device, a pipe, a binary file: one line each, at once', async () => {
    const dir = tempDir();
    expectOneLine(await runCli(['pairs', dir]), /^anthology: error: .*: is a folder, not a Markdown file$/);
    if (existsSync('/dev/zero'))
      expectOneLine(
        await runCli(['pairs', '/dev/zero']),
        /^anthology: error: \/dev\/zero: is not a regular file \(a device, pipe or socket\)$/,
      );
    writeFileSync(join(dir, 'binary.md'), Buffer.from('# Title\n\nHello\u0000'));
    expectOneLine(
      await runCli(['pairs', join(dir, 'binary.md')]),
      /binary\.md:3: not a text file \(it holds a NUL byte\)$/,
    );
  });

  it('pairs: an article cannot send escape sequences to the terminal', async () => {
    const file = join(tempDir(), 'escapes.md');
    writeFileSync(file, 'Hello \u001b]0;owned\u0007world \u001b[2J here.\n\n你好\u001b[31m世界。\n');
    const result = await runCli(['pairs', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Hello \]0;ownedworld \[2J here\./);
    expect(result.stdout + result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const json = JSON.parse((await runCli(['pairs', file, '--json'])).stdout) as {
      diagnostics: Diagnostic[];
    };
    expect(json.diagnostics[0]).toMatchObject({
      code: 'text/control-chars',
      line: 1,
      message: '4 control characters removed',
    });
  });

  it('terminalSafe shows control characters instead of sending them', () => {
    expect(terminalSafe('a\u001b]0;x\u0007b\tc\nd\u009b')).toBe('a\\x1b]0;x\\x07b\tc\nd\\x9b');
  });

  it('an unclosed quote in front matter: the line where it opens', async () => {
    const file = join(tempDir(), 'quote.md');
    writeFileSync(
      file,
      '---\ntitle: ok\nauthor: "x"\nsummary: "Hello\nauthor: x\ndate: 2022-01-01\n---\nBody\n',
    );
    expectOneLine(
      await runCli(['pairs', file]),
      /quote\.md:4: front matter is not valid YAML: this double-quoted string is never closed$/,
    );
  });

  it('[book] date = "yesterday", SOURCE_DATE_EPOCH out of range: one line, exit 1', async () => {
    const bad = BookTest.create().toml('[book]\ndate = "yesterday"\n').article('a.md', 'Hello.\n\n你好。\n');
    expectOneLine(
      await runCli(['build', bad.dir, '--format', 'epub', '--out', tempDir()]),
      /book\.toml:2: "book\.date" must be a date/,
    );
    const book = BookTest.create().article('a.md', 'Hello.\n\n你好。\n');
    const result = await runCli(['build', book.dir, '--format', 'epub', '--out', tempDir()], {
      env: { SOURCE_DATE_EPOCH: '99999999999999' },
    });
    expectOneLine(
      result,
      /^anthology: error: SOURCE_DATE_EPOCH=99999999999999 is not a date before the year 10000/,
    );
  });

  it.each([
    [
      'a syntax error in a partial',
      '<p>\n{{#if title}}\n',
      /partials\/article-opener\.hbs:3: template error: Parse error on line 3: unexpected end of file/,
    ],
    [
      'an unknown helper',
      '<p>\n{{shout title}}</p>\n',
      /partials\/article-opener\.hbs:2: template error: Missing helper: "shout"$/,
    ],
    [
      'an unknown partial',
      '<p>{{> footer}}</p>\n',
      /partials\/article-opener\.hbs:1: template error: The partial footer could not be found$/,
    ],
  ])('%s: one line naming the template file', async (_, template, message) => {
    const book = BookTest.create()
      .toml('[layout]\ntemplates = "templates"\n')
      .article('a.md', 'Hello.\n\n你好。\n')
      .file('templates/partials/article-opener.hbs', template);
    expectOneLine(await runCli(['build', book.dir, '--format', 'html', '--out', tempDir()]), message);
  });

  it.skipIf(!HAVE_EPUBCHECK)(
    'control characters in a title, a file name and book.toml: removed with warnings, and epubcheck accepts the EPUB',
    async () => {
      const book = BookTest.create()
        .toml('[book]\ntitle = "Bell\\u0007 book"\n')
        .file(
          'content/esc\u001b[1mape.md',
          '---\ntitle: "Tab\\u0001le"\ndate: 2022-13-45\n---\nHello \u0002world.\n\n你好\u0003世界。\n',
        );
      const out = tempDir();
      const result = await runCli([
        'build',
        book.dir,
        '--format',
        'epub',
        '--out',
        out,
        '--report',
        join(out, 'report.json'),
      ]);
      expect(result.code, result.stderr).toBe(0);
      const codes = (
        JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { diagnostics: Diagnostic[] }
      ).diagnostics.map((d) => d.code);
      expect(codes.sort()).toEqual([
        'front-matter/date',
        'text/control-chars',
        'text/control-chars',
        'text/control-chars',
        'text/control-chars',
      ]);
      expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
      const epub = readdirSync(out).find((f) => f.endsWith('.epub'))!;
      expect(epubcheck(join(out, epub))).toMatchObject({ fatal: 0, errors: 0 });
    },
  );
});

describe('anthology CLI: an internal error', () => {
  async function stderrOf(args: string[]): Promise<{ code: number; stderr: string }> {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const code = await main(args);
      return { code, stderr: written.join('') };
    } finally {
      spy.mockRestore();
    }
  }

  it('one line asking for a report; the stack only with --verbose', async () => {
    const plain = await stderrOf(['build', tempDir(), '--quiet']);
    expect(plain.code).toBe(70);
    expect(plain.stderr).toBe(
      "anthology: internal error: TypeError: Cannot read properties of undefined (reading 'x') (please report it, with the output of the same command with --verbose)\n",
    );
    const verbose = await stderrOf(['build', tempDir(), '--verbose']);
    expect(verbose.code).toBe(70);
    expect(verbose.stderr.split('\n')[0]).toMatch(
      /internal error: TypeError: .*please report it, with what follows\)$/,
    );
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});

describe('anthology CLI: conventions users know', () => {
  /** One line on stderr, the exit code given, nothing on stdout. */
  function expectUsageLine(result: { code: number; stdout: string; stderr: string }, line: string, code = 2) {
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe('');
  }

  it('a mistyped option, command or book.toml key: one line with the one meant', async () => {
    expectUsageLine(
      await runCli(['build', '--formt', 'epub']),
      'anthology: error: unknown option --formt for build (did you mean --format?); see anthology build --help',
    );
    expectUsageLine(
      await runCli(['bild']),
      'anthology: error: unknown command "bild" (did you mean "build"?); see anthology --help',
    );
    const book = BookTest.create().toml('[book]\ntitel = "Mine"\n').article('a.md', 'Hello.\n\n你好。\n');
    const toml = await runCli(['check', book.dir], { cwd: book.dir });
    expectUsageLine(
      toml,
      'anthology: error: book.toml:2: unknown key "book.titel" (did you mean "title"?)',
      1,
    );
  });

  it('anthology alone: the help on stderr and exit 2; --help and -V on stdout and exit 0', async () => {
    const alone = await runCli([]);
    expect(alone.code).toBe(2);
    expect(alone.stdout).toBe('');
    expect(alone.stderr).toMatch(/^Usage:$/m);
    expect((await runCli(['-h'])).stdout).toBe(alone.stderr);
    expect((await runCli(['-V'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await runCli(['build', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: anthology build \[BOOK_DIR\]/m);
    expect(help.stdout).toMatch(/--strict/);
    expect((await runCli(['help', 'serve'])).stdout).toMatch(/^Usage: anthology preview/m);
  });

  it('--strict fails the build on a warning (exit 1, outputs written), not on a clean book', async () => {
    const out = tempDir();
    const warned = await runCli(['build', fixture('no-body'), '-o', out, '-f', 'epub', '--strict']);
    expect(warned.code).toBe(1);
    expect(warned.stderr).toMatch(/warning\[article\/empty\]/);
    expect(warned.stderr.trim().split('\n').at(-1)).toBe(
      'anthology: error: 1 warning, and --strict fails on any',
    );
    expect(readdirSync(out)).toEqual(['no-body.epub']);
    const clean = BookTest.create().toml('[book]\ntitle = "T"\n').article('a.md', 'Hello.\n\n你好。\n');
    const ok = await runCli(['build', clean.dir, '-o', tempDir(), '-f', 'epub', '--strict']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('');
  });

  it('check: the summary and the warnings, --report and --strict, and no output written', async () => {
    const book = BookTest.create()
      .toml('[book]\ntitle = "T"\n')
      .article(
        'a.md',
        'An untranslated reference paragraph, which nobody translated at all, sadly.\n\nHello.\n\n你好。\n',
      )
      .article('b.md', '- One.\n- 一。\n');
    const report = join(tempDir(), 'report.json');
    const result = await runCli(['check', book.dir, '--report', report]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('checked 2 articles in 1 chapter: 2 pairs, 1 warning\n');
    expect(result.stderr).toMatch(/a\.md:\d+: warning\[pair\/untranslated\]/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { diagnostics: Diagnostic[] };
    expect(json.diagnostics.map((d) => d.code)).toEqual(['pair/untranslated']);
    expect(existsSync(join(book.dir, 'dist'))).toBe(false);
    const strict = await runCli(['check', book.dir, '--strict', '--quiet']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toBe('anthology: error: 1 warning, and --strict fails on any\n');
  });

  it('says where settings come from: a book.toml of another folder, a title made up', async () => {
    const articles = BookTest.create('anthology-clips-').article('a.md', 'Hello.\n\n你好。\n');
    const here = BookTest.create().toml('[book]\ntitle = "The sample"\n');
    const borrowed = await runCli(['check', '--content', join(articles.dir, 'content')], { cwd: here.dir });
    expect(borrowed.code, borrowed.stderr).toBe(0);
    expect(borrowed.stderr).toBe(
      `anthology: the settings (title, editors, chapters...) are those of book.toml, for the articles of ${join(articles.dir, 'content')}\n`,
    );
    const nowhere = tempDir();
    const untitled = await runCli(['check', '--content', join(articles.dir, 'content')], { cwd: nowhere });
    expect(untitled.stderr).toBe(
      `anthology: no title in a book.toml: the book is called "${basename(articles.dir)}", after the folder ${articles.dir}\n`,
    );
  });

  it('pairs counts in the singular too', async () => {
    const file = join(tempDir(), 'one.md');
    writeFileSync(file, 'Hello.\n\n你好。\n\n```\ncode\n```\n');
    expect((await runCli(['pairs', file])).stdout).toMatch(/^1 pair, 1 single, 0 warnings$/m);
  });
});
