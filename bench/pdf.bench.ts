/**
 * PDF: the corpus book's PDF build (text printed once, front matter printed alone, joined) against
 * one plain Chromium print of the same finished book HTML (the `--format html` preview), measured in
 * the same run with the same browser; then a book of about 2,000 pages (the corpus twice), its time
 * and the peak memory of Node and of Chromium (all its processes together).
 *
 * The bar: PDF build <= 1.25 x single print. The same corpus in the facing layout (printed on
 * spreads, each cut into two pages): <= 1.5 x that single print, at most 1.35 x its pages.
 */
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fontRoots } from '../src/assets/fonts.js';
import { copyAssets } from '../src/assets/images.js';
import { type Browser, openConfinedPage } from '../src/browser/index.js';
import { createFormatContext, FORMATS } from '../src/build.js';
import { compileBook } from '../src/compile/index.js';
import { loadConfig } from '../src/config/index.js';
import type { Format } from '../src/formats/format.js';
import { monochromeEmoji } from '../src/formats/pdf/print.js';
import type { Book } from '../src/model.js';
import { renderPrintHtml } from '../src/theme/print.js';
import { BUILTIN_STYLES } from '../src/theme/templates.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'theowenyoung', 'clip', 'content');

/** A plain print of one HTML file: load and print, as a user of Chromium would. */
async function singlePrint(browser: Browser, workDir: string, html: string): Promise<number> {
  const file = join(workDir, 'single.html');
  writeFileSync(file, monochromeEmoji(html));
  const page = await openConfinedPage(browser, [workDir, BUILTIN_STYLES, ...fontRoots()]);
  try {
    const started = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 0 });
    const stream = await page.createPDFStream({
      preferCSSPageSize: true,
      printBackground: true,
      outline: true,
      tagged: true,
      timeout: 0,
    });
    await pipeline(
      Readable.fromWeb(stream as unknown as WebReadableStream<Uint8Array>),
      createWriteStream(join(workDir, 'single.pdf')),
    );
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
  const workDir = mkdtempSync(join(tmpdir(), 'anthology-bench-pdf-'));
  // a PDF build (`--format pdf`); with an EPUB in the same build the print also marks every block for its page list
  const config = loadConfig({ bookDir: ROOT, content: CORPUS, out: workDir, formats: ['pdf'] });
  const book = compileBook(config);
  const ctx = createFormatContext(config, book, { cacheDir: false, report: () => undefined });
  try {
    await copyAssets(book.assets, workDir);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
    const singles: number[] = [];
    const builds: number[] = [];
    const facingBuilds: number[] = [];
    // The same book in the facing layout (issue 10's bar: <= 1.5 x the interleaved book's single print).
    const facingConfig = loadConfig({
      bookDir: ROOT,
      content: CORPUS,
      out: workDir,
      layout: 'facing',
      formats: ['pdf'],
    });
    const pageListConfig = loadConfig({
      bookDir: ROOT,
      content: CORPUS,
      out: workDir,
      formats: ['pdf', 'epub'],
    });
    const pageListCtx = { ...ctx, config: pageListConfig };
    const pageListBuilds: number[] = [];
    const facingBook = { ...compileBook(facingConfig), meta: { ...book.meta, slug: 'facing' } };
    const facingCtx = { ...ctx, config: facingConfig };
    let pages = 0;
    let facingPages = 0;
    for (let round = 0; round < rounds; round++) {
      // The build includes rendering the HTML; the single print gets its HTML for free.
      let started = performance.now();
      pages = (await (await FORMATS.pdf()).write(book, ctx)).pages ?? 0;
      builds.push(performance.now() - started);
      singles.push(
        await singlePrint(await ctx.browser.get(), workDir, renderPrintHtml(book, config, ctx.theme)),
      );
      started = performance.now();
      facingPages = (await (await FORMATS.pdf()).write(facingBook, facingCtx)).pages ?? 0;
      facingBuilds.push(performance.now() - started);
      started = performance.now();
      await (await FORMATS.pdf()).write(book, pageListCtx);
      pageListBuilds.push(performance.now() - started);
    }
    await ctx.close();
    const build = Math.min(...builds);
    const single = Math.min(...singles);
    console.log(
      `corpus: ${book.chapters.reduce((n, c) => n + c.articles.length, 0)} articles, ${pages} A5 pages (best of ${rounds})`,
    );
    console.log(`  PDF build (the pdf format: render + text print + front matter print + join): ${s(build)}`);
    console.log(`  single Chromium print of the finished book HTML:            ${s(single)}`);
    console.log(`  ratio: ${(build / single).toFixed(2)} (bar: <= 1.25)`);
    const pageList = Math.min(...pageListBuilds);
    console.log(
      `  the same with an EPUB in the build (every block marked for its page list): ${s(pageList)}, ${(pageList / single).toFixed(2)} x`,
    );
    const facing = Math.min(...facingBuilds);
    console.log(
      `  facing layout: ${facingPages} pages (${(facingPages / pages).toFixed(2)} x; bar <= 1.35), PDF build ${s(facing)}: ${(facing / single).toFixed(2)} x the single print (bar: <= 1.5)`,
    );

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
      // A context of its own: a browser launched for this book alone, so that its memory is its own.
      const bigCtx = createFormatContext(config, big, { cacheDir: false, report: () => undefined });
      const bigBook = { ...big, meta: { ...big.meta, slug: 'big' } };
      let result: Awaited<ReturnType<Format['write']>>;
      try {
        pid = (await bigCtx.browser.get()).process()?.pid ?? 0;
        result = await (await FORMATS.pdf()).write(bigBook, bigCtx);
      } finally {
        await bigCtx.close();
      }
      const ms = performance.now() - started;
      console.log(
        `large book: ${result.pages} pages in ${s(ms)} (launch included); peak RSS: Node ${mb(peakNode)}, Chromium ${mb(peakChromium)}; ` +
          `file ${mb(statSync(join(workDir, 'big.pdf')).size)}`,
      );
    } finally {
      clearInterval(timer);
    }
  } finally {
    await ctx.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
