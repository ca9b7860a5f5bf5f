/**
 * The editor's loop on the corpus (issue 11): with `anthology preview` open on an article in
 * Chromium, the time from writing an edit to the article's file to the page showing it (the
 * watcher, the rebuild, the server-sent event, the page's fetch and swap). Median of 10 edits;
 * target 500 ms. The corpus is copied, so the edits touch a copy.
 */
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
import { CHROMIUM_FLAGS, chromiumAvailable, findChromium } from '../src/browser/index.js';
import { type PreviewEvent, startPreview } from '../src/preview/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'theowenyoung', 'clip', 'content');
const EDITS = 10;

/** The build's Chromium flags, except that the preview on 127.0.0.1 may be reached. */
async function withPreviewBrowser<T>(
  fn: (browser: import('puppeteer-core').Browser) => Promise<T>,
): Promise<T> {
  const { default: puppeteer } = await import('puppeteer-core');
  const flags = CHROMIUM_FLAGS.map((f) =>
    f.startsWith('--host-resolver-rules=') ? `${f}, EXCLUDE 127.0.0.1` : f,
  );
  const profile = mkdtempSync(join(tmpdir(), 'anthology-bench-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless: true,
    ignoreDefaultArgs: true,
    args: [...flags, `--user-data-dir=${profile}`, 'about:blank'],
  });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function firstArticle(dir: string): string {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const found = firstArticle(path);
      if (found) return found;
    } else if (name === 'index.md') return path;
  }
  return '';
}

export async function main(): Promise<void> {
  if (!existsSync(CORPUS)) return console.log(`corpus not found (${CORPUS}): skipped`);
  if (!chromiumAvailable()) return console.log('no Chromium: skipped');
  const work = mkdtempSync(join(tmpdir(), 'anthology-bench-preview-'));
  try {
    cpSync(CORPUS, join(work, 'content'), { recursive: true });
    writeFileSync(join(work, 'book.toml'), '[book]\ntitle = "Clippings"\n');
    const file = firstArticle(join(work, 'content'));
    const events: PreviewEvent[] = [];
    const started = performance.now();
    const preview = await startPreview({ bookDir: work, onEvent: (e) => events.push(e) });
    console.log(
      `preview ready in ${((performance.now() - started) / 1000).toFixed(2)} s (first build, 40 articles)`,
    );
    try {
      await withPreviewBrowser(async (browser) => {
        const page = await browser.newPage();
        const id = `a-${file.split('/').at(-2)!}`.slice(0, 50);
        const html = await (await fetch(preview.url)).text();
        const href = new RegExp(`href="(/a/${id.slice(0, 20)}[^"]*)"`).exec(html)?.[1] ?? '/';
        await page.goto(new URL(href, preview.url).href, { waitUntil: 'load' });
        await page.waitForFunction(() => document.getElementById('preview-status')?.textContent === 'live');
        const times: number[] = [];
        const rebuilds: number[] = [];
        for (let i = 0; i < EDITS; i++) {
          const marker = `Edit number ${i} of the preview bench, in English.`;
          const before = events.length;
          const t0 = performance.now();
          appendFileSync(file, `\n${marker}\n\n预览基准的第${i}次修改。\n`);
          await page.waitForFunction(
            (m) => document.body.textContent?.includes(m),
            { timeout: 30_000 },
            marker,
          );
          times.push(performance.now() - t0);
          const rebuilt = events.slice(before).find((e) => e.type === 'rebuilt');
          if (rebuilt?.type === 'rebuilt') rebuilds.push(rebuilt.ms);
        }
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        const ms = median(times);
        console.log(
          `write -> page updated: median ${ms.toFixed(0)} ms of ${EDITS} edits (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); target <= 500 ms: ${ms <= 500 ? 'ok' : 'over'}`,
        );
        console.log(
          `  of which the rebuild (1 of 40 articles parsed again): median ${median(rebuilds).toFixed(0)} ms`,
        );
      });
    } finally {
      await preview.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
