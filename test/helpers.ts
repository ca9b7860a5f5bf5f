import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
/** The real articles, present on the team's machines and in CI, absent in a user's fresh clone. */
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'theowenyoung', 'clip', 'content');
export const HAVE_CORPUS = existsSync(CORPUS);

/**
 * `ANTHOLOGY_FULL_CHECKS=1 npm test` also runs the slow checks on the corpus: every layout
 * through epubcheck, the kepub, every reading mode in Chromium, DAISY Ace (about 10 minutes more).
 * Without it the suite checks the corpus in two layouts and the rest on fixtures, within 5 minutes.
 */
export const FULL_CHECKS = process.env.ANTHOLOGY_FULL_CHECKS === '1';

/**
 * One build cache for the corpus books of all tests: the corpus's images and fonts are made once,
 * and kept between runs (in the system's temporary folder, not the run's own: global-setup.ts).
 */
export const CORPUS_CACHE = join(
  process.env.ANTHOLOGY_TEST_SHARED_TMP ?? tmpdir(),
  'anthology-test-corpus-cache',
);

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function tempDir(prefix = 'anthology-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source (always current, no build step needed). */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      // tsx by its path: the command may run in a folder outside the clone
      [
        '--import',
        pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
        join(ROOT, 'src', 'cli.ts'),
        ...args,
      ],
      {
        cwd: options.cwd ?? ROOT,
        env: { ...process.env, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export function commandExists(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

export const HAVE_EPUBCHECK = existsSync('/usr/share/java/epubcheck.jar') && commandExists('java');
export const HAVE_POPPLER =
  commandExists('pdffonts') && commandExists('pdftotext') && commandExists('pdfinfo');
