/**
 * Nothing left behind: a PDF build killed with SIGINT, SIGTERM or SIGKILL, then one normal build,
 * leave the out folder holding only the outputs and a private TMPDIR holding nothing of
 * anthology's; interrupted builds exit 130 and 143. Two builds into one folder at once both
 * succeed; an out folder that cannot be written is one line, exit 1.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../src/browser/index.js';
import {
  cleanUpNow,
  onCleanup,
  pendingCleanups,
  pidIsDead,
  sweepStale,
  temporaryFolder,
} from '../../src/fs/cleanup.js';
import { BookTest } from '../book-test.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const ARTICLE = 'A paragraph, long enough to print.\n\n一段文字，足够打印。\n\n'.repeat(40);

/** Leftovers: anthology's temporary folders in `tmp`, temporary files in `out`. */
function leftovers(out: string, tmp: string): string[] {
  const inOut = existsSync(out) ? readdirSync(out).filter((n) => n.endsWith('.tmp')) : [];
  const inTmp = readdirSync(tmp).filter((n) => n.startsWith('anthology-'));
  return [...inOut.map((n) => `out/${n}`), ...inTmp.map((n) => `tmp/${n}`)];
}

/** Starts a PDF build and sends `signal` once Chromium has started printing; its exit code (or signal). */
async function interrupted(book: BookTest, tmp: string, signal: NodeJS.Signals): Promise<number | string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'build', book.dir, '--format', 'pdf', '--quiet'],
    {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)),
  );
  const deadline = Date.now() + 120_000;
  while (!readdirSync(tmp).some((n) => n.startsWith('anthology-print-')) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300)); // Chromium at work: its profile and the PDF's temp file exist
  child.kill(signal);
  return exited;
}

describe('cleanup registry', () => {
  it('runs each registered cleanup once, and forgets those that are done', () => {
    const ran: string[] = [];
    const forget = onCleanup(() => ran.push('a'));
    onCleanup(() => {
      throw new Error('a failing cleanup does not stop the others');
    });
    onCleanup(() => ran.push('c'));
    forget();
    cleanUpNow();
    cleanUpNow();
    expect(ran).toEqual(['c']);
    expect(pendingCleanups()).toBe(0);
    const folder = temporaryFolder('test');
    expect(existsSync(folder.path)).toBe(true);
    cleanUpNow();
    expect(existsSync(folder.path)).toBe(false);
  });

  it('sweeps only what builds whose process is gone left behind', () => {
    const out = tempDir('anthology-sweep-');
    const dead = 2 ** 22 + 12345; // above any pid_max default: no such process
    expect(pidIsDead(dead)).toBe(true);
    expect(pidIsDead(process.pid)).toBe(false);
    const names = [
      `.book.pdf.${dead}.1700000000000-1.tmp`,
      `.book.pdf.${process.pid}.1700000000000-2.tmp`,
      `.book-print.${dead}.1700000000000-3.tmp`,
      'book.pdf',
      `.notes.${dead}.tmp`,
    ];
    for (const name of names) writeFileSync(join(out, name), '');
    mkdirSync(join(out, `.book-print.${dead}.1700000000000-4.tmp`));
    sweepStale(out);
    expect(readdirSync(out).sort()).toEqual(
      [`.book.pdf.${process.pid}.1700000000000-2.tmp`, `.notes.${dead}.tmp`, 'book.pdf'].sort(),
    );
  });
});

describe.skipIf(!chromiumAvailable())('a PDF build killed, then built again', () => {
  it('SIGINT and SIGTERM clean up and exit 130 and 143; after SIGKILL the next build cleans up', {
    timeout: 600_000,
  }, async () => {
    const book = BookTest.create('anthology-killed-')
      .toml('[book]\ntitle = "Killed"\nlanguage = "en"\n')
      .article('a/index.md', ARTICLE);
    const tmp = tempDir('anthology-private-tmp-');
    try {
      expect(await interrupted(book, tmp, 'SIGINT')).toBe(130);
      expect(leftovers(book.out, tmp)).toEqual([]);
      expect(await interrupted(book, tmp, 'SIGTERM')).toBe(143);
      expect(leftovers(book.out, tmp)).toEqual([]);
      expect(await interrupted(book, tmp, 'SIGKILL')).toBe('SIGKILL');
      expect(leftovers(book.out, tmp).length).toBeGreaterThan(0); // nothing can run on SIGKILL
      await new Promise((r) => setTimeout(r, 2000)); // Chromium notices its pipe closed and exits
      const normal = await runCli(['build', book.dir, '--format', 'pdf', '--quiet'], {
        env: { TMPDIR: tmp },
      });
      expect(normal.stderr).toBe('');
      expect(normal.code).toBe(0);
      expect(leftovers(book.out, tmp)).toEqual([]);
      expect(readdirSync(book.out)).toEqual(['killed.pdf']);
    } finally {
      book.remove();
    }
  });
});

describe('the out folder', () => {
  it('two HTML builds into one folder at once never fail, ten times over', { timeout: 300_000 }, async () => {
    const book = BookTest.create('anthology-race-')
      .toml('[book]\ntitle = "Race"\nlanguage = "en"\n')
      .article('a/index.md', ARTICLE);
    try {
      for (let round = 0; round < 10; round++) {
        const results = await Promise.allSettled([
          book.build({ formats: ['html'], cacheDir: false }),
          book.build({ formats: ['html'], cacheDir: false }),
        ]);
        expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
      }
      expect(readdirSync(book.out)).toEqual(['race-print']);
      expect(readdirSync(join(book.out, 'race-print'))).toEqual(['index.html']);
    } finally {
      book.remove();
    }
  });

  it('a file, or a folder that cannot be made or written: one line, exit 1', {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir('anthology-outfile-');
    writeFileSync(join(dir, 'taken'), '');
    const cases: [string, string][] = [
      [
        join(dir, 'taken'),
        `anthology: error: the output folder ${join(dir, 'taken')} is a file; name a folder with --out`,
      ],
      [join(dir, 'taken', 'sub'), 'a part of the path is a file, not a folder'],
      ['/sys/anthology-out', 'cannot write to the output folder /sys/anthology-out: permission denied'],
      ['/proc/anthology-out', 'cannot write to the output folder /proc/anthology-out'], // Node's own mkdir -p never returns here
    ];
    for (const [out, said] of cases) {
      const run = await runCli([
        'build',
        join(ROOT, 'test', 'fixtures', 'minimal'),
        '--format',
        'html',
        '--out',
        out,
      ]);
      expect(run.code, out).toBe(1);
      expect(run.stderr.trim().split('\n'), out).toEqual([expect.stringContaining(said)]);
    }
  });
});
