/**
 * PDF: the corpus book's PDF build (text printed once, front matter printed alone, joined) against
 * one plain Chromium print of the same finished book HTML (the `--format html` preview), measured in
 * the same run with the same browser; then a book of about 2,000 pages (the corpus twice), its time
 * and the peak memory of Node and of Chromium (all its processes together).
 *
 * The bar: PDF build <= 1.25 x single print.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { compileBook } from '../src/build.js';
import { loadConfig } from '../src/config/index.js';
import { fontRoots } from '../src/assets/fonts.js';
import type { Book } from '../src/model.js';
import { openConfinedPage, withBrowser, type Browser } from '../src/output/browser.js';
import { monochromeEmoji, writeBookPdf } from '../src/output/pdf.js';
import { renderPrintBook } from '../src/render/print.js';
import { BUILTIN_STYLES, loadTemplates } from '../src/render/templates.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'theowenyoung', 'clip', 'content');

function copyImages(book: Book, dir: string): void {
  for (const asset of book.assets) {
    const target = join(dir, asset.href);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(asset.path, target);
  }
}

/** A plain print of one HTML file: load and print, as a user of Chromium would. */
async function singlePrint(browser: Browser, workDir: string, html: string): Promise<number> {
  const file = join(workDir, 'single.html');
  writeFileSync(file, monochromeEmoji(html));
  const page = await openConfinedPage(browser, [workDir, BUILTIN_STYLES, ...fontRoots()]);
  try {
    const started = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 0 });
    const stream = await page.createPDFStream({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true, timeout: 0 });
    await pipeline(Readable.fromWeb(stream as unknown as WebReadableStream<Uint8Array>), createWriteStream(join(workDir, 'single.pdf')));
    return performance.now() - started;
  } finally {
    await page.close();
  }
}

/** RSS in bytes of a process and all its descendants (Linux /proc), 0 elsewhere. */
function treeRss(rootPid: number): number {
  if (!existsSync('/proc')) return 0;
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const pages = Number(fields[21]);
      const pid = Number(entry);
      rss.set(pid, pages * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function doubled(book: Book): Book {
  const copy = (suffix: string): Book['chapters'] =>
    book.chapters.map((chapter) => ({
      ...chapter,
      id: `${chapter.id}${suffix}`,
      title: `${chapter.title}${suffix ? ' (II)' : ''}`,
      articles: chapter.articles.map((article) => ({ ...article, id: `${article.id}${suffix}` })),
    }));
  return { ...book, chapters: [...copy(''), ...copy('-2')] };
}

const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export async function main(): Promise<void> {
  if (!existsSync(CORPUS)) {
    console.log(`skipped: no corpus at ${CORPUS}`);
    return;
  }
  const config = loadConfig({ bookDir: ROOT, content: CORPUS, out: tmpdir() });
  const book = compileBook(config);
  const templates = loadTemplates(book.meta.language, config.templatesDir);
  const workDir = mkdtempSync(join(tmpdir(), 'anthology-bench-pdf-'));
  const metadata = { title: book.meta.title, language: book.meta.language };
  try {
    copyImages(book, workDir);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
    const singles: number[] = [];
    const builds: number[] = [];
    let pages = 0;
    let timings = { body: 0, front: 0, join: 0 };
    await withBrowser(async (browser) => {
      for (let round = 0; round < rounds; round++) {
        // The build includes rendering the HTML; the single print gets its HTML for free.
        const started = performance.now();
        const print = renderPrintBook(book, config, templates);
        const result = await writeBookPdf(
          { body: print.body, front: print.front, entries: print.entries, workDir, allowedRoots: [BUILTIN_STYLES], outFile: join(workDir, 'book.pdf'), metadata },
          browser,
        );
        builds.push(performance.now() - started);
        pages = result.pages;
        timings = result.timings;
        singles.push(await singlePrint(browser, workDir, renderPrintBook(book, config, templates).preview()));
      }
    });
    const build = Math.min(...builds);
    const single = Math.min(...singles);
    console.log(`corpus: ${book.chapters.reduce((n, c) => n + c.articles.length, 0)} articles, ${pages} A5 pages (best of ${rounds})`);
    console.log(`  PDF build (render + text print + front matter print + join): ${s(build)}  [text ${s(timings.body)}, front matter ${s(timings.front)}, read+join ${s(timings.join)}]`);
    console.log(`  single Chromium print of the finished book HTML:            ${s(single)}`);
    console.log(`  ratio: ${(build / single).toFixed(2)} (bar: <= 1.25)`);

    // About 2,000 pages: the corpus twice, in a browser of its own so that its memory is its own.
    const big = doubled(book);
    let peakNode = 0;
    let peakChromium = 0;
    let pid = 0;
    const timer = setInterval(() => {
      peakNode = Math.max(peakNode, process.memoryUsage().rss);
      if (pid) peakChromium = Math.max(peakChromium, treeRss(pid));
    }, 250);
    try {
      const started = performance.now();
      const result = await withBrowser(async (browser) => {
        pid = browser.process()?.pid ?? 0;
        const print = renderPrintBook(big, config, templates);
        return writeBookPdf(
          { body: print.body, front: print.front, entries: print.entries, workDir, allowedRoots: [BUILTIN_STYLES], outFile: join(workDir, 'big.pdf'), metadata },
          browser,
        );
      });
      const ms = performance.now() - started;
      console.log(
        `large book: ${result.pages} pages in ${s(ms)} (launch included); peak RSS: Node ${mb(peakNode)}, Chromium ${mb(peakChromium)}; ` +
          `file ${mb(statSync(join(workDir, 'big.pdf')).size)}`,
      );
    } finally {
      clearInterval(timer);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
