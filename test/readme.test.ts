/**
 * Every command the README shows, run as a user types it: each line of its `sh` blocks (and each
 * `$ ` line of its examples) goes through the shell as written, in a folder of its own outside the
 * clone, with `anthology` on the PATH (the sources, through tsx) and HOME in that folder. A command
 * added to the README without a way to run it here fails the first test.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../src/browser/index.js';
import { ROOT, tempDir } from './helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The commands shown: the lines of ```sh blocks without their comments, and `$ ` lines of the others. */
function shownCommands(): string[] {
  const commands: string[] = [];
  for (const [, lang, body] of README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    for (const line of body!.split('\n')) {
      if (lang === 'sh') commands.push(line.replace(/\s+#.*$/, '').trim());
      else if (line.startsWith('$ ')) commands.push(line.slice(2).trim());
    }
  }
  return commands.filter(Boolean);
}

/** Commands run elsewhere, and where. */
const RUN_ELSEWHERE: Record<string, string> = {
  'npm ci && npm pack': 'test/package.test.ts packs the clone (npm ci is how CI installs it)',
  'npm install -g ./bilingual-anthology-*.tgz': 'test/package.test.ts, into a prefix of its own',
  'npm run setup && npm run book': '.ci/run runs npm run setup; `npm run book` is run below',
  'npm test': '.ci/run',
};

/** Commands run here, in the order of a user's first session. */
const RUN_HERE = [
  'anthology new my-book',
  'anthology build my-book',
  'anthology build path/to/my-book',
  'anthology build --content ~/clips/content -o /tmp/book',
  'anthology check path/to/my-book --strict',
  'anthology preview my-book',
  'anthology preview my-book --port 4000 --open',
  'anthology pairs content/craft/small-tools.md',
];

/** A folder with `anthology` on the PATH (and a stand-in for the system's browser opener). */
function userFolder() {
  const home = tempDir('anthology-readme-');
  const bin = join(home, 'bin');
  mkdirSync(bin);
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  writeFileSync(
    join(bin, 'anthology'),
    `#!/bin/sh\nexec "${process.execPath}" --import "file://${tsx}" "${join(ROOT, 'src', 'cli.ts')}" "$@"\n`,
  );
  // `--open` runs xdg-open (open on macOS): here it notes the URL it was given
  for (const opener of ['xdg-open', 'open'])
    writeFileSync(join(bin, opener), `#!/bin/sh\necho "$1" > "${join(home, 'opened')}"\n`);
  for (const name of ['anthology', 'xdg-open', 'open']) chmodSync(join(bin, name), 0o755);
  const env = { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH}` };
  return {
    home,
    env,
    /** Runs one README line through the shell, as typed (`/tmp/book` made this test's own). */
    sh: async (command: string, cwd = home) => {
      const line = command.replace('/tmp/book', join(home, 'tmp-book'));
      try {
        const { stdout, stderr } = await promisify(execFile)('sh', ['-c', line], { cwd, env });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    },
  };
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Starts a preview command, waits for its address, fetches the contents page, stops it. */
async function previewOnce(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  /** A file to wait for before stopping (the opener's note, written after the address). */
  waitFor?: string,
): Promise<string> {
  const child = spawn('sh', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    const url = await new Promise<string>((found, failed) => {
      const timer = setTimeout(() => failed(new Error(`no address from ${command}: ${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        const match = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (match) {
          clearTimeout(timer);
          found(match[1]!);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', () => failed(new Error(`${command} ended: ${output}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    for (let tries = 0; waitFor && !existsSync(waitFor) && tries < 200; tries++)
      await new Promise((next) => setTimeout(next, 50));
    return url;
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}

describe('the README', () => {
  it('shows no command that no test runs', () => {
    const unknown = shownCommands().filter((c) => !RUN_HERE.includes(c) && !(c in RUN_ELSEWHERE));
    expect(unknown).toEqual([]);
    for (const command of [...RUN_HERE, ...Object.keys(RUN_ELSEWHERE)])
      expect(shownCommands(), command).toContain(command);
  });

  it.skipIf(!chromiumAvailable())(
    'a first session: new, build, build elsewhere, check, preview, as shown',
    async () => {
      const user = userFolder();
      const made = await user.sh('anthology new my-book');
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/^created my-book\/book\.toml$/m);

      const built = await user.sh('anthology build my-book');
      expect(built.code, built.stderr).toBe(0);
      for (const file of ['my-book.epub', 'my-book.pdf'])
        expect(existsSync(join(user.home, 'my-book', 'dist', file)), file).toBe(true);

      mkdirSync(join(user.home, 'path', 'to'), { recursive: true });
      await user.sh('anthology new path/to/my-book');
      const elsewhere = await user.sh('anthology build path/to/my-book');
      expect(elsewhere.code, elsewhere.stderr).toBe(0);
      expect(existsSync(join(user.home, 'path', 'to', 'my-book', 'dist', 'my-book.pdf'))).toBe(true);

      const checked = await user.sh('anthology check path/to/my-book --strict');
      expect(checked.code, checked.stderr).toBe(0);
      expect(checked.stdout).toMatch(/^checked 1 article in 1 chapter: \d+ pairs, 0 warnings$/m);

      // articles without a book.toml, clipped into ~/clips/content
      const clips = join(user.home, 'clips', 'content');
      mkdirSync(clips, { recursive: true });
      writeFileSync(join(clips, 'a.md'), '---\ntitle: 你好\n---\nHello, world.\n\n你好，世界。\n');
      const clipped = await user.sh('anthology build --content ~/clips/content -o /tmp/book');
      expect(clipped.code, clipped.stderr).toBe(0);
      expect(clipped.stderr).toMatch(/the book is called "clips"/);
      for (const file of ['clips.epub', 'clips.pdf'])
        expect(existsSync(join(user.home, 'tmp-book', file)), file).toBe(true);

      const url = await previewOnce('anthology preview my-book', user.home, user.env);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const port = await freePort();
      const opened = await previewOnce(
        `anthology preview my-book --port ${port} --open`,
        user.home,
        user.env,
        join(user.home, 'opened'),
      );
      expect(opened).toBe(`http://127.0.0.1:${port}/`);
      expect(readFileSync(join(user.home, 'opened'), 'utf8').trim()).toBe(opened);
    },
    240_000,
  );

  it('anthology pairs on the sample: what the README prints', async () => {
    const user = userFolder();
    const shown = README.slice(README.indexOf('$ anthology pairs'));
    const result = await user.sh('anthology pairs content/craft/small-tools.md', ROOT);
    expect(result.code, result.stderr).toBe(0);
    const [firstLine] = result.stdout.split('\n');
    expect(shown.split('\n')[1]).toBe(firstLine);
    for (const row of [
      '   10 P Translators keep a few small tools',
      '   14 L A glossary, kept in plain text.',
      '   30 C [code] import re',
    ])
      expect(result.stdout).toContain(row);
  });

  it.skipIf(!chromiumAvailable())(
    'npm run book builds the sample anthology',
    async () => {
      const result = await promisify(execFile)('npm', ['run', 'book'], { cwd: ROOT });
      expect(result.stdout).toMatch(/wrote dist\/slow-reading\.pdf/);
      expect(result.stdout).toMatch(/wrote dist\/slow-reading\.epub/);
    },
    120_000,
  );
});
