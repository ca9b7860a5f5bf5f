import { afterAll, describe, expect, it } from 'vitest';
import { segmentWithoutCjkSpaces } from '../../src/compile/cjk-spacing.js';
import { xhtmlText } from '../../src/markdown/xhtml.js';
import { articlesOf, segmentsOf } from '../../src/walk.js';
import { BookTest } from '../book-test.js';

const clean = (html: string, lang = 'zh') => {
  const { segment, removed } = segmentWithoutCjkSpaces({ lang, html, text: xhtmlText(html) });
  return [segment.html, removed];
};

describe('spaces between Chinese characters', () => {
  it('are removed through links and emphasis', () => {
    expect(clean('甲乙 <a href="https://example.com/">丙丁</a> 戊己')).toEqual([
      '甲乙<a href="https://example.com/">丙丁</a>戊己',
      2,
    ]);
    expect(clean('以 <em>甲乙·丙丁</em> 为例')).toEqual(['以<em>甲乙·丙丁</em>为例', 2]);
    expect(clean('甲<strong> 乙 </strong>丙')).toEqual(['甲<strong>乙</strong>丙', 2]);
  });
  it('are removed next to CJK punctuation and at a soft line break', () => {
    expect(clean('好吗？ 是的（ 甲）。')).toEqual(['好吗？是的（甲）。', 2]);
    expect(clean('第一行\n第二行')).toEqual(['第一行第二行', 1]);
  });
  it('stay between CJK and Latin, in code, across a line break, and in Korean', () => {
    for (const html of [
      '使用 Lisp 语言',
      '甲 <code>乙 丙</code> 丁',
      '<code>甲 乙</code>',
      '甲 <br/> 乙',
      '“甲” “乙”',
      '甲 — 乙',
    ])
      expect(clean(html), html).toEqual([html, 0]);
    expect(clean('韓國 語 한국어 문장', 'ko')).toEqual(['韓國 語 한국어 문장', 0]);
  });
});

describe('the Chinese spacing pass', () => {
  const book = BookTest.create('anthology-cjk-spacing-').article(
    'one.md',
    [
      'A [link](https://example.com/) here.',
      '这是 [链接](https://example.com/) 在 *这里* 。',
      '```\n代码 里 的 空格\n```',
    ].join('\n\n'),
    { title: '好吗？ 是的', original_title: 'Fine? Yes' },
  );
  afterAll(() => book.remove());

  it('cleans the text and the titles, outside code, and says how many it removed', () => {
    const compiled = book.compile();
    const [article] = articlesOf(compiled);
    expect(article!.meta.title).toBe('好吗？是的');
    const html = segmentsOf(article!.blocks).map((s) => s.html);
    expect(html).toContain('这是<a href="https://example.com/">链接</a>在<em>这里</em>。');
    expect(html.some((h) => h.includes('代码 里 的 空格'))).toBe(true);
    expect(
      compiled.diagnostics
        .filter((d) => d.code === 'text/cjk-space')
        .map((d) => [d.severity, d.line, d.message]),
    ).toEqual([
      ['info', 2, '1 space between Chinese characters removed from the titles'],
      ['info', 6, '3 spaces between Chinese characters removed'],
    ]);
  });
});
