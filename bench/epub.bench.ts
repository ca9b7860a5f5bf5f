/**
 * The corpus EPUB (40 real articles, 169 images) against pandoc's EPUB of the same articles, in
 * one run: ours with the e-reader image profile from a cold cache and from a warm one, pandoc
 * (when installed) with the articles' folders as resource paths. Also the EPUB's size with and
 * without the image profile and with and without embedded fonts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../src/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'theowenyoung', 'clip', 'content');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
    });
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

export async function main(): Promise<void> {
  if (!existsSync(CORPUS)) {
    console.log(`corpus not found (${CORPUS}): skipped`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'anthology-bench-epub-'));
  try {
    const book = (name: string, epub: string) => {
      const dir = join(work, name);
      rmSync(dir, { recursive: true, force: true });
      const toml = `[book]\ntitle = "Clippings"\n[content]\nfolder = ${JSON.stringify(CORPUS)}\n[epub]\n${epub}`;
      spawnSync('mkdir', ['-p', dir]);
      writeFileSync(join(dir, 'book.toml'), toml);
      return dir;
    };
    const run = async (dir: string) => {
      const [result, ms] = await timed(() =>
        build({ bookDir: dir, out: join(dir, 'dist'), formats: ['epub'] }),
      );
      return { ms, bytes: result.files[0]!.bytes };
    };

    const optimized = book('optimized', 'images = "optimized"\n');
    const cold = await run(optimized);
    const warm = await run(optimized);
    const warm2 = await run(optimized);
    const warmMs = Math.min(warm.ms, warm2.ms);
    console.log(
      `anthology, image profile on: cold cache ${s(cold.ms)}, warm cache ${s(warmMs)}  (${mb(warm.bytes)})`,
    );

    const original = await run(book('original', 'images = "original"\n'));
    const fonts = book('fonts', 'images = "optimized"\nembed-fonts = true\n');
    const fontsCold = await run(fonts);
    const fontsWarm = await run(fonts);
    const both = await run(book('original-fonts', 'images = "original"\nembed-fonts = true\n'));
    console.log('EPUB sizes:');
    console.log(`  image profile on,  no fonts:        ${mb(warm.bytes)}`);
    console.log(
      `  image profile off, no fonts:        ${mb(original.bytes)}  (built in ${s(original.ms)}, WebP still converted)`,
    );
    console.log(
      `  image profile on,  embedded fonts:  ${mb(fontsWarm.bytes)}  (cold ${s(fontsCold.ms)}, warm ${s(fontsWarm.ms)})`,
    );
    console.log(`  image profile off, embedded fonts:  ${mb(both.bytes)}`);

    const pandoc = spawnSync('pandoc', ['--version'], { encoding: 'utf8' });
    if (pandoc.status !== 0) {
      console.log('pandoc: not installed (apt-get install pandoc), no comparison');
      return;
    }
    const files = markdownFiles(CORPUS).filter((f) => !f.endsWith('_index.md'));
    const resourcePath = [...new Set(files.map((f) => dirname(f)))].join(':');
    const out = join(work, 'pandoc.epub');
    const runPandoc = () =>
      timed(async () =>
        spawnSync(
          'pandoc',
          [
            '-f',
            'markdown',
            '-o',
            out,
            `--resource-path=${resourcePath}`,
            '--metadata',
            'title=Clippings',
            ...files,
          ],
          {
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          },
        ),
      );
    // Best of two for pandoc too, as for ours: the ratio compares like with like.
    const [p, pandocMs1] = await runPandoc();
    if (p.status !== 0 || !existsSync(out)) {
      console.log(`pandoc failed: ${p.stderr.slice(0, 300)}`);
      return;
    }
    const [, pandocMs2] = await runPandoc();
    const pandocMs = Math.min(pandocMs1, pandocMs2);
    // A user's command is a fresh process (module loading, a cold JIT): measured too, beside pandoc's process.
    const cli = join(ROOT, 'lib', 'cli.js');
    let cliMs = Number.NaN;
    for (let i = 0; existsSync(cli) && i < 2; i++) {
      const [, ms] = await timed(async () =>
        spawnSync(process.execPath, [cli, 'build', optimized, '--format', 'epub', '--quiet']),
      );
      cliMs = Number.isNaN(cliMs) ? ms : Math.min(cliMs, ms);
    }
    console.log(
      `pandoc ${pandoc.stdout.split('\n')[0]!.replace(/^pandoc /, '')}: ${s(pandocMs)}  (${mb(statSync(out).size)}, ${files.length} articles)`,
    );
    console.log(
      `ratio anthology/pandoc: warm ${(warmMs / pandocMs).toFixed(2)} (target <= 0.20), cold ${(cold.ms / pandocMs).toFixed(2)}`,
    );
    if (!Number.isNaN(cliMs))
      console.log(
        `  as a command (\`anthology build\`, a new process, warm cache): ${s(cliMs)}, ratio ${(cliMs / pandocMs).toFixed(2)}`,
      );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
