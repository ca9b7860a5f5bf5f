/**
 * The sample anthology, built end to end with real Chromium, checked as a reader gets it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../src/browser/index.js';
import { type BuildResult, build } from '../src/index.js';
import { HAVE_EPUBCHECK, HAVE_POPPLER, ROOT, tempDir } from './helpers.js';
import { epubcheck, pdfFonts, pdfInfo, pdfOutline, pdfScale, pdfText, readEpub } from './inspect.js';

const SEED_EN = 'It’s over. Facebook is in decline';
const SEED_ZH = '社交媒体时代可能结束';

describe.skipIf(!chromiumAvailable())('the sample anthology', () => {
  let out: string;
  let result: BuildResult;
  let epub: string;
  let pdf: string;

  beforeAll(async () => {
    out = tempDir();
    result = await build({ bookDir: ROOT, out });
    epub = join(out, 'slow-reading.epub');
    pdf = join(out, 'slow-reading.pdf');
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes the EPUB and the PDF, named after the book', () => {
    // the PDF first: the EPUB's page list comes from it
    expect(result.files.map((f) => f.path)).toEqual([pdf, epub]);
    expect(result.book.chapters.map((c) => c.title)).toEqual(['随笔', '技艺']);
    expect(result.book.chapters.flatMap((c) => c.articles.map((a) => a.meta.title))).toEqual([
      '社交媒体时代即将结束',
      '慢慢读，读得更多',
      '小工具，大耐心',
    ]);
  });

  describe('EPUB', () => {
    it('starts with a stored mimetype', () => {
      const { entries, files } = readEpub(epub);
      expect(entries[0]).toEqual({ name: 'mimetype', method: 0, extraLength: 0 });
      expect(files.mimetype).toBe('application/epub+zip');
    });

    it('has one document per article, a nested navigation and the metadata', () => {
      const { files } = readEpub(epub);
      const opf = files['EPUB/content.opf']!;
      expect(opf).toContain('<dc:title id="title">慢读：双语文选</dc:title>');
      expect(opf).toMatch(/<dc:language>zh<\/dc:language>\s*<dc:language>en<\/dc:language>/);
      expect(opf).toMatch(/<dc:identifier id="[^"]+">urn:uuid:[0-9a-f-]{36}<\/dc:identifier>/);
      expect(opf).toContain('Anthology Editors');
      expect(opf).toContain('<dc:description>');
      const nav = files['EPUB/nav.xhtml']!;
      // Chapters, then their articles.
      expect(nav).toMatch(
        /随笔<\/a>\s*<ol>\s*<li><a href="a-the-age-of-social-media-is-ending\.xhtml">社交媒体时代即将结束<\/a>/,
      );
      expect(nav).toMatch(/技艺<\/a>\s*<ol>[\s\S]*慢慢读，读得更多[\s\S]*小工具，大耐心/);
      for (const id of ['a-the-age-of-social-media-is-ending', 'a-reading-slowly', 'a-small-tools'])
        expect(files[`EPUB/${id}.xhtml`]).toBeDefined();
    });

    it('marks the language of every block, original and translation', () => {
      const { files } = readEpub(epub);
      const article = files['EPUB/a-the-age-of-social-media-is-ending.xhtml']!;
      expect(article).toContain('lang="en" xml:lang="en"');
      expect(article).toContain('lang="zh" xml:lang="zh"');
      expect(article).toContain('It’s over. Facebook is');
      expect(article).toContain('结束了。');
      expect(article).not.toMatch(/&#x[0-9A-F]{4};/i);
      const opener = /<header class="article-opener">[\s\S]*?<\/header>/.exec(article)![0];
      expect(opener).toContain('The Age of Social Media Is Ending');
      expect(opener).toContain('Ian Bogost');
      expect(opener).toContain(
        'href="https://www.theatlantic.com/technology/archive/2022/11/twitter-facebook-social-media-decline/672074/"',
      );
      expect(opener).toContain('2022年12月1日');
    });

    it('embeds the image of the page bundle and keeps its alt text', () => {
      const { files, raw } = readEpub(epub);
      const doc = files['EPUB/a-reading-slowly.xhtml']!;
      const src = /<img [^>]*src="([^"]+)"/.exec(doc)![1]!;
      expect(doc).toContain('alt="Pages read per week, original and translation"');
      expect(raw[`EPUB/${src}`]!.length).toBeGreaterThan(1000);
    });

    it.skipIf(!HAVE_EPUBCHECK)('passes epubcheck with no errors and no warnings', () => {
      const check = epubcheck(epub);
      expect(check.messages).toEqual([]);
    });
  });

  describe.skipIf(!HAVE_POPPLER)('PDF', () => {
    it('is A5 and carries the title', () => {
      const info = pdfInfo(pdf);
      // Chromium rounds A5 to whole CSS pixels (420 x 594.96 pt); pdfinfo still names it A5.
      expect(info['Page size']).toMatch(/\(A5\)/);
      expect(info.Title).toBe('慢读：双语文选');
      expect(info.Tagged).toBe('yes');
    });

    it('embeds every font, none of Type 3', () => {
      const fonts = pdfFonts(pdf);
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) {
        expect(font.embedded, font.name).toBe(true);
        expect(font.type, font.name).not.toBe('Type 3');
      }
      expect(fonts.some((f) => f.name.includes('NotoSerifSC'))).toBe(true);
    });

    it('holds the seed article in English and Chinese', () => {
      const text = pdfText(pdf).replace(/\s+/g, ' ');
      expect(text).toContain(SEED_EN);
      expect(text.replace(/ /g, '')).toContain(SEED_ZH);
    });

    it('lists chapters and articles in the outline', () => {
      const outline = pdfOutline(pdf);
      const flat = JSON.stringify(outline);
      for (const title of ['随笔', '技艺', '社交媒体时代即将结束', '慢慢读，读得更多', '小工具，大耐心'])
        expect(flat).toContain(title);
    });

    it('prints at full scale', () => {
      expect(pdfScale(pdf)).toBeGreaterThanOrEqual(99.5);
    });
  });
});

describe('a book folder with its own templates and stylesheet', () => {
  it('uses them in place of the built-in ones, in the EPUB and the print HTML', async () => {
    const out = tempDir();
    const result = await build({
      bookDir: join(ROOT, 'test', 'fixtures', 'custom-look'),
      out,
      formats: ['epub', 'html'],
    });
    const { files } = readEpub(result.files[0]!.path);
    expect(files['EPUB/title-page.xhtml']).toContain('<p class="house-style">A house-style title page</p>');
    const article = Object.entries(files).find(([name]) => name.includes('a-piece'))![1];
    expect(article).toContain('<p class="house-byline">A. Writer</p>');
    expect(article).not.toContain('class="byline"');
    expect(files['EPUB/css/book.css']).toMatch(/\.house-style \{ font-variant: small-caps; \}\s*$/);
    const html = readFileSync(result.files[1]!.path, 'utf8');
    expect(html).toContain('A house-style title page');
    expect(html).toContain('.house-style { font-variant: small-caps; }');
    rmSync(out, { recursive: true, force: true });
  });
});
