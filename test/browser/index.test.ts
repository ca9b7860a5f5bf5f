import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockedRequests,
  chromiumAvailable,
  findChromium,
  isAllowedUrl,
  openConfinedPage,
  withBrowser,
} from '../../src/browser/index.js';
import { AnthologyError } from '../../src/errors.js';

describe('findChromium', () => {
  const none = (): boolean => false;

  it('honours ANTHOLOGY_CHROMIUM before everything else', () => {
    const env = {
      ANTHOLOGY_CHROMIUM: '/opt/my/chrome',
      PUPPETEER_EXECUTABLE_PATH: '/other',
      CHROME_PATH: '/third',
    };
    expect(findChromium(env, (p) => p === '/opt/my/chrome' || p === '/usr/bin/chromium')).toBe(
      '/opt/my/chrome',
    );
  });

  it('then PUPPETEER_EXECUTABLE_PATH, then CHROME_PATH', () => {
    expect(findChromium({ PUPPETEER_EXECUTABLE_PATH: '/p', CHROME_PATH: '/c' }, () => true)).toBe('/p');
    expect(findChromium({ CHROME_PATH: '/c' }, () => true)).toBe('/c');
  });

  it('falls back to the usual install locations in order', () => {
    expect(findChromium({}, (p) => p === '/usr/bin/google-chrome')).toBe('/usr/bin/google-chrome');
    expect(findChromium({}, (p) => p === '/usr/bin/chromium' || p === '/usr/bin/google-chrome')).toBe(
      '/usr/bin/chromium',
    );
    expect(
      findChromium({}, (p) => p === '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
    ).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
  });

  it('throws a helpful AnthologyError when nothing is found', () => {
    let error: unknown;
    try {
      findChromium({}, none);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnthologyError);
    const message = (error as Error).message;
    expect(message).toMatch(/Chromium was not found/);
    expect(message).toMatch(/apt-get install chromium/);
    expect(message).toMatch(/ANTHOLOGY_CHROMIUM/);
  });

  it('says so when an override points at nothing', () => {
    expect(() => findChromium({ ANTHOLOGY_CHROMIUM: '/nope/chrome' }, none)).toThrow(
      /ANTHOLOGY_CHROMIUM is set to \/nope\/chrome/,
    );
  });
});

describe('isAllowedUrl', () => {
  let dir: string;
  let book: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anthology-allowed-'));
    book = join(dir, 'book');
    mkdirSync(join(book, 'img'), { recursive: true });
    writeFileSync(join(book, 'img', 'a.png'), 'x');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    symlinkSync(join(dir, 'secret.txt'), join(book, 'img', 'link.png'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('allows data: URLs and files inside a root', async () => {
    expect(await isAllowedUrl('data:image/png;base64,AAAA', [book])).toBe(true);
    expect(await isAllowedUrl(pathToFileURL(join(book, 'img', 'a.png')).href, [book])).toBe(true);
  });

  it('refuses the network, files outside, `..` and symlinks that lead outside', async () => {
    expect(await isAllowedUrl('http://example.com/a.png', [book])).toBe(false);
    expect(await isAllowedUrl('https://example.com/a.png', [book])).toBe(false);
    expect(await isAllowedUrl(pathToFileURL(join(dir, 'secret.txt')).href, [book])).toBe(false);
    expect(await isAllowedUrl(`file://${book}/img/%2e%2e/%2e%2e/secret.txt`, [book])).toBe(false);
    expect(await isAllowedUrl(`file://${book}/../secret.txt`, [book])).toBe(false);
    expect(await isAllowedUrl(pathToFileURL(join(book, 'img', 'link.png')).href, [book])).toBe(false);
    expect(await isAllowedUrl(pathToFileURL(join(book, 'missing.png')).href, [book])).toBe(false);
    expect(await isAllowedUrl(`file://${book}-sibling/x.png`, [book])).toBe(false);
    expect(await isAllowedUrl('file://remote-host/etc/passwd', ['/'])).toBe(false);
  });
});

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('the browser', () => {
  it('always closes and removes its profile, even when the work throws', async () => {
    let profile = '';
    await expect(
      withBrowser(async (browser) => {
        const args = browser.process()?.spawnargs ?? [];
        profile = args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length) ?? '';
        expect(existsSync(profile)).toBe(true);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(profile).not.toBe('');
    expect(existsSync(profile)).toBe(false);
  }, 60_000);

  it('a confined page runs no script and loads nothing from the network or outside its roots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anthology-confined-'));
    try {
      const book = join(dir, 'book');
      mkdirSync(book);
      writeFileSync(join(dir, 'outside.css'), 'body { color: red }');
      const pixel =
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      writeFileSync(join(book, 'ok.png'), Buffer.from(pixel, 'base64'));
      writeFileSync(
        join(book, 'index.html'),
        `<html><head><link rel="stylesheet" href="${pathToFileURL(join(dir, 'outside.css')).href}"></head><body>
<p id="t">static</p>
<img src="ok.png"><img src="http://example.com/remote.png"><img src="https://example.com/remote2.png">
<img src="../outside.css"><img src="data:image/png;base64,${pixel}">
<script>document.getElementById('t').textContent = 'script ran';</script>
</body></html>`,
      );
      await withBrowser(async (browser) => {
        const page = await openConfinedPage(browser, [book]);
        await page.goto(pathToFileURL(join(book, 'index.html')).href, { waitUntil: 'load' });
        const blocked = blockedRequests(page);
        expect(blocked).toContain('http://example.com/remote.png');
        expect(blocked).toContain('https://example.com/remote2.png');
        expect(blocked).toContain(pathToFileURL(join(dir, 'outside.css')).href);
        expect(blocked.some((u) => u.startsWith('file:') && u.includes('book/ok.png'))).toBe(false);
        expect(blocked.some((u) => u.startsWith('data:'))).toBe(false);
        const pdf = await page.pdf();
        expect(pdf.length).toBeGreaterThan(500);
        // The page's own script did not run (puppeteer's evaluate runs in an isolated world).
        const text = await page.$eval('#t', (el) => el.textContent);
        expect(text).toBe('static');
        await page.close();
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
