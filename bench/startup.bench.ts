/**
 * Start-up as a user meets it: `anthology --version`, `--help` and `pairs FILE` as commands (a
 * new Node process each, from the compiled lib/), beside a bare `node -e 0` measured in the same
 * run. Target (issue 11): each under 0.2 s. On a loaded machine even a bare Node is slow, so the
 * figure over bare Node (what anthology itself costs) is printed too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'lib', 'cli.js');
const ARTICLE = join(ROOT, 'content', 'craft', 'small-tools.md');
const RUNS = 9;

/** The median wall time of `RUNS` runs of a command, in ms; fails loudly when the command does. */
function median(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
    times.push(performance.now() - start);
    if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

export async function main(): Promise<void> {
  if (!existsSync(CLI)) {
    console.log('lib/cli.js not built (npm run build): skipped');
    return;
  }
  const bare = median(['-e', '0']);
  console.log(`bare node -e 0: ${bare.toFixed(0)} ms (median of ${RUNS})`);
  for (const [name, args] of [
    ['anthology --version', ['--version']],
    ['anthology --help', ['--help']],
    ['anthology pairs FILE', ['pairs', ARTICLE]],
    ['anthology pairs FILE --json', ['pairs', ARTICLE, '--json']],
  ] as const) {
    const ms = median([CLI, ...args]);
    const verdict = ms < 200 ? 'ok' : 'over';
    console.log(
      `${name.padEnd(28)} ${ms.toFixed(0).padStart(5)} ms  (+${(ms - bare).toFixed(0)} ms over bare node; target < 200 ms: ${verdict})`,
    );
  }
}
