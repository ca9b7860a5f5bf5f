/**
 * The kepub format: Kobo's sentence spans around every sentence of both languages, and around
 * every other text a reader sees (titles, bylines, contents, title page), and its page wrappers, on
 * the EPUB format's documents; with the spans and wrappers taken away, each document is the EPUB's.
 * On the corpus (skipped without it): no span that starts with closing punctuation or holds
 * punctuation alone, no text outside a span; epubcheck 0/0/0 in every layout (slow checks).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentences } from '../../../src/formats/kepub/sentences.js';
import { withKoboSpans } from '../../../src/formats/kepub/spans.js';
import { readXhtml, writeXhtml, type XNode } from '../../../src/markdown/xhtml-tree.js';
import { BookTest } from '../../book-test.js';
import { attr, hasClass } from '../../dom.js';
import { CORPUS, CORPUS_CACHE, FULL_CHECKS, HAVE_CORPUS, HAVE_EPUBCHECK } from '../../helpers.js';
import { epubcheck, readEpub } from '../../inspect.js';
import { badKoboSpans, unspannedTexts } from '../../text-checks.js';

describe('sentences', () => {
  it('cuts English at sentence ends, not after Mr. or in 3.5', () => {
    expect(sentences('Mr. Smith paid $3.5 million. He left! Did he? “Yes.” Dr. Who', 'en')).toEqual([
      'Mr. Smith paid $3.5 million. ',
      'He left! ',
      'Did he? ',
      '“Yes.” ',
      'Dr. Who',
    ]);
  });
  it('cuts Chinese after 。！？； with their closing quotes; an opening quote begins the next', () => {
    expect(sentences('他说：“你好。”然后走了！真的吗？是的；不过如此。“好！”', 'zh')).toEqual([
      '他说：“你好。”',
      '然后走了！',
      '真的吗？',
      '是的；',
      '不过如此。',
      '“好！”',
    ]);
  });
  it('ends a sentence once after a run of marks, and goes on after a quoted question or a comma', () => {
    expect(sentences('这是现实！！！”他喊道。对吗？！是的。', 'zh')).toEqual([
      '这是现实！！！”他喊道。',
      '对吗？！',
      '是的。',
    ]);
    expect(sentences('“你要走吗？”他问。“好！”，她说。', 'zh')).toEqual([
      '“你要走吗？”他问。',
      '“好！”，她说。',
    ]);
    expect(sentences('Really?! Yes.', 'en')).toEqual(['Really?! ', 'Yes.']);
  });
  it('reads a line break inside a paragraph as a space, not a sentence end', () => {
    expect(sentences('第一行\n第二行。第三句。', 'zh')).toEqual(['第一行\n第二行。', '第三句。']);
    expect(sentences('A line\nthat goes on. Next.', 'en')).toEqual(['A line\nthat goes on. ', 'Next.']);
  });
  it('never leaves punctuation alone or a closing mark at a sentence’s start', () => {
    expect(sentences('完了。。。', 'zh')).toEqual(['完了。。。']);
    expect(sentences('See p. 4. And (then', 'en')).toEqual(['See p. 4. ', 'And (then']);
    for (const text of ['“', '……', '.', '。”']) expect(sentences(text, 'zh')).toEqual([text]);
  });
  it('cuts a long paragraph in time linear in its length (ICU alone takes quadratic time on some)', () => {
    // 480 KB: ICU's sentence rules took 80 s on it at once; in pieces, well within a test's time
    const text = 'Sentence. Two, '.repeat(32_000);
    const cut = sentences(text, 'en');
    expect(cut.join('')).toBe(text);
    expect(cut.length).toBe(32_001);
  }, 30_000);
  it('loses nothing', () => {
    for (const text of ['', '  ', '“', 'No end', 'A. B. C. D.', '。。。！！'])
      expect(sentences(text, 'en').join('')).toBe(text);
  });
});

describe('withKoboSpans', () => {
  const spanned = (body: string, lang = 'zh'): string => {
    const xhtml = withKoboSpans(
      `<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="${lang}" xml:lang="${lang}"><head><title>t</title></head><body>${body}</body></html>`,
    );
    return xhtml.slice(xhtml.indexOf('<body>') + 6, xhtml.indexOf('</body>'));
  };
  const span = (id: string, html: string) => `<span class="koboSpan" id="kobo.${id}">${html}</span>`;

  it('holds a sentence’s links and emphasis whole: no span starts with the mark after them', () => {
    expect(
      spanned('<p>他读了<a href="x">这本书</a>。然后（<em>见此</em>）走了，<a href="y">好</a>！</p>'),
    ).toBe(
      `<p>${span('1.1', '他读了<a href="x">这本书</a>。')}${span('1.2', '然后（<em>见此</em>）走了，<a href="y">好</a>！')}</p>`,
    );
  });
  it('goes inside an element where a sentence ends in it, but never leaves a mark alone beside it', () => {
    expect(spanned('<p>Read <a href="x">this. And that</a> now.</p>', 'en')).toBe(
      `<p>${span('1.1', 'Read ')}<a href="x">${span('1.2', 'this. ')}${span('1.3', 'And that')}</a>${span('1.4', ' now.')}</p>`,
    );
    expect(spanned('<p>One. <a href="x">Two. Three</a>. Four.</p>', 'en')).toBe(
      `<p>${span('1.1', 'One. ')}${span('1.2', '<a href="x">Two. Three</a>. ')}${span('1.3', 'Four.')}</p>`,
    );
    expect(spanned('<p>完了<sup><span>。 [1]</span></sup>下一句。</p>')).toBe(
      `<p>${span('1.1', '完了<sup><span>。 [1]</span></sup>')}${span('1.2', '下一句。')}</p>`,
    );
  });
  it('keeps a note reference with the sentence it follows', () => {
    expect(
      spanned('<p>第一句。<sup><a href="#n" epub:type="noteref" role="doc-noteref">1</a></sup>第二句。</p>'),
    ).toBe(
      `<p>${span('1.1', '第一句。<sup><a href="#n" epub:type="noteref" role="doc-noteref">1</a></sup>')}${span('1.2', '第二句。')}</p>`,
    );
  });
  it('spans titles and bylines, each side of a pair heading a paragraph, inside classed elements; not code', () => {
    expect(
      spanned(
        '<h1 class="title">标题</h1><p class="byline"><span class="author">A B</span> <a class="source" href="u">site</a></p><h2><span class="original" lang="en" xml:lang="en">One.</span> <span class="translation" lang="zh" xml:lang="zh">一。</span></h2><pre><code>x. y.</code></pre>',
      ),
    ).toBe(
      `<h1 class="title">${span('1.1', '标题')}</h1><p class="byline"><span class="author">${span('2.1', 'A B')}</span> <a class="source" href="u">${span('2.2', 'site')}</a></p><h2><span class="original" lang="en" xml:lang="en">${span('3.1', 'One.')}</span> <span class="translation" lang="zh" xml:lang="zh">${span('4.1', '一。')}</span></h2><pre><code>x. y.</code></pre>`,
    );
  });
});

/** A document's tree without Kobo's spans and wrappers. */
function withoutKobo(nodes: XNode[]): XNode[] {
  return nodes.flatMap((node): XNode[] => {
    if (node.type === 'text') return [node];
    const children = withoutKobo(node.children);
    if (
      (node.name === 'span' && hasClass(node, 'koboSpan')) ||
      (node.name === 'div' && ['book-columns', 'book-inner'].includes(attr(node, 'id') ?? ''))
    )
      return children;
    return [{ ...node, children }];
  });
}

/** Checks a kepub against the EPUB of the same build; returns the number of spans. */
function compare(epubFile: string, kepubFile: string): number {
  const epub = readEpub(epubFile).files;
  const kepub = readEpub(kepubFile).files;
  expect(Object.keys(kepub).sort()).toEqual(Object.keys(epub).sort());
  let spans = 0;
  for (const [name, text] of Object.entries(kepub)) {
    if (!name.endsWith('.xhtml') || name.endsWith('nav.xhtml')) {
      expect(text, name).toBe(epub[name]);
      continue;
    }
    const at = text.indexOf('<html');
    const tree = readXhtml(text.slice(at));
    expect(text.slice(0, at), name).toBe(epub[name]!.slice(0, epub[name]!.indexOf('<html')));
    expect(writeXhtml(withoutKobo(tree)), name).toBe(
      writeXhtml(readXhtml(epub[name]!.slice(epub[name]!.indexOf('<html')))),
    );
    spans += (text.match(/class="koboSpan"/g) ?? []).length;
    if (name.includes('cover')) continue;
    expect(text, name).toContain('<div id="book-columns"><div id="book-inner">');
  }
  const documents = Object.fromEntries(
    Object.entries(kepub).filter(([name]) => name.endsWith('.xhtml') && !name.endsWith('nav.xhtml')),
  );
  expect(unspannedTexts(documents)).toEqual([]);
  expect(badKoboSpans(documents)).toEqual([]);
  return spans;
}

describe('--format kepub', () => {
  const book = BookTest.create('anthology-kepub-')
    .toml('[book]\ntitle = "Kobo"\neditors = ["Ed"]\n')
    .article(
      '2023/01/one/index.md',
      [
        '# A heading',
        '# 一个标题',
        'Mr. Smith paid $3.5 million for [a house. It was](https://example.com/) *big*. He left!',
        '史密斯先生花了350万美元买了一栋房子。它很大！他走了；“真的吗？”',
        '- A list item. With two sentences.',
        '- 列表项。有两句话。',
        '```\ncode. stays. as is.\n```',
        'A note follows.[^1]',
        '下面是注释。[^1]',
        '[^1]: The note, in a few words.',
        '[^1]: 注释，寥寥数语。',
      ].join('\n\n'),
      { title: 'One' },
    );
  afterAll(() => book.remove());

  it('spans every sentence of both languages, and is the EPUB without them', async () => {
    const epub = await book.write('epub');
    const kepub = await book.write('kepub');
    expect(kepub.file.path).toBe(join(book.out, 'kobo.kepub.epub'));
    expect(compare(epub.file.path, kepub.file.path)).toBeGreaterThan(10);
    const doc = Object.entries(readEpub(kepub.file.path).files).find(([n]) => n.includes('one'))![1];
    // the title first; a sentence through a link is spanned piece by piece, ids in order
    expect(doc).toContain(
      '<h1 class="article-title" lang="en" xml:lang="en"><span class="koboSpan" id="kobo.1.1">One</span></h1>',
    );
    expect(doc).toContain(
      '<span class="koboSpan" id="kobo.4.1">Mr. Smith paid $3.5 million for </span><a href="https://example.com/"><span class="koboSpan" id="kobo.4.2">a house. </span><span class="koboSpan" id="kobo.4.3">It was</span></a> <span class="koboSpan" id="kobo.4.4"><em>big</em>. </span>',
    );
    expect(doc).toContain(
      '<span class="koboSpan" id="kobo.5.2">它很大！</span><span class="koboSpan" id="kobo.5.3">他走了；</span><span class="koboSpan" id="kobo.5.4">“真的吗？”</span>',
    );
    expect(doc).toContain('<pre class="single code"');
    expect(doc).toMatch(/<code>code\. stays\. as is\.\n?<\/code>/);
    // a note reference goes with the sentence it follows
    expect(doc).toMatch(
      /<span class="koboSpan" id="kobo\.\d+\.1">下面是注释。<sup><a [^>]*epub:type="noteref" role="doc-noteref">1<\/a><\/sup><\/span>/,
    );
  }, 120_000);
});

// The corpus as a kepub in two layouts takes minutes: with ANTHOLOGY_FULL_CHECKS=1 (the fixture above always).
describe.skipIf(!HAVE_CORPUS || !HAVE_EPUBCHECK || !FULL_CHECKS)('the corpus as a kepub', () => {
  let book: BookTest;
  const files = new Map<string, { epub: string; kepub: string }>();
  beforeAll(async () => {
    book = BookTest.create('anthology-kepub-corpus-').toml(
      `[book]\ntitle = "Clippings"\neditors = ["Test"]\n[content]\nfolder = ${JSON.stringify(CORPUS)}\n`,
    );
    for (const layout of ['interleaved', 'translation'] as const) {
      const result = await book.build({
        out: join(book.dir, layout),
        formats: ['epub', 'kepub'],
        layout,
        cacheDir: CORPUS_CACHE,
      });
      files.set(layout, {
        epub: result.files.find((f) => f.format === 'epub')!.path,
        kepub: result.files.find((f) => f.format === 'kepub')!.path,
      });
    }
  }, 600_000);
  afterAll(() => book?.remove());

  it('passes epubcheck 0/0/0, every paragraph spanned, the text the EPUB’s', () => {
    for (const [layout, { epub, kepub }] of files) {
      expect(epubcheck(kepub), layout).toMatchObject({ fatal: 0, errors: 0, warnings: 0 });
      expect(compare(epub, kepub), layout).toBeGreaterThan(10_000);
    }
  }, 600_000);
});
