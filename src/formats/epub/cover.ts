/**
 * The EPUB cover: the book's own image (`[book] cover`), or one made from the `cover` template
 * (title, subtitle, editors, date) and rendered by Chromium to a 1600x2560 JPEG.
 *
 * A Chromium screenshot is not promised to be the same bytes on another machine or another
 * Chromium, so the rendered cover is cached under a key made of the template's output (the HTML,
 * which holds every input) and the size: the same book gives the same cover bytes from then on,
 * and a warm build starts no browser at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Cache, cacheKey } from '../../assets/cache.js';
import { checkImage } from '../../assets/check.js';
import { fontRoots } from '../../assets/fonts.js';
import { sniffImageType } from '../../assets/images.js';
import { type BrowserPool, openConfinedPage } from '../../browser/index.js';
import { temporaryFolder } from '../../fs/cleanup.js';
import type { BookMeta } from '../../model.js';
import { FONT_STACK, fontFaceCss } from '../../theme/fonts.js';
import type { Theme } from '../../theme/index.js';
import { formatDate } from '../../theme/strings.js';

const COVER_WIDTH = 1600;
const COVER_HEIGHT = 2560;
const COVER_VERSION = '1';
const COVER_TIMEOUT_MS = 120_000;

export interface CoverImage {
  data: Uint8Array;
  mediaType: string;
  /** Where it goes in the book. */
  href: string;
  width: number;
  height: number;
  /** True when it was made from the template. */
  generated: boolean;
}

/** The book's own cover file, checked: undefined with a message when it cannot be used. */
export async function coverFromFile(path: string): Promise<{ cover?: CoverImage; problem?: string }> {
  if (!existsSync(path)) return { problem: `cover image not found: ${path}` };
  const mediaType = sniffImageType(path);
  if (mediaType !== 'image/jpeg' && mediaType !== 'image/png')
    return { problem: `cover image must be a JPEG or PNG file: ${path}` };
  const data = readFileSync(path);
  const check = checkImage(data, mediaType);
  if (!check.ok) return { problem: `cover image cannot be used: ${path}: ${check.reason}` };
  const { default: sharp } = await import('sharp');
  const meta = await sharp(data).metadata();
  const href = mediaType === 'image/png' ? 'images/cover.png' : 'images/cover.jpg';
  return {
    cover: {
      data,
      mediaType,
      href,
      width: meta.width ?? COVER_WIDTH,
      height: meta.height ?? COVER_HEIGHT,
      generated: false,
    },
  };
}

/** The cover page's HTML from the `cover` template (the book's own `cover.hbs` when it has one). */
function coverHtml(meta: BookMeta, theme: Theme): string {
  const { strings, templates } = theme;
  const editorLine = meta.editors.length
    ? `${meta.editors.join(', ')} ${strings.edited}`
    : meta.authors.join(', ');
  const titleLength = [...meta.title].length;
  const cjk = /[\u3000-\u9fff]/.test(meta.title);
  const titleSize = cjk
    ? titleLength <= 8
      ? 180
      : titleLength <= 14
        ? 140
        : 110
    : titleLength <= 20
      ? 150
      : titleLength <= 40
        ? 120
        : 96;
  return templates.render('cover', {
    book: meta,
    lang: meta.language,
    editorLine,
    dateLine: meta.date ? formatDate(meta.date, meta.language) : undefined,
    width: COVER_WIDTH,
    height: COVER_HEIGHT,
    titleSize,
    fontStack: meta.language.startsWith('zh') ? FONT_STACK.zh : FONT_STACK.body,
    fontCss: fontFaceCss({ urlFor: (path) => pathToFileURL(path).href }),
  });
}

/** The generated cover: from the cache, else rendered by Chromium (and cached). */
export async function generatedCover(
  meta: BookMeta,
  theme: Theme,
  cache: Cache,
  browser: BrowserPool,
): Promise<CoverImage> {
  const html = coverHtml(meta, theme);
  const key = cacheKey(COVER_VERSION, String(COVER_WIDTH), String(COVER_HEIGHT), html);
  const cover = (data: Uint8Array): CoverImage => ({
    data,
    mediaType: 'image/jpeg',
    href: 'images/cover.jpg',
    width: COVER_WIDTH,
    height: COVER_HEIGHT,
    generated: true,
  });
  const hit = await cache.get('cover', key, '.jpg');
  if (hit) return cover(hit);
  if (!browser.available())
    throw new Error(
      'Chromium, which draws the cover, was not found (set ANTHOLOGY_CHROMIUM, or set [book] cover)',
    );
  const data = await renderCover(html, browser);
  await cache.put('cover', key, '.jpg', data);
  return cover(data);
}

async function renderCover(html: string, browser: BrowserPool): Promise<Uint8Array> {
  const { default: sharp } = await import('sharp');
  const folder = temporaryFolder('cover');
  const dir = folder.path;
  try {
    const file = join(dir, 'cover.html');
    await writeFile(file, html);
    const page = await openConfinedPage(await browser.get(), [dir, ...fontRoots()]);
    let png: Uint8Array;
    try {
      page.setDefaultTimeout(COVER_TIMEOUT_MS);
      await page.setViewport({ width: COVER_WIDTH, height: COVER_HEIGHT, deviceScaleFactor: 1 });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: COVER_TIMEOUT_MS });
      await page.evaluateHandle('document.fonts.ready').catch(() => undefined);
      png = await page.screenshot({
        type: 'png',
        clip: { x: 0, y: 0, width: COVER_WIDTH, height: COVER_HEIGHT },
      });
    } finally {
      await page.close().catch(() => undefined);
    }
    return await sharp(png)
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 85, mozjpeg: true })
      .toBuffer();
  } finally {
    folder.remove();
  }
}
