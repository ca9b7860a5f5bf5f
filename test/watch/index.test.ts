/**
 * Watching a book: changes to articles, book.toml and templates are reported (several writes
 * once), outputs, the cache and hidden files are not; `anthology build --watch` builds again on a
 * change and stops cleanly on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { watchBook } from '../../src/watch/index.js';
import { BookTest } from '../book-test.js';
import { ROOT } from '../helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PAIR = 'An English paragraph that is long enough.\n\n一段足够长的中文段落。\n';

describe('watchBook', () => {
  it('reports changes to the book once per burst, and not outputs, the cache or hidden files', async () => {
    const t = BookTest.create().article('one.md', PAIR);
    for (const d of ['dist', '.anthology-cache', '.git']) mkdirSync(join(t.dir, d));
    const seen: string[][] = [];
    const watcher = watchBook(loadConfig({ bookDir: t.dir }), (files) => seen.push(files), 50);
    try {
      await sleep(300); // Node's recursive watch on Linux walks the tree first
      writeFileSync(join(t.dir, 'dist', 'book.epub'), 'x');
      writeFileSync(join(t.dir, '.anthology-cache', 'entry'), 'x');
      writeFileSync(join(t.dir, '.git', 'index'), 'x');
      writeFileSync(join(t.dir, 'content', '.one.md.swp'), 'x');
      await sleep(400);
      expect(seen).toEqual([]);
      t.article('one.md', `${PAIR}\n${PAIR}`);
      t.toml('[book]\ntitle = "T"\n');
      const deadline = Date.now() + 5000;
      while (seen.length === 0 && Date.now() < deadline) await sleep(20);
      await sleep(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toEqual(
        expect.arrayContaining([join(t.dir, 'content', 'one.md'), join(t.dir, 'book.toml')]),
      );
    } finally {
      watcher.close();
    }
  });
});

describe('watchBook and editors', () => {
  it('sees every save of a file an editor saves by renaming a new file over it, and files in folders made later', async () => {
    const t = BookTest.create().article('one.md', PAIR);
    const seen: string[][] = [];
    const watcher = watchBook(loadConfig({ bookDir: t.dir }), (files) => seen.push(files), 50);
    const file = join(t.dir, 'content', 'one.md');
    const reported = async (what: string) => {
      const deadline = Date.now() + 5000;
      while (!seen.some((files) => files.includes(what)) && Date.now() < deadline) await sleep(20);
      expect(seen.flat(), what).toContain(what);
      seen.length = 0;
    };
    try {
      await sleep(300);
      for (let n = 0; n < 3; n++) {
        // as vim, `sed -i` and "safe write" editors save
        writeFileSync(`${file}.new`, `${PAIR}\nEdit ${n}.\n`);
        renameSync(`${file}.new`, file);
        await reported(file);
      }
      writeFileSync(file, `${PAIR}\nWritten in place.\n`);
      await reported(file);
      mkdirSync(join(t.dir, 'content', 'later', 'deeper'), { recursive: true });
      await sleep(200);
      writeFileSync(join(t.dir, 'content', 'later', 'deeper', 'two.md'), PAIR);
      await reported(join(t.dir, 'content', 'later', 'deeper', 'two.md'));
    } finally {
      watcher.close();
    }
  });
});

describe('anthology build --watch', () => {
  it('builds, builds again when an article changes, and stops on Ctrl-C (exit code 130, as after any Ctrl-C)', async () => {
    const t = BookTest.create().article('one.md', PAIR);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'build', t.dir, '--format', 'html', '--watch'],
      { cwd: ROOT },
    );
    let err = '';
    let out = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (test: () => boolean, what: string) => {
      const deadline = Date.now() + 60_000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${out}\n${err}`);
        await sleep(50);
      }
    };
    try {
      await until(() => err.includes('watching for changes'), 'the first build');
      expect(out.match(/^wrote /gm)).toHaveLength(1);
      await sleep(300);
      t.article(
        'one.md',
        `${PAIR}\nNow a paragraph without any translation, long enough to be noticed by pairing.\n`,
      );
      await until(() => (out.match(/^wrote /gm) ?? []).length === 2, 'the second build');
      await until(() => err.includes('pair/untranslated'), 'the warning');
      expect(err).toMatch(/changed: .*one\.md/);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exit).toBe(130);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
