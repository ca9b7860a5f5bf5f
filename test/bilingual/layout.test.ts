import { describe, expect, it } from 'vitest';
import { articleBlocks } from '../../src/bilingual/index.js';
import { renderBlocks } from '../../src/bilingual/layout.js';
import type { ArticleSource, Block, LayoutName, PairOrder } from '../../src/model.js';
import { attr, byClass, elements, textOf, type XElement } from '../dom.js';
import { xmlProblems } from '../xml-check.js';

const md = [
  '## Fake names 伪造姓名',
  '',
  'It’s over. Facebook is [in decline](https://cnbc.com/x).  ',
  '结束了。Facebook [在衰落](https://cnbc.com/x)。',
  '',
  '-   Adopt a growth mindset.  ',
  '    ',
  '    采用成长心态。',
  '',
  '3.  Third.  ',
  '    第三。',
  '',
  '> Quoted English.  ',
  '>',
  '> 引用的中文。',
  '',
  '```',
  'echo <hi> & bye',
  '```',
  '',
  '[![A photo](photo.jpg)](https://x/photo.jpg)',
  '',
].join('\n');
const source: ArticleSource = {
  id: 't',
  file: '/t.md',
  relPath: 't.md',
  dir: '/',
  meta: { title: 't', tags: [], authors: [], draft: false },
  body: md,
  bodyLine: 1,
};
const blocks: Block[] = articleBlocks(source).blocks;
const render = (layout: LayoutName, order: PairOrder = 'original-first', headingBase = 3) =>
  renderBlocks(blocks, { layout, order, headingBase });

/** The sides of every pair, in the order the reader meets them: [class, lang, text]. */
const sides = (out: string): Array<[string, string, string]> =>
  elements(out)
    .filter((e) => /\b(original|translation)\b/.test(attr(e, 'class') ?? ''))
    .map((e: XElement) => [attr(e, 'class')!, attr(e, 'lang')!, textOf(e)]);

describe('renderBlocks', () => {
  it('interleaved: each original, then its translation, headings one level below the title', () => {
    const out = render('interleaved');
    expect(xmlProblems(out)).toEqual([]);
    expect(sides(out).slice(0, 4)).toEqual([
      ['original', 'en', 'Fake names'],
      ['translation', 'zh', '伪造姓名'],
      ['original', 'en', 'It’s over. Facebook is in decline.'],
      ['translation', 'zh', '结束了。Facebook 在衰落。'],
    ]);
    const heading = elements(out).find((e) => textOf(e) === 'Fake names 伪造姓名')!;
    expect(heading.name).toBe('h4');
    // Lists, numbered lists (their start kept) and quotes hold their pairs.
    const list = elements(out).find((e) => e.name === 'ul')!;
    expect(byClass(list.children, 'translation').map(textOf)).toEqual(['采用成长心态。']);
    expect(attr(elements(out).find((e) => e.name === 'ol')!, 'start')).toBe('3');
    expect(
      byClass(elements(out).find((e) => e.name === 'blockquote')!.children, 'original').map(textOf),
    ).toEqual(['Quoted English.']);
    // Code and images appear once, as they are.
    const code = elements(out).find((e) => e.name === 'pre')!;
    expect([attr(code, 'lang'), textOf(code)]).toEqual(['zxx', 'echo <hi> & bye']);
    const link = elements(out).find(
      (e) => e.name === 'a' && e.children.some((c) => c.type === 'element' && c.name === 'img'),
    )!;
    expect([attr(link, 'href'), textOf(link)]).toEqual(['https://x/photo.jpg', 'A photo']);
  });

  it('every element holding text carries its language, in lang and xml:lang', () => {
    for (const layout of ['interleaved', 'side-by-side', 'original', 'translation'] as const) {
      for (const e of elements(render(layout))) {
        if (
          !e.children.some((c) => c.type === 'text' && c.value.trim()) ||
          ['a', 'em', 'strong', 'code', 'li'].includes(e.name)
        )
          continue;
        expect(attr(e, 'lang'), `${layout}: <${e.name}> ${textOf(e)}`).toMatch(/^\w+$/);
        expect(attr(e, 'xml:lang')).toBe(attr(e, 'lang'));
      }
    }
  });

  it('side-by-side marks pairs for two columns', () => {
    const out = render('side-by-side');
    expect(xmlProblems(out)).toEqual([]);
    const pairs = byClass(out, 'side-by-side');
    expect(pairs.length).toBeGreaterThan(3);
    for (const pair of pairs)
      expect(
        pair.children.filter((c) => c.type === 'element').map((c) => attr(c as XElement, 'class')),
      ).toEqual(['original', 'translation']);
  });

  it('original and translation show one side; singles always appear once', () => {
    const o = render('original');
    const t = render('translation');
    for (const out of [o, t]) {
      expect(xmlProblems(out)).toEqual([]);
      expect(elements(out).filter((e) => e.name === 'pre')).toHaveLength(1);
      expect(elements(out).filter((e) => e.name === 'img')).toHaveLength(1);
    }
    expect(sides(o).map(([cls, lang]) => `${cls} ${lang}`)).toEqual(sides(o).map(() => 'original en'));
    expect(sides(t).map(([cls, lang]) => `${cls} ${lang}`)).toEqual(sides(t).map(() => 'translation zh'));
    expect(textOf(elements(o))).not.toContain('伪造姓名');
    expect(textOf(elements(t))).not.toContain('growth mindset');
  });

  it('translation-first swaps the sides of every pair', () => {
    expect(
      sides(render('interleaved', 'translation-first'))
        .slice(0, 4)
        .map(([cls]) => cls),
    ).toEqual(['translation', 'original', 'translation', 'original']);
  });

  it('clamps heading levels at 6', () => {
    expect(
      elements(render('interleaved', 'original-first', 6)).find((e) => textOf(e) === 'Fake names 伪造姓名')!
        .name,
    ).toBe('h6');
  });
});
