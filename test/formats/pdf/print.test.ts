/**
 * Printing (formats/pdf/print.ts) on a small bilingual book made from Markdown: fonts, page size,
 * metadata, text, bookmarks, folios, full scale; confinement; nothing left behind on failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, withBrowser } from '../../../src/browser/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { monochromeEmoji, writeBookPdf } from '../../../src/formats/pdf/print.js';
import { loadTheme } from '../../../src/theme/index.js';
import { renderPrintBook } from '../../../src/theme/print.js';
import { BookTest } from '../../book-test.js';
import { HAVE_POPPLER } from '../../helpers.js';
import { type OutlineItem, pdfFonts, pdfInfo, pdfOutline, pdfScale, pdfText } from '../../inspect.js';

const LONG_URL = `https://example.com/a/very/long/path/that/never/ends/${'segment-without-any-break-'.repeat(12)}end.html`;
const WIDE_CODE_LINE = `const x = ${'"abcdefghij"+'.repeat(30)}"z";`;

const paragraphs = (title: string, n: number): string =>
  Array.from({ length: n }, (_, k) =>
    [
      `Paragraph ${k + 1} of ${title}: the quick brown fox jumps over the lazy dog, and keeps running across the page until the line wraps at least once or twice.`,
      '',
      `${title} 的第 ${k + 1} 段：敏捷的棕色狐狸跳过了懒狗，然后一直跑过整页，直到这一行至少折行一两次。“引号”、（括号）和《书名》都要正确排版。`,
      '',
    ].join('\n'),
  ).join('\n');

/** Two articles in one chapter: pairs, a code block with Chinese and a line wider than the page, a long URL, symbols and emoji. */
function smallBook(): BookTest {
  return BookTest.create('anthology-pdf-')
    .toml(
      '[book]\ntitle = "双语文集"\nsubtitle = "A Bilingual Book"\neditors = ["张三", "Jane Doe"]\nlanguage = "zh-Hans"\ndescription = "A test"\n',
    )
    .article(
      'one/first.md',
      `${paragraphs('The First Article', 6)}\n\`\`\`js\n// 打印“你好，世界”\nfunction greet(name) {\n  console.log(\`你好，\${name}！\`); // 中文注释 → ✓\n}\n${WIDE_CODE_LINE}\n\`\`\`\n\nSource: <${LONG_URL}>\n`,
      {
        title: '第一篇文章',
        date: '2023-01-26',
        tags: ['bilingual'],
        extra: { original_title: 'The First Article', author: 'Jane Doe' },
      },
    )
    .article(
      'one/second.md',
      `${paragraphs('The Second Article', 4)}\nSymbols ★ ☑ ⇄ ∑ ∞ ≠ ∮ 𝔸, emoji 😀 🚀 and with VS16 ❤\uFE0F ©\uFE0F 1\uFE0F\u20E3.\n`,
      {
        title: '第二篇文章',
        date: '2023-01-27',
        tags: ['双语'],
        extra: { original_title: 'The Second Article' },
      },
    );
}

function outlineTitles(pdf: string): string[] {
  const titles: string[] = [];
  const walk = (items: OutlineItem[]): void => {
    for (const o of items) {
      titles.push(o.title);
      walk(o.kids);
    }
  };
  walk(pdfOutline(pdf));
  return titles;
}

const canPrint = chromiumAvailable() && HAVE_POPPLER;

describe('monochromeEmoji', () => {
  it('drops VS16, which would pull a colour emoji (Type 3) from the system', () => {
    expect(monochromeEmoji('<p>\u2764\uFE0F ok</p>')).toBe('<p>\u2764 ok</p>');
    expect(monochromeEmoji('plain')).toBe('plain');
  });
});

describe.skipIf(!canPrint)('a small bilingual book, printed', () => {
  const book = smallBook();
  let pdf: string;
  let pages = 0;
  beforeAll(async () => {
    const { file } = await book.write('pdf', { cacheDir: false });
    pdf = file.path;
    pages = file.pages ?? 0;
  }, 120_000);
  afterAll(() => book.remove());

  it('writes the file atomically and reports the pages', () => {
    // The title has no Latin letters: the file is named `book`; no temporary file stays.
    expect(readdirSync(book.out)).toEqual(['book.pdf']);
    expect(pages).toBe(Number(pdfInfo(pdf).Pages));
    expect(pages).toBeGreaterThanOrEqual(6);
  });

  it('embeds every font as a TrueType subset, none of Type 3, all of them ours', () => {
    const names = new Set<string>();
    for (const font of pdfFonts(pdf)) {
      names.add(font.name.replace(/^[A-Z]{6}\+/, '').replace(/-.*/, ''));
      expect(font.type, font.name).toBe('CID TrueType');
      expect(font.embedded, font.name).toBe(true);
    }
    expect(
      [...names].every((n) => n.startsWith('Noto')),
      [...names].join(', '),
    ).toBe(true);
    for (const name of ['NotoSerif', 'NotoSansMono', 'NotoEmoji', 'NotoSansSymbols2', 'NotoSansMath'])
      expect(names).toContain(name);
    expect([...names].some((n) => n.startsWith('NotoSerifSC'))).toBe(true);
  });

  it('is A5 and carries the metadata', () => {
    const info = pdfInfo(pdf);
    const size = /([\d.]+) x ([\d.]+) pts/.exec(info['Page size']!)!;
    // A5 is 419.53 x 595.28 pt; Chromium snaps the page to whole CSS pixels (420 x 594.96).
    expect(Math.abs(Number(size[1]) - 419.53)).toBeLessThan(1);
    expect(Math.abs(Number(size[2]) - 595.28)).toBeLessThan(1);
    expect(info.Title).toBe('双语文集');
    expect(info.Author).toBe('张三, Jane Doe');
    expect(info.Subject).toBe('A test');
    expect(info.Keywords).toBe('bilingual, 双语');
    expect(info.Tagged).toBe('yes');
    const objects = JSON.parse(
      execFileSync('qpdf', ['--json', '--json-key=qpdf', pdf], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      }),
    ).qpdf[1] as Record<string, { value?: Record<string, unknown> }>;
    const catalog = Object.values(objects).find((o) => o.value?.['/Type'] === '/Catalog')!.value!;
    expect(catalog['/Lang']).toBe('u:zh-Hans');
    expect(execFileSync('qpdf', ['--check', pdf], { encoding: 'utf8' })).toMatch(
      /No syntax or stream encoding errors/,
    );
  });

  it('holds the English and the Chinese text, the code and the long URL', () => {
    const text = pdfText(pdf).replace(/\u00ad/g, '');
    expect(text).toContain('Paragraph 1 of The First Article');
    expect(text).toContain('敏捷的棕色狐狸跳过了懒狗');
    expect(text).toContain('中文注释');
    expect(text).toContain('console.log');
    expect(text.replace(/\s+/g, '')).toContain(LONG_URL.slice(0, 60));
  });

  it('has bookmarks for the chapter, the articles and the contents', () => {
    const titles = outlineTitles(pdf);
    for (const title of ['第一篇文章', '第二篇文章', '目录'])
      expect(
        titles.some((t) => t.includes(title)),
        title,
      ).toBe(true);
  });

  it('prints at full scale although a URL and a code line are wider than the page', () => {
    expect(pdfScale(pdf)).toBeGreaterThanOrEqual(99.5);
  });
});

describe.skipIf(!canPrint)('printing, confined and careful', () => {
  it('refuses what a stylesheet asks for outside the book, reports it and still builds', async () => {
    const book = smallBook()
      .file(
        'styles/leaky.css',
        'body { background-image: url("http://example.com/remote.png"); } h1 { background-image: url("file:///etc/hostname"); }',
      )
      .toml('[book]\ntitle = "Confined"\n[pdf]\nstylesheets = ["styles/leaky.css"]\n');
    try {
      const { file, reported } = await book.write('pdf', { cacheDir: false });
      const blocked = reported.filter((d) => d.code === 'print/blocked').map((d) => d.message);
      expect(blocked.some((m) => m.includes('http://example.com/remote.png'))).toBe(true);
      expect(blocked.some((m) => m.includes('file:///etc/hostname'))).toBe(true);
      expect(pdfInfo(file.path).Title).toBe('Confined');
    } finally {
      book.remove();
    }
  }, 120_000);

  it('the scale check sees the shrink Chromium does when a code line cannot wrap', async () => {
    const book = smallBook()
      .file('styles/nowrap.css', 'pre, pre code { white-space: pre !important; }')
      .toml('[book]\ntitle = "Shrunk"\n[pdf]\nstylesheets = ["styles/nowrap.css"]\n');
    try {
      const { file } = await book.write('pdf', { cacheDir: false });
      expect(pdfScale(file.path)).toBeLessThan(99);
    } finally {
      book.remove();
    }
  }, 120_000);

  it('never leaves a file behind when printing fails', async () => {
    const book = smallBook();
    const dir = mkdtempSync(join(tmpdir(), 'anthology-pdf-fail-'));
    try {
      const config = loadConfig({ bookDir: book.dir });
      const print = renderPrintBook(book.compile(), config, loadTheme(config, 'zh'));
      const out = join(dir, 'book.pdf');
      writeFileSync(out, 'previous good file');
      await expect(
        withBrowser(async (browser) => {
          await browser.close(); // the browser dies before the print
          return writeBookPdf(
            {
              ...print,
              workDir: join(dir, 'work'),
              allowedRoots: [],
              outFile: out,
              metadata: { title: 'x', language: 'en' },
            },
            browser,
          );
        }),
      ).rejects.toThrow();
      expect(readdirSync(dir).sort()).toEqual(['book.pdf', 'work']);
      expect(readFileSync(out, 'utf8')).toBe('previous good file');
      expect(existsSync(join(dir, 'work'))).toBe(true);
    } finally {
      book.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
