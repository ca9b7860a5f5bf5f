import { afterAll, describe, expect, it } from 'vitest';
import { repairHref } from '../../src/compile/links.js';
import { segmentsOf } from '../../src/walk.js';
import { BookTest } from '../book-test.js';
import { attr, documentElements, elements, textOf } from '../dom.js';

describe('repairHref', () => {
  const here = { id: 'a-one', anchors: new Set(['a-one', 'top']) };
  const other = { id: 'a-two', anchors: new Set(['a-two']) };
  const fix = (href: string) =>
    repairHref(href, here, {
      articleAt: (path) => (path === '../two' || path === '../two/index.md' ? other : undefined),
    }).href;
  it('keeps valid URLs as they are', () => {
    expect(fix('https://example.com/x?y=1#z')).toBe('https://example.com/x?y=1#z');
    expect(fix('https://zh.wikipedia.org/wiki/%E4%B8%AD')).toBe('https://zh.wikipedia.org/wiki/%E4%B8%AD');
  });
  it('percent-encodes what must be', () => {
    expect(fix('https://example.com/a b`c')).toBe('https://example.com/a%20b%60c');
    expect(fix('https://example.com/中文')).toBe('https://example.com/%E4%B8%AD%E6%96%87');
    expect(fix('https://example.com/#a#b')).toBe('https://example.com/#a%23b');
    expect(fix('https://example.com/?q={x}|y')).toBe('https://example.com/?q=%7Bx%7D%7Cy');
  });
  it('drops what cannot be a link', () => {
    expect(fix('https://100daystooffload.com%60#x')).toBeUndefined();
    expect(fix('https://100daystooffload.comThis%E5%B8%96')).toBeUndefined();
    expect(fix('https://')).toBeUndefined();
    expect(fix('#nowhere')).toBeUndefined();
    expect(fix('missing.html')).toBeUndefined();
    expect(fix('javascript:alert(1)')).toBeUndefined();
  });
  it('keeps links inside the book', () => {
    expect(fix('#top')).toBe('#top');
    expect(fix('../two')).toBe('#a-two');
    expect(fix('../two/index.md#gone')).toBe('#a-two');
  });
});

describe('the links pass', () => {
  const book = BookTest.create('anthology-links-')
    .article(
      '2023/01/first/index.md',
      'See [the second](../second/) and [its part](../second/index.md#gone), [nowhere](../third/), [this one](#a-first) and [a bad host](https://example.com%60x).\n\n请看。\n',
      { title: 'First' },
    )
    .article('2023/01/second/index.md', 'Back to [the first](../first/index.md).\n\n回到第一篇。\n', {
      title: 'Second',
    });
  afterAll(() => book.remove());

  it('turns links to other articles into links inside the book, and drops the rest with a diagnostic', () => {
    const compiled = book.compile();
    const [first, second] = compiled.chapters.flatMap((c) => c.articles);
    const hrefs = (html: string) =>
      elements(html)
        .filter((e) => e.name === 'a')
        .map((a) => [textOf(a), attr(a, 'href')]);
    expect(hrefs(segmentsOf(first!.blocks)[0]!.html)).toEqual([
      ['the second', `#${second!.id}`],
      ['its part', `#${second!.id}`],
      ['nowhere', undefined],
      ['this one', `#${first!.id}`],
      ['a bad host', undefined],
    ]);
    expect(hrefs(segmentsOf(second!.blocks)[0]!.html)).toEqual([['the first', `#${first!.id}`]]);
    const links = compiled.diagnostics.filter((d) => d.code.startsWith('link/'));
    expect(links.map((d) => [d.code, d.file, d.line])).toEqual([
      ['link/retargeted', 'content/2023/01/first/index.md', 5],
      ['link/dropped', 'content/2023/01/first/index.md', 5],
      ['link/dropped', 'content/2023/01/first/index.md', 5],
    ]);
  });

  it("and the EPUB links them to the other article's document", async () => {
    const { files } = BookTest.epubOf(await book.write('epub', { cacheDir: false }));
    const first = Object.entries(files).find(
      ([name, text]) => name.endsWith('.xhtml') && text.includes('the second'),
    )![1];
    const links = documentElements(first).filter((e) => e.name === 'a' && textOf(e) === 'the second');
    expect(links.map((a) => attr(a, 'href'))).toEqual([expect.stringMatching(/^a-second\.xhtml$/)]);
  });
});
