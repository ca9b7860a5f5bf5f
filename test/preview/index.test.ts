/**
 * `anthology preview`: the server (127.0.0.1 only, the book's own files only), the problems
 * marked at their blocks, rebuilds on change; and, in a real Chromium, a page that updates by
 * itself when an article is edited on disk, keeping its scroll position.
 */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, chromiumAvailable, findChromium } from '../../src/browser/index.js';
import { type PreviewEvent, type PreviewServer, startPreview } from '../../src/preview/index.js';
import { resolveBookFile } from '../../src/preview/paths.js';
import { BookTest } from '../book-test.js';
import { ROOT, tempDir } from '../helpers.js';

/**
 * A Chromium like the build's, except that it may reach the preview on 127.0.0.1 (the build's
 * resolves every host, literal addresses too, to nothing).
 */
async function withPreviewBrowser<T>(
  fn: (browser: import('puppeteer-core').Browser) => Promise<T>,
): Promise<T> {
  const { default: puppeteer } = await import('puppeteer-core');
  const flags = CHROMIUM_FLAGS.map((f) =>
    f.startsWith('--host-resolver-rules=') ? `${f}, EXCLUDE 127.0.0.1` : f,
  );
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless: true,
    ignoreDefaultArgs: true,
    args: [...flags, `--user-data-dir=${tempDir('anthology-chromium-')}`, 'about:blank'],
  });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

const PNG = readFileSync(join(ROOT, 'content', 'craft', 'reading-slowly', 'pages-per-week.png'));
const EN = 'A slow reader notices how a sentence is built, where it turns, and what it leaves unsaid.';
const ZH = '慢读的人会注意到一个句子是怎样搭起来的，在哪里转折，又留下了什么没有说。';

/** An article whose third block (line 10 of the file) is the pair the tests break and mend. */
function article(options: { translated?: boolean; image?: string } = {}): string {
  const filler = Array.from(
    { length: 30 },
    (_, i) =>
      `Filler paragraph ${i} keeps the page long enough to scroll far down.\n\n填充段落${i}让页面足够长，可以向下滚动很远。\n`,
  ).join('\n');
  return `---
title: "慢慢读"
---

First paragraph, in English, for the opening pair.

第一段，中文，开头的一对。

${EN}

${options.translated === false ? '' : `${ZH}\n`}
![A chart of pages per week](${options.image ?? 'chart.png'})

${filler}`;
}

function fixtureBook(): BookTest {
  return BookTest.create().article('reading/index.md', article()).file('content/reading/chart.png', PNG);
}

/** GET with the path sent exactly as given (no URL normalisation). */
function get(
  url: string,
  path: string,
  hostHeader?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', headers: hostHeader ? { Host: hostHeader } : {} },
      (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (c: string) => (body += c))
          .on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject).end();
  });
}

let servers: PreviewServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function preview(t: BookTest, events: PreviewEvent[] = []): Promise<PreviewServer> {
  const server = await startPreview({ bookDir: t.dir, onEvent: (e) => events.push(e) });
  servers.push(server);
  return server;
}

function nextEvent(events: PreviewEvent[], count: number, timeoutMs = 10_000): Promise<PreviewEvent> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (events.length > count) {
        clearInterval(poll);
        resolve(events[events.length - 1]!);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error('no rebuild'));
      }
    }, 10);
  });
}

describe('the preview server', () => {
  it('listens on 127.0.0.1 only, shows the contents and the article, and loads nothing from elsewhere', async () => {
    const server = await preview(fixtureBook());
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const contents = await get(server.url, '/');
    expect(contents.status).toBe(200);
    expect(contents.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(contents.body).toContain('href="/a/a-reading"');
    const page = await get(server.url, '/a/a-reading');
    expect(page.body).toContain(EN);
    expect(page.body).not.toMatch(/(src|href)="https?:/);
    expect((await get(server.url, '/a/a-reading?layout=side-by-side')).body).toContain('layout-side-by-side');
    // facing is for print: the e-reader view shows it side by side
    expect((await get(server.url, '/a/a-reading?layout=facing')).body).toContain('layout-side-by-side');
    const image = /<img[^>]*src="(images\/[^"]+)"/.exec(page.body)![1]!;
    expect((await get(server.url, `/a/${image}`)).status).toBe(200);
    const print = await get(server.url, '/print');
    expect(print.body).toContain('@page');
    expect(print.body).not.toContain('file://');
    expect((await get(server.url, '/_preview/font/0')).status).toBe(200);
  });

  it("serves the book folder's files and refuses /../, %2e%2e/, absolute paths, hidden files and symlinks out of the book", async () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    const t = fixtureBook();
    symlinkSync(outside, join(t.dir, 'linked'));
    symlinkSync(join(outside, 'secret.txt'), join(t.dir, 'content', 'secret.md'));
    t.file('.env', 'TOKEN=1');
    const server = await preview(t);
    expect((await get(server.url, '/content/reading/chart.png')).status).toBe(200);
    for (const path of [
      '/../secret.txt',
      '/content/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/content/%2e%2e/%2e%2e/etc/passwd',
      '/%252e%252e/secret.txt',
      `/${outside}/secret.txt`,
      `//${outside.slice(1)}/secret.txt`,
      '/..%5csecret.txt',
      '/linked/secret.txt',
      '/content/secret.md',
      '/.env',
      '/%2eenv',
      '/%zz',
    ]) {
      const response = await get(server.url, path);
      expect([400, 403, 404], path).toContain(response.status);
      expect(response.body, path).not.toContain('secret');
    }
  });

  it('answers only requests made to this machine by its names (no DNS rebinding), and says plainly when its port is taken', async () => {
    const t = fixtureBook();
    const server = await preview(t);
    const { port } = new URL(server.url);
    expect((await get(server.url, '/', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await get(server.url, '/', `localhost:${port}`)).status).toBe(200);
    for (const host of [
      `evil.example.com:${port}`,
      'evil.example.com',
      `127.0.0.1.evil.example.com:${port}`,
    ]) {
      const response = await get(server.url, '/book.toml', host);
      expect(response.status, host).toBe(403);
      expect(response.body, host).not.toContain('[book]');
    }
    await expect(startPreview({ bookDir: t.dir, port: Number(port) })).rejects.toThrow(
      new RegExp(`port ${port} on 127.0.0.1 is in use`),
    );
  });

  it('resolves paths without normalising them first', () => {
    const root = fixtureBook().dir;
    expect(resolveBookFile('/content/reading/chart.png', root).ok).toBe(true);
    expect(resolveBookFile('/content/./reading/chart.png', root)).toMatchObject({ ok: false, status: 403 });
    expect(resolveBookFile('/content/reading/../reading/chart.png', root)).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it('marks every problem at its block with code and file:line, per article and on the contents page; rebuilds on change', async () => {
    const t = fixtureBook();
    const events: PreviewEvent[] = [];
    const server = await preview(t, events);
    expect((await get(server.url, '/a/a-reading')).body).not.toContain('class="preview-block has-problem"');
    const before = events.length;
    t.article('reading/index.md', article({ translated: false, image: 'chart-renamed.png' }));
    const event = await nextEvent(events, before);
    expect(event).toMatchObject({ type: 'rebuilt', articles: { parsed: 1 } });
    const page = (await get(server.url, '/a/a-reading')).body;
    const marked = [
      ...page.matchAll(/<div class="preview-block has-problem" id="line-(\d+)" data-line="\d+">/g),
    ].map((m) => Number(m[1]));
    const source = readFileSync(join(t.dir, 'content', 'reading', 'index.md'), 'utf8').split('\n');
    const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;
    expect(marked).toEqual([lineOf(EN), lineOf('chart-renamed.png')]);
    expect(page).toContain(`<code>pair/untranslated</code> content/reading/index.md:${lineOf(EN)}`);
    expect(page).toMatch(/<code>image\/missing<\/code> content\/reading\/index\.md:\d+/);
    const contents = (await get(server.url, '/')).body;
    expect(contents).toContain(`/a/a-reading#line-${lineOf(EN)}`);
    expect(contents).toContain('image/missing');
  });

  it('shows a book.toml that does not parse on the page and keeps the last good book', async () => {
    const t = fixtureBook();
    const events: PreviewEvent[] = [];
    const server = await preview(t, events);
    const before = events.length;
    t.toml('[book\ntitle = 1');
    expect(await nextEvent(events, before)).toMatchObject({ type: 'failed' });
    const page = (await get(server.url, '/a/a-reading')).body;
    expect(page).toContain('preview-error');
    expect(page).toContain('book.toml');
    expect(page).toContain(EN);
  });
});

describe.skipIf(!chromiumAvailable())('the preview in Chromium', () => {
  it('updates by itself when a translation is removed and an image renamed, marks them at their blocks, keeps the scroll, and clears the marks when mended', async () => {
    const t = fixtureBook();
    const server = await preview(t);
    await withPreviewBrowser(async (browser) => {
      const page = await browser.newPage();
      const offsite: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) offsite.push(r.url());
      });
      await page.setViewport({ width: 800, height: 500 });
      await page.goto(`${server.url}a/a-reading`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.getElementById('preview-status')?.textContent === 'live');
      expect(await page.$('.has-problem')).toBeNull();
      await page.evaluate(() => window.scrollTo(0, 1500));
      const scrolled = await page.evaluate(() => window.scrollY);
      expect(scrolled).toBeGreaterThan(1000);

      t.article('reading/index.md', article({ translated: false, image: 'chart-renamed.png' }));
      await page.waitForSelector('.preview-block.has-problem [data-code="pair/untranslated"]', {
        timeout: 15_000,
      });
      await page.waitForSelector('.preview-block.has-problem [data-code="image/missing"]', {
        timeout: 15_000,
      });
      const marked = await page.$$eval('.preview-block.has-problem', (blocks) =>
        blocks.map((b) => ({ line: Number(b.getAttribute('data-line')), text: b.textContent ?? '' })),
      );
      expect(marked[0]!.text).toContain('A slow reader notices');
      expect(marked[0]!.text).toMatch(/pair\/untranslated content\/reading\/index\.md:\d+/);
      expect(marked[1]!.text).toContain('image/missing');
      expect(Math.abs((await page.evaluate(() => window.scrollY)) - scrolled)).toBeLessThan(5);

      t.article('reading/index.md', article());
      await page.waitForFunction(() => document.querySelectorAll('.has-problem').length === 0, {
        timeout: 15_000,
      });
      expect(await page.evaluate(() => document.body.textContent)).toContain('慢读的人会注意到');
      expect(offsite).toEqual([]);
    });
  }, 120_000);
});
