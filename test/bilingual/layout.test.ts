import { describe, expect, it } from 'vitest';
import type { ArticleSource, Block } from '../../src/model.js';
import { articleBlocks } from '../../src/bilingual/index.js';
import { renderBlocks } from '../../src/bilingual/layout.js';
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
const source: ArticleSource = { id: 't', file: '/t.md', relPath: 't.md', dir: '/', meta: { title: 't', tags: [], draft: false }, body: md, bodyLine: 1 };
const blocks: Block[] = articleBlocks(source).blocks;
const render = (layout: 'interleaved' | 'side-by-side' | 'original' | 'translation', order: 'original-first' | 'translation-first' = 'original-first') =>
  renderBlocks(blocks, { layout, order, headingBase: 3 });

describe('renderBlocks', () => {
  it('interleaved: original then translation, each with lang and xml:lang', () => {
    const out = render('interleaved');
    expect(xmlProblems(out)).toEqual([]);
    expect(out).toContain('<h4 class="pair-heading"><span class="original" lang="en" xml:lang="en">Fake names</span> <span class="translation" lang="zh" xml:lang="zh">伪造姓名</span></h4>');
    expect(out).toContain('<div class="pair"><p class="original" lang="en" xml:lang="en">It’s over. Facebook is <a href="https://cnbc.com/x">in decline</a>.</p><p class="translation" lang="zh" xml:lang="zh">');
    expect(out).toMatch(/<ul><li><div class="pair">.*采用成长心态。<\/p><\/div><\/li><\/ul>/);
    expect(out).toContain('<ol start="3"><li>');
    expect(out).toMatch(/<blockquote><div class="pair">.*<\/blockquote>/);
    expect(out).toContain('<pre class="single code" lang="zxx" xml:lang="zxx"><code>echo &lt;hi&gt; &amp; bye</code></pre>');
    expect(out).toContain('<div class="single image" lang="en" xml:lang="en"><a href="https://x/photo.jpg"><img src="photo.jpg" alt="A photo"/></a></div>');
  });

  it('every element holding text carries its language', () => {
    for (const layout of ['interleaved', 'side-by-side', 'original', 'translation'] as const) {
      const out = render(layout);
      for (const m of out.matchAll(/<(p|h\d|span|pre|div)( [^>]*)?>(?=[^<])/g)) expect(m[2] ?? '', `${layout}: ${m[0]}`).toMatch(/ lang="\w+" xml:lang="\w+"/);
    }
  });

  it('side-by-side marks pairs for two columns', () => {
    const out = render('side-by-side');
    expect(xmlProblems(out)).toEqual([]);
    expect(out).toContain('<div class="pair side-by-side"><p class="original"');
  });

  it('original and translation show one side; singles always appear once', () => {
    const o = render('original');
    const t = render('translation');
    for (const out of [o, t]) {
      expect(xmlProblems(out)).toEqual([]);
      expect(out.match(/echo &lt;hi&gt;/g)).toHaveLength(1);
      expect(out.match(/src="photo\.jpg"/g)).toHaveLength(1);
    }
    expect(o).toContain('Fake names');
    expect(o).not.toContain('伪造姓名');
    expect(t).toContain('伪造姓名');
    expect(t).not.toContain('Fake names');
    expect(t).not.toContain('growth mindset');
  });

  it('translation-first swaps the sides', () => {
    const out = render('interleaved', 'translation-first');
    expect(out).toContain('<div class="pair"><p class="translation" lang="zh" xml:lang="zh">结束了。');
    expect(out.indexOf('伪造姓名')).toBeLessThan(out.indexOf('Fake names'));
  });

  it('clamps heading levels at 6', () => {
    const out = renderBlocks(blocks, { layout: 'interleaved', order: 'original-first', headingBase: 6 });
    expect(out).toContain('<h6 class="pair-heading">');
  });
});
