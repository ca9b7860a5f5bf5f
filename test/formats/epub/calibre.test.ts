/**
 * calibre clean (issue 9): calibre is how many Kindle and Kobo owners get a book onto their
 * device. `ebook-convert` to AZW3 prints no CSS warning (a selector its parser rejects is a rule
 * older reading engines drop whole), and calibre's Check Book reports nothing (duplicate
 * selectors, selectors in descending specificity, font files whose names or media types it
 * questions). On the fixture book with every element of every layout; skips without calibre.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUTS } from '../../../src/model.js';
import { BookTest } from '../../book-test.js';
import { commandExists } from '../../helpers.js';
import { everyElementArticle, transparentPng } from '../../reading-modes.js';

const HAVE_CALIBRE = commandExists('ebook-convert') && commandExists('calibre-debug');
// calibre's Qt WebEngine refuses to run as root with its sandbox on.
const CALIBRE_ENV = { ...process.env, QTWEBENGINE_DISABLE_SANDBOX: '1', QT_QPA_PLATFORM: 'offscreen' };

/** Check Book's findings as `level message (file)` lines. */
function checkBook(epub: string): string[] {
  const script = [
    'import sys, json',
    'from calibre.ebooks.oeb.polish.container import get_container',
    'from calibre.ebooks.oeb.polish.check.main import run_checks',
    'c = get_container(sys.argv[-1], tweak_mode=True)',
    'print("CHECK-BOOK " + json.dumps([(e.level, e.msg, e.name) for e in run_checks(c)]))',
  ].join('\n');
  const run = spawnSync('calibre-debug', ['-c', script, epub], {
    env: CALIBRE_ENV,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = `${run.stdout}`.split('\n').find((l) => l.startsWith('CHECK-BOOK '));
  if (!line) throw new Error(`calibre-debug gave no result: ${run.stderr}`);
  return (JSON.parse(line.slice('CHECK-BOOK '.length)) as [number, string, string][]).map(
    ([level, msg, name]) => `${level} ${msg} (${name})`,
  );
}

describe.skipIf(!HAVE_CALIBRE)('calibre', () => {
  let book: BookTest;
  let epub: string;

  beforeAll(async () => {
    book = BookTest.create('anthology-calibre-').toml(
      '[book]\ntitle = "Calibre"\neditors = ["Ed Itor"]\nlanguage = "zh"\n',
    );
    const png = await transparentPng();
    for (const layout of LAYOUTS)
      book
        .article(`part/${layout}/index.md`, everyElementArticle(layout))
        .file(`content/part/${layout}/square.png`, png);
    epub = (await book.write('epub', { cacheDir: false })).file.path;
  }, 120_000);
  afterAll(() => book?.remove());

  it('converts to AZW3 without a CSS warning', () => {
    const out = join(book.dir, 'book.azw3');
    const run = spawnSync('ebook-convert', [epub, out], {
      env: CALIBRE_ENV,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, run.stderr).toBe(0);
    const log = `${run.stdout}\n${run.stderr}`;
    expect(log).toContain('Output saved to');
    const cssWarnings = log
      .split('\n')
      .filter((l) => /selector|CSS|stylesheet/i.test(l) && /invalid|warn|error|unknown|incomplete/i.test(l));
    expect(cssWarnings).toEqual([]);
  }, 300_000);

  it("finds nothing with calibre's Check Book", () => {
    expect(checkBook(epub)).toEqual([]);
  }, 300_000);
});
