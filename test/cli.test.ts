import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../src/model.js';
import { fixture, ROOT, runCli, tempDir } from './helpers.js';

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
    await expectUserError(['build', fixture('missing-content')], /^error: .*missing-content\/content: content folder not found/);
  });

  it('an empty content folder', async () => {
    await expectUserError(['build', fixture('empty-content')], /^error: .*empty-content\/content: no articles found/);
  });

  it('front matter that does not parse: file and line', async () => {
    await expectUserError(['build', fixture('bad-front-matter')], /^error: .*bad-front-matter\/content\/broken\.md:4: front matter is not valid YAML: bad indentation/);
  });

  it('a bad book.toml: key, file and line', async () => {
    await expectUserError(['build', fixture('bad-toml')], /^error: .*bad-toml\/book\.toml:3: unknown key "book\.langauge"/);
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
    expect(result.stderr).toMatch(/no-body\/content\/empty\.md: warning\[article\/empty\]: article has no body; left out/);
    expect(result.stderr).toMatch(/1 warning in 1 file/);
    expect(result.stdout).toMatch(/^wrote .*no-body\.epub/m);
    expect(existsSync(join(out, 'no-body.epub'))).toBe(true);
    expect(readdirSync(out)).toEqual(['no-body.epub']);
  });

  it('writes every diagnostic with its code to --report, files relative to the book folder', async () => {
    const out = tempDir();
    const report = join(out, 'report.json');
    const result = await runCli(['build', fixture('no-body'), '--out', out, '--format', 'epub', '--report', report, '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const json = JSON.parse(readFileSync(report, 'utf8')) as { version: number; bookDir: string; diagnostics: Diagnostic[] };
    expect(json.version).toBe(1);
    expect(json.bookDir).toBe(fixture('no-body'));
    expect(json.diagnostics).toEqual([{ code: 'article/empty', severity: 'warning', file: 'content/empty.md', message: 'article has no body; left out' }]);
  });

  it('documents every diagnostic code in the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(DIAGNOSTIC_CODES.filter((code) => !readme.includes(`| \`${code}\` |`))).toEqual([]);
  });

  it('pairs: a file that does not exist', async () => {
    const result = await runCli(['pairs', 'no/such/file.md']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: file not found: no\/such\/file\.md/);
  });
});
