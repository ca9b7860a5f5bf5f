/**
 * The kepub format (issue 9): Kobo's sentence spans around every sentence of both languages and
 * its page wrappers, on the EPUB format's documents; with the spans and wrappers taken away, each
 * document is the EPUB's. On the corpus (skipped without it): epubcheck 0/0/0 in every layout.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentences } from '../../../src/formats/kepub/sentences.js';
import { readXhtml, writeXhtml, type XNode } from '../../../src/markdown/xhtml-tree.js';
import { BookTest } from '../../book-test.js';
import { attr, hasClass } from '../../dom.js';
import { CORPUS, CORPUS_CACHE, FULL_CHECKS, HAVE_CORPUS, HAVE_EPUBCHECK } from '../../helpers.js';
import { epubcheck, readEpub } from '../../inspect.js';

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
    expect(sentences('他说：“你好。”然后走了！真的吗？是的；不过如此。“好！”她说。', 'zh')).toEqual([
      '他说：“你好。”',
      '然后走了！',
      '真的吗？',
      '是的；',
      '不过如此。',
      '“好！”',
      '她说。',
    ]);
  });
  it('loses nothing', () => {
    for (const text of ['', '  ', '“', 'No end', 'A. B. C. D.', '。。。！！'])
      expect(sentences(text, 'en').join('')).toBe(text);
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

/** Text (not blank, not preformatted, not a note's number leading back) of an article body outside any koboSpan. */
function unspanned(nodes: XNode[], inside = false): string[] {
  return nodes.flatMap((node): string[] => {
    if (node.type === 'text') return inside || node.value.trim() === '' ? [] : [node.value];
    if (node.name === 'pre' || hasClass(node, 'note-label')) return [];
    return unspanned(node.children, inside || (node.name === 'span' && hasClass(node, 'koboSpan')));
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
    const body = (function find(nodes: XNode[]): XNode[] | undefined {
      for (const n of nodes) {
        if (n.type !== 'element') continue;
        if (hasClass(n, 'article-body')) return n.children;
        const hit = find(n.children);
        if (hit) return hit;
      }
      return undefined;
    })(tree);
    if (body) expect(unspanned(body), name).toEqual([]);
  }
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
    // a sentence through a link is spanned piece by piece, ids in order
    expect(doc).toContain(
      '<span class="koboSpan" id="kobo.3.1">Mr. Smith paid $3.5 million for </span><a href="https://example.com/"><span class="koboSpan" id="kobo.3.2">a house. </span><span class="koboSpan" id="kobo.3.3">It was</span></a>',
    );
    expect(doc).toContain(
      '<span class="koboSpan" id="kobo.4.2">它很大！</span><span class="koboSpan" id="kobo.4.3">他走了；</span><span class="koboSpan" id="kobo.4.4">“真的吗？”</span>',
    );
    expect(doc).toContain('<pre class="single code"');
    expect(doc).toMatch(/<code>code\. stays\. as is\.\n?<\/code>/);
    expect(doc).toMatch(
      /epub:type="noteref" role="doc-noteref"><span class="koboSpan" id="kobo\.\d+\.\d+">1<\/span><\/a>/,
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
