import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FONT_FAMILIES, fontFaces, fontRoots } from '../../../src/assets/fonts.js';
import { FONT_STACK, fontFaceCss } from '../../../src/theme/fonts.js';
import { chromiumAvailable, withBrowser } from '../../../src/browser/index.js';
import { monochromeEmoji, parseDictEntries, pdfString, writePdf } from '../../../src/formats/pdf/print.js';
import { LONG_URL, PRINT_CSS_PATH, smallBookHtml } from '../../pdf-book.js';
import { pdfFonts, pdfInfo, pdfOutline, pdfScale, pdfText, type OutlineItem } from '../../inspect.js';


describe('fonts', () => {
  it('brings serif Latin, serif Chinese, mono, symbols, math and emoji faces in 400 and 700', () => {
    const faces = fontFaces();
    for (const family of Object.values(FONT_FAMILIES)) expect(faces.some((f) => f.family === family)).toBe(true);
    const weights = (family: string, style = 'normal') =>
      new Set(faces.filter((f) => f.family === family && f.style === style).map((f) => f.weight));
    expect(weights(FONT_FAMILIES.serifLatin)).toEqual(new Set([400, 700]));
    expect(weights(FONT_FAMILIES.serifLatin, 'italic')).toEqual(new Set([400, 700]));
    expect(weights(FONT_FAMILIES.serifCjk)).toEqual(new Set([400, 700]));
    expect(weights(FONT_FAMILIES.mono)).toEqual(new Set([400, 700]));
    // Chinese is split by unicode-range into many files, as fontsource ships it.
    expect(faces.filter((f) => f.family === FONT_FAMILIES.serifCjk && f.weight === 400).length).toBeGreaterThan(50);
    for (const face of faces) expect(existsSync(face.file)).toBe(true);
  });

  it('writes @font-face rules with the URLs the caller chooses', () => {
    const css = fontFaceCss({ urlFor: (p) => `fonts/${p.split('/').pop()}` });
    expect(css).toMatch(/@font-face \{ font-family: 'Noto Serif SC'; font-style: normal; font-weight: 400;/);
    expect(css).toMatch(/src: url\('fonts\/noto-serif-sc-\d+-400-normal\.woff2'\) format\('woff2'\)/);
    expect(css).toMatch(/unicode-range: U\+/);
    expect(css).not.toMatch(/\.\/files\//);
    expect(FONT_STACK.body.startsWith("'Noto Serif', 'Noto Serif SC'")).toBe(true);
    expect(FONT_STACK.mono.startsWith("'Noto Sans Mono'")).toBe(true);
    for (const face of fontFaces()) expect(fontRoots()).toContain(dirname(face.file));
  });

  it('ships TrueType outlines (glyf), which Chromium embeds as CID TrueType rather than Type 3', async () => {
    const { readFileSync } = await import('node:fs');
    for (const family of Object.values(FONT_FAMILIES)) {
      const face = fontFaces().find((f) => f.family === family && f.woffFile)!;
      const woff = readFileSync(face.woffFile!);
      const tables = Array.from({ length: woff.readUInt16BE(12) }, (_, k) => woff.toString('latin1', 44 + k * 20, 48 + k * 20));
      expect(tables, family).toContain('glyf');
      expect(tables, family).not.toContain('CFF ');
      expect(tables, `${family} must be static: Skia turns variable fonts into Type 3`).not.toContain('fvar');
    }
  });
});

describe('PDF document information', () => {
  it('encodes strings as literal ASCII or UTF-16BE hex', () => {
    expect(pdfString('A (b) \\c')).toBe('(A \\(b\\) \\\\c)');
    expect(pdfString('中')).toBe('<FEFF4E2D>');
  });

  it('drops VS16, which would pull a colour emoji (Type 3) from the system', () => {
    expect(monochromeEmoji('<p>\u2764\uFE0F ok</p>')).toBe('<p>\u2764 ok</p>');
    expect(monochromeEmoji('plain')).toBe('plain');
  });

  it('parses dictionaries with nested values and escaped parentheses', () => {
    const entries = parseDictEntries(
      '<</Title (a \\(b\\) c)\n/Creator (x (y) z)\n/MarkInfo <</Type /MarkInfo\n/Marked true>>\n/Kids [2 0 R (s]) 3 0 R]\n/Root 18 0 R\n/Lang <FEFF4E2D>\n/N 3>>',
    );
    expect(entries).toEqual([
      ['Title', '(a \\(b\\) c)'],
      ['Creator', '(x (y) z)'],
      ['MarkInfo', '<</Type /MarkInfo\n/Marked true>>'],
      ['Kids', '[2 0 R (s]) 3 0 R]'],
      ['Root', '18 0 R'],
      ['Lang', '<FEFF4E2D>'],
      ['N', '3'],
    ]);
  });
});

const haveChromium = chromiumAvailable();

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

function outlineTitles(pdf: string): string[] {
  const titles: string[] = [];
  const walk = (items: OutlineItem[]) => items.forEach((o) => (titles.push(o.title), walk(o.kids)));
  walk(pdfOutline(pdf));
  return titles;
}

describe.skipIf(!haveChromium)('writePdf on a small bilingual book', () => {
  let dir: string;
  let pdf: string;
  let result: Awaited<ReturnType<typeof writePdf>>;
  let ms = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'anthology-pdf-'));
    pdf = join(dir, 'out', 'book.pdf');
    const started = Date.now();
    result = await writePdf({
      html: smallBookHtml(),
      workDir: join(dir, 'work'),
      allowedRoots: [dirname(PRINT_CSS_PATH), ...fontRoots()],
      outFile: pdf,
      metadata: { title: '双语文集 A Bilingual Book', author: '张三, Jane Doe', language: 'zh-Hans', subject: 'A test', keywords: ['bilingual', '双语'] },
    });
    ms = Date.now() - started;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the file atomically and reports the pages', () => {
    expect(existsSync(pdf)).toBe(true);
    expect(readdirSync(dirname(pdf))).toEqual(['book.pdf']);
    expect(result.pages).toBeGreaterThanOrEqual(6);
    expect(result.blocked).toEqual([]);
    expect(ms).toBeLessThan(60_000);
  });

  it('embeds every font as a TrueType subset, none of Type 3, all of them ours', () => {
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    const names = new Set<string>();
    for (const font of fonts) {
      names.add(font.name.replace(/^[A-Z]{6}\+/, '').replace(/-.*/, ''));
      expect(font.type, font.name).toBe('CID TrueType');
      expect(font.embedded, font.name).toBe(true);
    }
    expect([...names].every((n) => n.startsWith('Noto'))).toBe(true);
    expect(names).toContain('NotoSerif');
    expect(names).toContain('NotoSansMono');
    expect([...names].some((n) => n.startsWith('NotoSerifSC'))).toBe(true);
    expect(names).toContain('NotoEmoji');
    expect(names).toContain('NotoSansSymbols2');
    expect(names).toContain('NotoSansMath');
  });

  it('is A5 and carries the metadata', () => {
    const info = pdfInfo(pdf);
    const size = /([\d.]+) x ([\d.]+) pts/.exec(info['Page size']!)!;
    // A5 is 419.53 x 595.28 pt; Chromium snaps the page to whole CSS pixels (420 x 594.96).
    expect(Math.abs(Number(size[1]) - 419.53)).toBeLessThan(1);
    expect(Math.abs(Number(size[2]) - 595.28)).toBeLessThan(1);
    expect(info['Title']).toBe('双语文集 A Bilingual Book');
    expect(info['Author']).toBe('张三, Jane Doe');
    expect(info['Subject']).toBe('A test');
    expect(info['Keywords']).toBe('bilingual, 双语');
    expect(info['Tagged']).toBe('yes');
    const catalog = JSON.parse(run('qpdf', ['--json', '--json-key=qpdf', pdf])).qpdf[1] as Record<string, { value?: Record<string, unknown> }>;
    const cat = Object.values(catalog).find((o) => o.value?.['/Type'] === '/Catalog')!.value!;
    expect(cat['/Lang']).toBe('u:zh-Hans');
    expect(cat['/StructTreeRoot']).toBeTruthy();
    expect(cat['/Outlines']).toBeTruthy();
    expect(run('qpdf', ['--check', pdf])).toMatch(/No syntax or stream encoding errors/);
  });

  it('holds the English and the Chinese text, the code and the long URL', () => {
    const text = pdfText(pdf);
    expect(text).toContain('Paragraph 1 of The First Article');
    expect(text).toContain('敏捷的棕色狐狸跳过了懒狗');
    expect(text).toContain('中文注释');
    expect(text).toContain('console.log');
    expect(text.replace(/\s+/g, '')).toContain(LONG_URL.slice(0, 60));
  });

  it('has bookmarks for the h1 and h2 titles', () => {
    const titles = outlineTitles(pdf);
    expect(titles).toContain('第一章 Chapter One');
    expect(titles).toContain('第一篇文章');
    expect(titles).toContain('第二篇文章');
    expect(titles).toContain('目录');
  });

  it('prints at full scale although a URL and a code line are wider than the page', () => {
    expect(pdfScale(pdf)).toBeGreaterThanOrEqual(99.5);
  });

  it('numbers pages at the outer corner but not the title page or the chapter opener', () => {
    const pages = pdfText(pdf, { layout: true }).split('\f').filter((p) => p.trim());
    const last = (p: string) => p.trimEnd().split('\n').pop()!;
    expect(last(pages[0]!)).not.toMatch(/^\s*\d+\s*$/);
    // Page 3 is the chapter opener (no folio); page 4 a left-hand page: its number at the left;
    // page 5 a right-hand page: its number at the right.
    expect(last(pages[2]!)).not.toMatch(/\d\s*$/);
    expect(last(pages[3]!)).toMatch(/^\s*4\s*$/);
    expect(last(pages[3]!).indexOf('4')).toBeLessThan(10);
    expect(last(pages[4]!)).toMatch(/\S.*\s5$|^\s{10,}5$/);
  });
});

describe.skipIf(!haveChromium)('writePdf confinement', () => {
  it('aborts network and outside-file requests and still builds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anthology-pdf-confined-'));
    try {
      const outside = join(dir, 'outside.png');
      writeFileSync(outside, 'not really a png');
      const tail = `<figure><img src="http://example.com/remote.png" alt="remote"/></figure>
<figure><img src="${pathToFileURL(outside).href}" alt="outside"/></figure>`;
      const out = join(dir, 'book.pdf');
      const result = await withBrowser((browser) =>
        writePdf(
          {
            html: smallBookHtml({ tail }),
            workDir: join(dir, 'work'),
            allowedRoots: [dirname(PRINT_CSS_PATH)],
            outFile: out,
            metadata: { title: 'Confined', language: 'en' },
          },
          browser,
        ),
      );
      expect(result.blocked).toContain('http://example.com/remote.png');
      expect(result.blocked).toContain(pathToFileURL(outside).href);
      expect(existsSync(out)).toBe(true);
      expect(pdfInfo(out)['Title']).toBe('Confined');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('the scale check sees the shrink Chromium does when a code line cannot wrap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anthology-pdf-shrink-'));
    try {
      const out = join(dir, 'book.pdf');
      const html = smallBookHtml().replace('</style>', 'pre { white-space: pre !important; }</style>');
      await writePdf({ html, workDir: join(dir, 'work'), allowedRoots: [], outFile: out, metadata: { title: 'x', language: 'en' } });
      expect(pdfScale(out)).toBeLessThan(99);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('never leaves a file behind when printing fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anthology-pdf-fail-'));
    try {
      const out = join(dir, 'book.pdf');
      writeFileSync(out, 'previous good file');
      await expect(
        withBrowser(async (browser) => {
          await browser.close(); // the browser dies before the print
          return writePdf({ html: '<html></html>', workDir: join(dir, 'work'), allowedRoots: [], outFile: out, metadata: { title: 'x', language: 'en' } }, browser);
        }),
      ).rejects.toThrow();
      expect(readdirSync(dir).sort()).toEqual(['book.pdf', 'work']);
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(out, 'utf8')).toBe('previous good file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
