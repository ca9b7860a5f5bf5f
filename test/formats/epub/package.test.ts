import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync, zlibSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../src/assets/cache.js';
import { isNCName, safeId } from '../../../src/formats/epub/ids.js';
import { documentProperties, type EpubPackage } from '../../../src/formats/epub/manifest.js';
import { packEpub, writeEpub } from '../../../src/formats/epub/package.js';

// ---------------------------------------------------------------------------------------------
// A small book: two chapters, three articles, a title page, a cover, CSS, an image.

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A valid RGB PNG of one colour. */
function png(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw.set(rgb, y * (1 + width * 3) + 1 + x * 3);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw)),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function xhtml(title: string, lang: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="${lang}" xml:lang="${lang}">
<head><meta charset="UTF-8"/><title>${title}</title><link rel="stylesheet" type="text/css" href="../css/book.css"/></head>
<body>
${body}
</body>
</html>
`;
}

function samplePackage(): EpubPackage {
  const pair = (en: string, zh: string) =>
    `<div class="pair"><p lang="en" xml:lang="en">${en}</p><p lang="zh" xml:lang="zh">${zh}</p></div>`;
  return {
    metadata: {
      identifier: 'urn:uuid:0b4e7a0e-5d6f-4c1b-9a8e-2f3c4d5e6f70',
      title: '双语文集 & <Friends>',
      subtitle: 'An "anthology" of clippings',
      languages: ['zh', 'en'],
      creators: [
        { name: '编者 Editor', role: 'edt' },
        { name: 'Ada Lovelace', role: 'aut' },
      ],
      date: '2023-01-26T10:00:00+08:00',
      modified: '2024-02-03T04:05:06Z',
      description: 'Articles in English, with their Chinese translation.',
      publisher: 'Anthology Press',
      rights: '© the authors',
      subjects: ['programming', '翻译'],
      accessibility: { summary: 'Text with a table of contents; images have alternative text.' },
    },
    documents: [
      {
        id: 'cover',
        href: 'text/cover.xhtml',
        xhtml: xhtml(
          'Cover',
          'zh',
          '<section epub:type="cover"><img src="../images/cover.png" alt="封面 Cover"/></section>',
        ),
        linear: false,
      },
      {
        id: 'titlepage',
        href: 'text/titlepage.xhtml',
        xhtml: xhtml(
          '双语文集',
          'zh',
          '<section epub:type="titlepage"><h1>双语文集</h1><p lang="en" xml:lang="en">An anthology</p></section>',
        ),
      },
      {
        id: '2023-01-26-first', // not an NCName: the packer derives a safe id
        href: 'text/a1.xhtml',
        xhtml: xhtml(
          'First',
          'zh',
          `<section epub:type="chapter"><h1 id="top">第一篇 First</h1>${pair('Hello, world.', '你好，世界。')}` +
            `<figure><img src="../images/ab12-fig.png" alt="A grey square 灰色方块"/></figure></section>`,
        ),
      },
      {
        id: 'a2',
        href: 'text/a2.xhtml',
        xhtml: xhtml(
          'Second',
          'zh',
          `<section><h1>第二篇 Second</h1>${pair('Small is beautiful.', '小即是美。')}` +
            `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg></section>`,
        ),
      },
      {
        id: 'a3',
        href: 'text/a3.xhtml',
        xhtml: xhtml('Third', 'zh', `<section><h1>第三篇 Third</h1>${pair('The end.', '完。')}</section>`),
      },
    ],
    resources: [
      {
        id: 'css',
        href: 'css/book.css',
        mediaType: 'text/css',
        data: 'body { margin: 0 5%; }\n.pair p[lang="zh"] { color: #333; }\n',
      },
      {
        id: 'cover-image',
        href: 'images/cover.png',
        mediaType: 'image/png',
        data: png(16, 24, [40, 80, 160]),
      },
      {
        id: 'img-ab12',
        href: 'images/ab12-fig.png',
        mediaType: 'image/png',
        data: png(1, 1, [128, 128, 128]),
      },
    ],
    toc: [
      {
        title: '第一章 Chapter One',
        href: 'text/a1.xhtml',
        children: [
          { title: '第一篇 First', href: 'text/a1.xhtml#top' },
          { title: '第二篇 Second', href: 'text/a2.xhtml' },
        ],
      },
      {
        title: '第二章 Chapter Two',
        href: 'text/a3.xhtml',
        children: [{ title: '第三篇 Third', href: 'text/a3.xhtml' }],
      },
    ],
    landmarks: [
      { type: 'cover', title: '封面', href: 'text/cover.xhtml' },
      { type: 'titlepage', title: '书名页', href: 'text/titlepage.xhtml' },
      { type: 'bodymatter', title: '正文', href: 'text/a1.xhtml' },
    ],
    coverImage: 'images/cover.png',
    tocTitle: '目录',
  };
}

const entries = (epub: Uint8Array) => unzipSync(epub);
const entryText = (epub: Uint8Array, name: string) => strFromU8(entries(epub)[name]!);

// ---------------------------------------------------------------------------------------------

describe('packEpub', () => {
  const epub = packEpub(samplePackage());

  it('gives the same bytes for the same package', () => {
    expect(Buffer.from(packEpub(samplePackage())).equals(Buffer.from(epub))).toBe(true);
  });

  it('puts mimetype first, stored, with no extra field', () => {
    const v = new DataView(epub.buffer, epub.byteOffset);
    expect(v.getUint32(0, true)).toBe(0x04034b50); // local file header
    expect(v.getUint16(6, true) & 0x08).toBe(0); // no data descriptor
    expect(v.getUint16(8, true)).toBe(0); // method: stored
    expect(v.getUint32(18, true)).toBe(20); // compressed size
    expect(v.getUint32(22, true)).toBe(20); // uncompressed size
    expect(v.getUint16(26, true)).toBe(8); // name length
    expect(v.getUint16(28, true)).toBe(0); // extra length
    expect(strFromU8(epub.subarray(30, 38))).toBe('mimetype');
    expect(strFromU8(epub.subarray(38, 58))).toBe('application/epub+zip');
  });

  it('writes the entries in a fixed order', () => {
    expect(Object.keys(entries(epub))).toEqual([
      'mimetype',
      'META-INF/container.xml',
      'EPUB/content.opf',
      'EPUB/nav.xhtml',
      'EPUB/toc.ncx',
      'EPUB/text/cover.xhtml',
      'EPUB/text/titlepage.xhtml',
      'EPUB/text/a1.xhtml',
      'EPUB/text/a2.xhtml',
      'EPUB/text/a3.xhtml',
      'EPUB/css/book.css',
      'EPUB/images/cover.png',
      'EPUB/images/ab12-fig.png',
    ]);
  });

  it('keeps the documents byte for byte (no entities for non-ASCII)', () => {
    expect(entryText(epub, 'EPUB/text/a1.xhtml')).toBe(samplePackage().documents[2]!.xhtml);
  });

  it('writes the metadata: languages, titles, creators, cover, accessibility', () => {
    const opf = entryText(epub, 'EPUB/content.opf');
    expect(opf).toContain('xml:lang="zh"');
    expect(opf).toMatch(/<dc:language>zh<\/dc:language>\s*<dc:language>en<\/dc:language>/);
    expect(opf).toContain('<dc:title id="title">双语文集 &amp; &lt;Friends&gt;</dc:title>');
    expect(opf).toContain('<meta refines="#subtitle" property="title-type">subtitle</meta>');
    expect(opf).toContain('<meta refines="#creator-1" property="role" scheme="marc:relators">edt</meta>');
    expect(opf).toContain('<meta refines="#creator-2" property="role" scheme="marc:relators">aut</meta>');
    expect(opf).toContain('<meta property="dcterms:modified">2024-02-03T04:05:06Z</meta>');
    expect(opf).toContain('<meta name="cover" content="cover-image"/>');
    expect(opf).toMatch(
      /<item id="cover-image" href="images\/cover.png" media-type="image\/png" properties="cover-image"\/>/,
    );
    expect(opf).toContain('<meta property="schema:accessMode">visual</meta>');
    expect(opf).toContain('<meta property="schema:accessibilityFeature">alternativeText</meta>');
    expect(opf).toContain('<spine toc="ncx">');
    expect(opf).toContain('<itemref idref="cover" linear="no"/>');
    // a bad id is made an NCName; svg is detected
    expect(opf).toContain('<item id="id-2023-01-26-first" href="text/a1.xhtml"');
    expect(opf).toMatch(
      /<item id="a2" href="text\/a2.xhtml" media-type="application\/xhtml\+xml" properties="svg"\/>/,
    );
  });

  it('writes a nested nav with hidden landmarks', () => {
    const nav = entryText(epub, 'EPUB/nav.xhtml');
    expect(nav).toContain('<h1>目录</h1>');
    const toc = nav.slice(nav.indexOf('epub:type="toc"'), nav.indexOf('epub:type="landmarks"'));
    expect(toc.replace(/\s+/g, '')).toContain(
      '<li><ahref="text/a1.xhtml">第一章ChapterOne</a><ol><li><ahref="text/a1.xhtml#top">第一篇First</a></li>' +
        '<li><ahref="text/a2.xhtml">第二篇Second</a></li></ol></li>',
    );
    expect(toc).toContain('<a href="text/a3.xhtml">第三篇 Third</a>');
    expect(nav).toContain('<nav epub:type="landmarks" id="landmarks" hidden="">');
    expect(nav).toContain('<a epub:type="bodymatter" href="text/a1.xhtml">正文</a>');
  });

  it('writes a nested NCX with a stable playOrder', () => {
    const ncx = entryText(epub, 'EPUB/toc.ncx');
    expect(ncx).toContain('<meta name="dtb:uid" content="urn:uuid:0b4e7a0e-5d6f-4c1b-9a8e-2f3c4d5e6f70"/>');
    expect(ncx).toContain('<meta name="dtb:depth" content="2"/>');
    const points = [
      ...ncx.matchAll(/<navPoint id="([^"]+)" playOrder="(\d+)">\s*<navLabel><text>([^<]+)</g),
    ].map((m) => [m[1], m[2], m[3]]);
    expect(points).toEqual([
      ['navPoint-1', '1', '第一章 Chapter One'],
      ['navPoint-2', '2', '第一篇 First'],
      ['navPoint-3', '3', '第二篇 Second'],
      ['navPoint-4', '4', '第二章 Chapter Two'],
      ['navPoint-5', '4', '第三篇 Third'], // same target as its chapter: same playOrder
    ]);
    // nesting: the chapter's navPoint closes after its articles
    expect(ncx.indexOf('navPoint-3')).toBeLessThan(ncx.indexOf('</navPoint>\n    </navPoint>'));
  });

  it('refuses two items with the same href or id, and links to nothing', () => {
    const sameHref = samplePackage();
    sameHref.resources.push({ id: 'other', href: 'CSS/Book.css', mediaType: 'text/css', data: '' });
    expect(() => packEpub(sameHref)).toThrow(/two items share the href 'CSS\/Book.css'/);
    const sameId = samplePackage();
    sameId.resources.push({ id: 'a2', href: 'css/more.css', mediaType: 'text/css', data: '' });
    expect(() => packEpub(sameId)).toThrow(/two items share the id 'a2'/);
    const reserved = samplePackage();
    reserved.resources.push({ id: 'extra', href: 'nav.xhtml', mediaType: 'application/xhtml+xml', data: '' });
    expect(() => packEpub(reserved)).toThrow(/href 'nav.xhtml'/);
    const dangling = samplePackage();
    dangling.toc.push({ title: 'Nowhere', href: 'text/missing.xhtml' });
    expect(() => packEpub(dangling)).toThrow(/does not point to one of the documents/);
    const outside = samplePackage();
    outside.resources.push({ id: 'x', href: '../x.css', mediaType: 'text/css', data: '' });
    expect(() => packEpub(outside)).toThrow(/not a plain relative path/);
  });
});

describe('ids and properties', () => {
  it('knows NCNames and derives safe ones', () => {
    expect(isNCName('a1')).toBe(true);
    expect(isNCName('文章-1')).toBe(true);
    expect(isNCName('1a')).toBe(false);
    expect(isNCName('a:b')).toBe(false);
    expect(safeId('2023/01 x')).toBe('id-2023_01_x');
    expect(isNCName(safeId(''))).toBe(true);
    expect(isNCName(safeId('-x'))).toBe(true);
  });

  it('detects svg, mathml, scripts and remote resources, but not in comments', () => {
    expect(documentProperties('<p><svg xmlns="http://www.w3.org/2000/svg"/></p>')).toEqual(['svg']);
    expect(documentProperties('<!-- <svg> --><p>&lt;svg&gt;</p>')).toEqual([]);
    expect(documentProperties('<math xmlns="http://www.w3.org/1998/Math/MathML"/>')).toEqual(['mathml']);
    expect(documentProperties('<script>x</script>')).toEqual(['scripted']);
    expect(documentProperties('<img src="https://example.com/a.png" alt=""/>')).toEqual(['remote-resources']);
    expect(documentProperties('<a href="https://example.com/">link</a>')).toEqual([]);
  });
});

describe('writeEpub', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes the file and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'anthology-epub-'));
    dirs.push(dir);
    const out = join(dir, 'book.epub');
    await writeEpub(samplePackage(), out);
    expect(await readdir(dir)).toEqual(['book.epub']);
    expect(Buffer.from(await readFile(out)).equals(Buffer.from(packEpub(samplePackage())))).toBe(true);
  });

  it('with a cache, keeps large entries deflated and writes the same bytes from them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'anthology-epub-'));
    dirs.push(dir);
    const withFont = () => {
      const pkg = samplePackage();
      // 200 KB that deflate well, like a font subset
      const font = new TextEncoder().encode('glyf '.repeat(40_000));
      pkg.resources.push({ id: 'font', href: 'fonts/big.ttf', mediaType: 'font/ttf', data: font });
      return pkg;
    };
    const expected = Buffer.from(packEpub(withFont()));
    const cache = openCache(join(dir, 'cache'));
    for (const name of ['first.epub', 'second.epub']) {
      await writeEpub(withFont(), join(dir, name), cache);
      expect(Buffer.from(await readFile(join(dir, name))).equals(expected), name).toBe(true);
    }
    // only the large entry was kept
    expect(await readdir(join(dir, 'cache', 'deflated'))).toHaveLength(1);
    const entries = unzipSync(expected);
    expect(strFromU8(entries['EPUB/fonts/big.ttf']!).length).toBe(200_000);
  });

  it('keeps the previous file and leaves no temporary file when packing throws', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'anthology-epub-'));
    dirs.push(dir);
    const out = join(dir, 'book.epub');
    await writeFile(out, 'previous good book');
    const bad = samplePackage();
    bad.documents.push({ ...bad.documents[1]! }); // same id and href twice
    await expect(writeEpub(bad, out)).rejects.toThrow(/two items share/);
    expect(await readdir(dir)).toEqual(['book.epub']);
    expect(await readFile(out, 'utf8')).toBe('previous good book');
  });
});

// ---------------------------------------------------------------------------------------------

const EPUBCHECK = '/usr/share/java/epubcheck.jar';
const haveEpubcheck = existsSync(EPUBCHECK) && spawnSync('java', ['-version']).status === 0;

interface EpubcheckReport {
  messages: { ID: string; severity: string; message: string; locations: { path: string; line: number }[] }[];
}

describe('epubcheck', () => {
  it.skipIf(!haveEpubcheck)(
    'finds no fatal error, no error and no warning',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'anthology-epubcheck-'));
      try {
        const file = join(dir, 'sample.epub');
        await writeEpub(samplePackage(), file);
        const json = join(dir, 'report.json');
        const run = spawnSync('java', ['-jar', EPUBCHECK, file, '--json', json], { encoding: 'utf8' });
        const report = JSON.parse(await readFile(json, 'utf8')) as EpubcheckReport;
        const problems = report.messages
          .filter((m) => ['FATAL', 'ERROR', 'WARNING'].includes(m.severity))
          .map(
            (m) =>
              `${m.severity} ${m.ID} ${m.message} @ ${m.locations.map((l) => `${l.path}:${l.line}`).join(', ')}`,
          );
        expect(problems).toEqual([]);
        expect(run.status).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
