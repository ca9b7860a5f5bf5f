/**
 * Incremental builds (issue 11) on the corpus, as commands, in one run: `anthology build
 * --format epub` after editing one article (warm build cache: the other 39 articles' parse and
 * pair results, images and font subsets come from it) against pandoc making an EPUB of the same
 * articles. Target: at most 0.2 times pandoc. The corpus is copied, so the edit touches a copy.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'theowenyoung', 'clip', 'content');
const CLI = join(ROOT, 'lib', 'cli.js');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory()
        ? markdownFiles(path)
        : name.endsWith('.md') && name !== '_index.md'
          ? [path]
          : [];
    });
}

function timed(command: string, args: string[]): { ms: number; ok: boolean; stderr: string } {
  const start = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - start, ok: run.status === 0, stderr: run.stderr };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<void> {
  if (!existsSync(CORPUS)) return console.log(`corpus not found (${CORPUS}): skipped`);
  if (!existsSync(CLI)) return console.log('lib/cli.js not built (npm run build): skipped');
  const work = mkdtempSync(join(tmpdir(), 'anthology-bench-incremental-'));
  try {
    const content = join(work, 'content');
    cpSync(CORPUS, content, { recursive: true });
    writeFileSync(join(work, 'book.toml'), '[book]\ntitle = "Clippings"\n');
    const files = markdownFiles(content);
    const build = () => timed(process.execPath, [CLI, 'build', work, '--format', 'epub', '--quiet']);
    const cold = build();
    if (!cold.ok) return console.log(`anthology build failed: ${cold.stderr.slice(0, 400)}`);
    console.log(
      `anthology build --format epub, cold cache: ${(cold.ms / 1000).toFixed(2)} s (${files.length} articles)`,
    );
    const edits: number[] = [];
    for (let i = 0; i < 5; i++) {
      appendFileSync(
        files[(i * 7) % files.length]!,
        `\nAn added paragraph, edit ${i}.\n\n新加的一段，第${i}次修改。\n`,
      );
      edits.push(build().ms);
    }
    const ours = median(edits);
    console.log(
      `after one article's edit (warm cache, median of ${edits.length}): ${(ours / 1000).toFixed(2)} s`,
    );
    const pandoc = spawnSync('pandoc', ['--version'], { encoding: 'utf8' });
    if (pandoc.status !== 0)
      return console.log('pandoc: not installed (apt-get install pandoc), no comparison');
    const resourcePath = [...new Set(files.map((f) => dirname(f)))].join(':');
    // --sandbox: pandoc would otherwise try to fetch the articles' remote images.
    // The same statistic for both (a median): this machine's speed wanders by a tenth from run to run.
    const runs = [0, 1, 2].map(() =>
      timed('pandoc', [
        '--sandbox',
        '-f',
        'markdown',
        '-o',
        join(work, 'pandoc.epub'),
        `--resource-path=${resourcePath}`,
        '--metadata',
        'title=Clippings',
        ...files,
      ]),
    );
    const theirs = median(runs.map((r) => r.ms));
    console.log(
      `pandoc ${pandoc.stdout.split('\n')[0]!.replace(/^pandoc /, '')}, same articles (median of ${runs.length}): ${(theirs / 1000).toFixed(2)} s`,
    );
    console.log(
      `ratio anthology (one article edited) / pandoc: ${(ours / theirs).toFixed(2)} (target <= 0.20)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
