/**
 * The pair stage on the messy patterns of real clipped articles (issue 3). Each fixture is cut
 * from the corpus article named in the test (theowenyoung/clip, content/...).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrubDebris } from '../../src/bilingual/debris.js';
import { articleBlocks } from '../../src/bilingual/index.js';
import { flatten, leavesToXhtml } from '../../src/bilingual/inline.js';
import { findLeaks } from '../../src/bilingual/leaks.js';
import { lexInline } from '../../src/markdown/parse.js';
import { xhtmlText } from '../../src/markdown/xhtml.js';
import type { ArticleSource, Block, PairBlock } from '../../src/model.js';
import { describeArticle, type PairsEntry } from '../../src/pairs/index.js';
import { CORPUS } from '../helpers.js';
import { xmlProblems } from '../xml-check.js';

function source(body: string, bodyLine = 1): ArticleSource {
  return {
    id: 't',
    file: '/x/t.md',
    relPath: 't.md',
    dir: '/x',
    meta: { title: 't', tags: [], authors: [], draft: false },
    body,
    bodyLine,
  };
}
const entries = (md: string): PairsEntry[] => describeArticle(source(md)).blocks;
type PairEntry = Extract<PairsEntry, { kind: 'pair' }>;
const pairs = (md: string) => entries(md).filter((e): e is PairEntry => e.kind === 'pair');
const texts = (e: PairsEntry) => (e.kind === 'pair' ? [e.original.text, e.translation.text] : [e.text]);

function allSegments(blocks: Block[]): { html: string; text: string }[] {
  const out: { html: string; text: string }[] = [];
  for (const b of blocks) {
    if (b.kind === 'pair') out.push(b.original, b.translation);
    else if (b.kind === 'single') out.push(b.segment);
    else if (b.kind === 'list') for (const it of b.items) out.push(...allSegments(it.blocks));
    else out.push(...allSegments(b.blocks));
  }
  return out;
}

function noLeaks(md: string) {
  const r = articleBlocks(source(md));
  for (const s of allSegments(r.blocks)) {
    expect(findLeaks(xhtmlText(s.html, { skipCode: true })).kinds, s.text).toEqual([]);
    expect(xmlProblems(s.html)).toEqual([]);
  }
  return r;
}

describe('paragraph pairs', () => {
  it('separate paragraphs, the main style (seed article)', () => {
    const md =
      'It’s over. Facebook is [in decline](https://cnbc.com/x).  \n\n结束了。 Facebook [在衰落](https://cnbc.com/x) 。\n\nNow that we’ve washed up on this unexpected shore, we can look back.\n\n既然我们已经冲上了这个意想不到的海岸，我们就可以回顾。\n';
    const r = articleBlocks(source(md, 14));
    expect(r.originalLang).toBe('en');
    expect(r.translationLang).toBe('zh');
    expect(r.blocks).toHaveLength(2);
    const p = r.blocks[0] as PairBlock;
    expect(p.kind).toBe('pair');
    expect(p.line).toBe(14);
    expect(p.original.html).toBe('It’s over. Facebook is <a href="https://cnbc.com/x">in decline</a>.');
    expect(p.translation.lang).toBe('zh');
    expect((r.blocks[1] as PairBlock).line).toBe(18);
  });

  it('EN␣␣ and ZH on consecutive lines of one paragraph (2023/01/26/witold-pilecki)', () => {
    const p = pairs(
      'Pilecki _(first right)_ as a scout, [Oryol](https://en.wikipedia.org/wiki/Oryol "Oryol"), 1917  \nPilecki（右一）作为侦察员，奥廖尔，俄罗斯，1917 年\n',
    );
    expect(p).toHaveLength(1);
    expect(texts(p[0]!)).toEqual([
      'Pilecki (first right) as a scout, Oryol, 1917',
      'Pilecki（右一）作为侦察员，奥廖尔，俄罗斯，1917 年',
    ]);
  });

  it('sentence-level pairs: one paragraph cut into several pairs', () => {
    const p = pairs('First sentence here.  \n第一句。  \nSecond sentence there.  \n第二句。\n');
    expect(p.map(texts)).toEqual([
      ['First sentence here.', '第一句。'],
      ['Second sentence there.', '第二句。'],
    ]);
  });

  it('an English paragraph and its Chinese on the same line (2023/01/26/witold-pilecki, line 150)', () => {
    const p = pairs(
      'TAP was based on Christian ideological values.<sup><a href="https://x#cite-9">[9]</a></sup> While Pilecki wanted to avert a religious mission, he refused. TAP 是基于基督教的意识形态价值观。 <sup><a href="https://x#cite-9">[9]</a></sup> 虽然 Pilecki 想避免宗教使命，但他拒绝了。\n',
    );
    expect(p).toHaveLength(1);
    expect(p[0]!.original!.text).toMatch(/^TAP was based.*he refused\.$/);
    expect(p[0]!.translation!.text).toMatch(/^TAP 是基于.*拒绝了。$/);
  });

  it('skips whitespace-only lines and a ␣␣-only paragraph between EN and ZH', () => {
    const p = pairs('The English paragraph.  \n   \n  \n\n   \n中文段落。\n');
    expect(p.map(texts)).toEqual([['The English paragraph.', '中文段落。']]);
  });

  it('non-breaking spaces do not break pairing', () => {
    const p = pairs(
      '13 May 1901\u00a0– 25 May 1948; Polish\u00a0names  \n1901 年 5 月 13 日 – 1948 年 5 月 25 日；波兰语名字\n',
    );
    expect(p).toHaveLength(1);
  });
});

describe('headings, in the four forms of the corpus', () => {
  it('two headings (2022/11/21/6-16-why-lisp-naver-lispe-wiki)', () => {
    const e = entries('## _Lisp_ is a philosophy\n\n## _Lisp_ 是一种哲学\n');
    expect(e).toEqual([
      {
        line: 1,
        kind: 'pair',
        type: 'heading',
        level: 2,
        original: { lang: 'en', text: 'Lisp is a philosophy' },
        translation: { lang: 'zh', text: 'Lisp 是一种哲学' },
      },
    ]);
  });

  it('one line, with or without a space (2023/06/26/happiness-everything-i-know)', () => {
    expect(pairs('## Fake names 伪造姓名\n').map(texts)).toEqual([['Fake names', '伪造姓名']]);
    expect(pairs('## My personal happiness我的个人幸福\n').map(texts)).toEqual([
      ['My personal happiness', '我的个人幸福'],
    ]);
    expect(pairs('### Optimize for Learning\u00a0为学习而优化\n').map(texts)).toEqual([
      ['Optimize for Learning', '为学习而优化'],
    ]);
    expect(pairs('## Biography\u00a0传\n').map(texts)).toEqual([['Biography', '传']]);
  });

  it('a numbered heading keeps its number on both sides (2023/06/18/how-to-take-smart-notes, line 629)', () => {
    expect(pairs('## 1. Welcome messages 1. 欢迎辞\n').map(texts)).toEqual([
      ['1. Welcome messages', '1. 欢迎辞'],
    ]);
    expect(pairs('### **2\\. Make** **notes** 2.做笔记\n').map(texts)).toEqual([
      ['2. Make notes', '2.做笔记'],
    ]);
    expect(pairs('## 3.1) Part three 3.1) 第三部分\n').map(texts)).toEqual([
      ['3.1) Part three', '3.1) 第三部分'],
    ]);
    // a number the translation does not repeat stays where it is
    expect(pairs('## 4. Last part 最后一部分\n').map(texts)).toEqual([['4. Last part', '最后一部分']]);
  });

  it('two one-line headings in a row are two pairs, not one (2023/01/26/witold-pilecki, line 110)', () => {
    const p = pairs(
      '## Biography 传\n\n### Early life 早期生活\n\nHe was born in the town of Olonets.  \n\n他出生在奥洛涅茨镇。\n\nHis family had been deported to Russia.  \n\n他的家人被驱逐到俄罗斯。\n',
    );
    expect(p.map(texts)).toEqual([
      ['Biography', '传'],
      ['Early life', '早期生活'],
      ['He was born in the town of Olonets.', '他出生在奥洛涅茨镇。'],
      ['His family had been deported to Russia.', '他的家人被驱逐到俄罗斯。'],
    ]);
  });

  it('a heading then a plain Chinese paragraph (2023/06/18/effective-engineer-md)', () => {
    const e = entries(
      '## Effective Engineer - Notes  \n\n有效的工程师 - 备注\n\n-   By Edmond Lau\u00a0作者：Edmond Lau\n',
    );
    expect(e[0]).toMatchObject({
      kind: 'pair',
      type: 'heading',
      original: { text: 'Effective Engineer - Notes' },
      translation: { text: '有效的工程师 - 备注' },
    });
  });

  it('an empty anchor link first (2023/03/16/will-a-is-take-all-our-jobs...)', () => {
    const e = entries('## [](https://x.com/a#oh-but-there-is)Oh, but there is  \n\n哦，但是有\n');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({
      kind: 'pair',
      type: 'heading',
      original: { text: 'Oh, but there is' },
      translation: { text: '哦，但是有' },
    });
    expect(entries('## Notes笔记 [](https://wiki.nikiv.dev/life/happiness#notes)\n')[0]).toMatchObject({
      kind: 'pair',
      original: { text: 'Notes' },
      translation: { text: '笔记' },
    });
  });
});

describe('lists', () => {
  it('-   EN␣␣, a line of spaces, an indented ZH; nested to three levels (2023/06/18/effective-engineer-md)', () => {
    const md = [
      '-   Adopt a growth mindset.  ',
      '    ',
      '    采用成长心态。',
      '    -   Talk to people. Become good at telling stories.  ',
      '        ',
      '        与人交谈。成为讲故事的好手。',
      '        -   Own your story in the third level.  ',
      '            ',
      '            在第三层拥有你的故事。',
      '-   Invest in the rate of learning  ',
      '    ',
      '    投资于学习的速度',
      '',
    ].join('\n');
    const r = articleBlocks(source(md, 10));
    const e = describeArticle(source(md, 10)).blocks;
    expect(e.map((x) => [x.line, x.kind, x.type])).toEqual([
      [10, 'pair', 'list-item'],
      [13, 'pair', 'list-item'],
      [16, 'pair', 'list-item'],
      [19, 'pair', 'list-item'],
    ]);
    const list = r.blocks[0]!;
    expect(list.kind).toBe('list');
  });

  it('ordered lists keep their start', () => {
    const r = articleBlocks(
      source('3.  Third item here.  \n    \n    第三项。\n4.  Fourth item.  \n    \n    第四项。\n'),
    );
    expect(r.blocks[0]).toMatchObject({ kind: 'list', ordered: true, start: 3 });
  });

  it('two consecutive items, EN then ZH (2022/12/19/challenging-projects-every-programmer-should-try)', () => {
    const e = entries('- tokenization\n- 代币化\n- parsing\n- 解析\n');
    expect(e.map(texts)).toEqual([
      ['tokenization', '代币化'],
      ['parsing', '解析'],
    ]);
  });

  it('short items inline (2023/06/18/effective-engineer-md)', () => {
    expect(
      pairs('-   By Edmond Lau\u00a0作者：Edmond Lau\n-   Highly Recommended 👍\u00a0强烈推荐👍\n').map(
        texts,
      ),
    ).toEqual([
      ['By Edmond Lau', '作者：Edmond Lau'],
      ['Highly Recommended 👍', '强烈推荐👍'],
    ]);
  });
});

describe('links and emphasis that span the pair', () => {
  it('a link around both sides, across a line of spaces (2023/06/26/happiness-everything-i-know)', () => {
    const md = '-   [Exercise  \n    \n    锻炼身体](https://wiki.nikiv.dev/fitness/)\n';
    const r = noLeaks(md);
    const e = describeArticle(source(md)).blocks;
    expect(e.map(texts)).toEqual([['Exercise', '锻炼身体']]);
    const p = (r.blocks[0] as { items: { blocks: PairBlock[] }[] }).items[0]!.blocks[0]!;
    expect(p.original.html).toBe('<a href="https://wiki.nikiv.dev/fitness/">Exercise</a>');
    expect(p.translation.html).toBe('<a href="https://wiki.nikiv.dev/fitness/">锻炼身体</a>');
  });

  it('a link inside one paragraph (2022/12/19/challenging-projects-every-programmer-should-try)', () => {
    const md = '-   [Lexical analysis  \n    词法分析](https://en.wikipedia.org/wiki/Lexical_analysis)\n';
    noLeaks(md);
    expect(pairs(md).map(texts)).toEqual([['Lexical analysis', '词法分析']]);
  });

  it('emphasis across a blank line (2023/10/26/the-negative-impact-of-mobile-first-web-design-on-desktop)', () => {
    const md = '_Waze.com: The information density is low.  \n\nWaze.com：信息密度较低。_\n';
    const r = noLeaks(md);
    const p = r.blocks[0] as PairBlock;
    expect(p.original.html).toBe('<em>Waze.com: The information density is low.</em>');
    expect(p.translation.html).toBe('<em>Waze.com：信息密度较低。</em>');
  });

  it('emphasis of a poem, line by line (2023/03/27/understanding-chat-gpt)', () => {
    const md =
      '_Molecular biology is a funny thing,  \n\n分子生物学是一个有趣的东西、_  \n\n_It looks at the cells with a dingle-ding,  \n\n它看着细胞，发出叮叮当当的声音、_\n';
    noLeaks(md);
    expect(pairs(md)).toHaveLength(2);
  });

  it('strong across a heading and a paragraph (2023/06/18/how-to-take-smart-notes...)', () => {
    const md = '### **4\\. Add your permanent notes to the slip-box  \n\n4.将你的永久笔记添加到滑箱中**\n';
    noLeaks(md);
    expect(entries(md)[0]).toMatchObject({
      kind: 'pair',
      type: 'heading',
      original: { text: '4. Add your permanent notes to the slip-box' },
    });
  });

  it('a lone closing delimiter on the last line (2022/12/19/challenging-projects-every-programmer-should-try)', () => {
    const md =
      '_Still not difficult enough for you? Try these two projects:  \n对你来说还不够难吗？试试这两个项目：  \n_\n';
    noLeaks(md);
    expect(pairs(md)).toHaveLength(1);
  });

  it('the Chinese side drops the links of the English side', () => {
    const p = pairs(
      'He joined the [Polish Army](https://en.wikipedia.org/wiki/Polish_Army).  \n他加入了波兰军队。\n',
    );
    expect(p.map(texts)).toEqual([['He joined the Polish Army.', '他加入了波兰军队。']]);
  });
});

describe('quotes, code, images, tables', () => {
  it('blockquotes holding pairs (2022/12/19/how-the-worlds-most-used-database-works)', () => {
    const md = '> The quick brown fox jumps over the lazy dog.  \n>\n> 敏捷的棕色狐狸跳过了懒狗。\n';
    const r = articleBlocks(source(md));
    expect(r.blocks[0]!.kind).toBe('quote');
    expect(entries(md)).toMatchObject([{ kind: 'pair', type: 'quote' }]);
  });

  it('code stays single, inline code kept in Chinese', () => {
    const md = 'Run `nix-env -i` first.  \n先运行 `nix-env -i`。\n\n```\nnix-env -iA nixpkgs.hello\n```\n';
    const e = entries(md);
    expect(e.map((x) => [x.kind, x.type])).toEqual([
      ['pair', 'paragraph'],
      ['single', 'code'],
    ]);
    expect(texts(e[0]!)[1]).toBe('先运行 nix-env -i。');
  });

  it('linked images become single image blocks, text around them is paired', () => {
    const md =
      '[![A photo](220px-photo.jpg)](https://en.wikipedia.org/wiki/File:photo.jpg)\n\n[![](a.png)](https://x/a.png)Caption in English  \n中文说明\n';
    const r = articleBlocks(source(md));
    expect(r.blocks.map((b) => (b.kind === 'single' ? b.type : b.kind))).toEqual(['image', 'image', 'pair']);
    const img = r.blocks[0]!;
    expect(img.kind === 'single' && img.segment.html).toBe(
      '<a href="https://en.wikipedia.org/wiki/File:photo.jpg"><img src="220px-photo.jpg" alt="A photo"/></a>',
    );
  });

  it('tables stay single', () => {
    expect(entries('| a | b |\n| --- | --- |\n| EN  \n中 | x |\n')[0]).toMatchObject({
      kind: 'single',
      type: 'table',
    });
  });

  it('a raw HTML table and its copiedNode are one pair, not a duplicate (2022/11/23/little-languages-are-the-future-of-programming)', () => {
    const md =
      '<table id="n" data-translationmark="copiedNode"><tbody><tr><td>[1]</td><td>See the notes about the kernel here.</td></tr></tbody></table>\n\n<table id="n"><tbody><tr><td><span>[1]</span></td><td><span>请参阅这里关于内核的说明。</span></td></tr></tbody></table>\n';
    const r = articleBlocks(source(md));
    expect(r.blocks).toHaveLength(1);
    const p = r.blocks[0] as PairBlock;
    expect(p.kind).toBe('pair');
    expect(p.original.html).not.toContain('id=');
    expect(p.original.html).not.toContain('copiedNode');
  });
});

describe('odd lines and mismatches', () => {
  it('a footnote marker split from its number (2023/07/02/how-to-do-great-work)', () => {
    const md =
      "\\[\n\n1\\] I don't think you could give a precise definition of great work.\n\n\\[1\\] 我不认为你可以给伟大的工作下一个准确的定义。\n";
    noLeaks(md);
    expect(pairs(md).map(texts)).toEqual([
      [
        "[1] I don't think you could give a precise definition of great work.",
        '[1] 我不认为你可以给伟大的工作下一个准确的定义。',
      ],
    ]);
  });

  it('a paragraph of only a footnote marker between EN and ZH joins the original (2023/07/02/how-to-do-great-work, line 43)', () => {
    const r = articleBlocks(
      source(
        'Ambitious people are if anything already too conservative.\n\n\\[[1](http://paulgraham.com/greatwork.html#f1n)\\]  \n\n有雄心壮志的人在这方面已经太保守了。\\[1\\]\n',
      ),
    );
    expect(r.blocks).toHaveLength(1);
    const p = r.blocks[0] as PairBlock;
    expect(p.original.text).toBe('Ambitious people are if anything already too conservative. [1]');
    expect(p.original.html).toContain('<a href="http://paulgraham.com/greatwork.html#f1n">1</a>');
    expect(r.diagnostics).toEqual([]);
  });

  it('an image between an original and its translation follows the pair (2022/12/19/challenging-projects, line 70)', () => {
    const r = articleBlocks(
      source(
        'Another hurdle was learning how a text cursor behaves in popular editors.\n\n![](textcursor.gif)\n\n另一个障碍是了解文本光标在流行编辑器中的行为方式。\n',
      ),
    );
    expect(r.blocks.map((b) => (b.kind === 'single' ? b.type : b.kind))).toEqual(['pair', 'image']);
    expect(r.diagnostics).toEqual([]);
  });

  it('a caption and its translation keeping the credit in Latin letters are a pair (the-restaurant-nearest-google, lines 111 and 113)', () => {
    const r = noLeaks(
      [
        '![](a.jpg)',
        'A cook at work. Photo: Anna Bell Carter/Northern Light Press via Example Images',
        '厨师在工作。摄：Anna Bell Carter/Northern Light Press via Example Images',
      ].join('\n\n'),
    );
    expect(r.blocks.map((b) => (b.kind === 'pair' ? [b.original.lang, b.translation.lang] : b.kind))).toEqual(
      ['single', ['en', 'zh']],
    );
    expect(r.diagnostics).toEqual([]);
    // a paragraph clipping broke, the end of a Chinese clause then English words (not names): English
    expect(
      entries(
        '），另一个自我，或阅读记忆(x). He reported that it surprised him with ideas he had forgotten.\n',
      ),
    ).toMatchObject([{ kind: 'single', lang: 'en' }]);
    // an English sentence that only quotes a Chinese word stays English
    expect(pairs('道 is the way, in English words.\n\n道是道路。\n').map(texts)).toEqual([
      ['道 is the way, in English words.', '道是道路。'],
    ]);
  });

  it('two English paragraphs, then one Chinese: recovered, with a warning', () => {
    const md = [
      'The first English paragraph talks about the history of the town and its people.',
      '',
      'The second English paragraph continues the story with many more details about the war.',
      '',
      '第一段英文讲述了这个小镇和它的人民的历史。第二段英文继续讲述了这个故事，有更多关于战争的细节。',
      '',
      'A third paragraph, properly translated.',
      '',
      '第三段，翻译得当。',
      '',
    ].join('\n');
    const r = describeArticle(source(md, 20));
    expect(r.blocks.filter((b) => b.kind === 'pair')).toHaveLength(2);
    expect(r.blocks.at(-1)).toMatchObject({
      kind: 'pair',
      original: { text: 'A third paragraph, properly translated.' },
    });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ file: 't.md', line: 22, severity: 'warning' });
  });

  it('an untranslated paragraph: single, with a warning, and alignment holds after it', () => {
    const md =
      'An untranslated reference paragraph, which nobody translated at all, sadly.\n\nTranslated paragraph.\n\n翻译的段落。\n';
    const r = describeArticle(source(md, 5));
    expect(r.blocks.map((b) => b.kind)).toEqual(['single', 'pair']);
    expect(r.diagnostics).toEqual([
      {
        code: 'pair/untranslated',
        file: 't.md',
        line: 5,
        severity: 'warning',
        message: expect.stringContaining('no translation'),
      },
    ]);
  });

  it('an English-only reference list gives one warning, not one per item (2022/11/24/world-passport, line 259)', () => {
    const refs = Array.from(
      { length: 5 },
      (_, k) =>
        `${k + 1}.  **[^](https://en.wikipedia.org/wiki/World_Passport#cite_ref-${k + 1} "Jump up")** "Reference number ${k + 1}, a document about passports and borders". World Service Authority. Retrieved 2018-01-28.`,
    );
    const md = [
      'The World Passport is a document issued by a non-profit organisation.  ',
      '',
      '世界护照是由一个非营利组织签发的证件。',
      '',
      ...refs,
      '',
    ].join('\n');
    const r = articleBlocks(source(md, 10));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ line: 14, severity: 'warning' });
    expect(r.diagnostics[0]!.message).toMatch(
      /^5 list items have no translation \(lines 14-18\), from "\^ "Reference number 1/,
    );
  });

  it('an original left twice by a failed translation is shown once (2022/12/08/zhu-li-ya-you-shi-me-hao, lines 67 and 94)', () => {
    const md = [
      'A better catchphrase for Julia might be "the best tradeoff you have ever seen".',
      '',
      'A better catchphrase for Julia might be "the best tradeoff you have ever seen".',
      '',
      '-   I have shoehorned my program logic to be vectorizable by Numpy.',
      '    ',
      '-   I have shoehorned my program logic to be vectorizable by Numpy.  ',
      '    ',
      '    我把我的程序逻辑强行塞进了 Numpy 向量化的程序逻辑中。',
      '',
      'Speed is the first selling point of Julia.  ',
      '',
      'Julia 的速度是它的第一个卖点。',
      '',
    ].join('\n');
    const e = entries(md);
    expect(e.map((x) => [x.kind, x.type, texts(x)[0]!.slice(0, 20)])).toEqual([
      ['single', 'paragraph', 'A better catchphrase'],
      ['pair', 'list-item', 'I have shoehorned my'],
      ['pair', 'paragraph', 'Speed is the first s'],
    ]);
    expect(articleBlocks(source(md)).diagnostics).toHaveLength(1);
  });

  it('a translation that fell out of its list goes back to the last item (2023/06/25/common-bugs-in-writing, line 191)', () => {
    const md = [
      '42.  Expand all acronyms on first use.  ',
      '    ',
      '    在第一次使用时展开所有缩略语。',
      '',
      '43.  Each paragraph should have a lead sentence summarizing its content.  ',
      '',
      '每个段落都应该有一个概括其内容的引导句。',
      '',
      '-   https://www.brusselsconference.com/registration',
      '',
      'Recent appearances: 近期出场：',
      '',
    ].join('\n');
    const r = articleBlocks(source(md));
    expect(entries(md).map((x) => [x.kind, x.type, texts(x)[1]?.slice(0, 8)])).toEqual([
      ['pair', 'list-item', '在第一次使用时展'],
      ['pair', 'list-item', '每个段落都应该有'],
      ['single', 'list-item', undefined],
      ['pair', 'paragraph', '近期出场：'],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('an article with nothing to pair: all single, said once (pair/none) (2022/11/21/nu-xing-zhu-yi...)', () => {
    const chinese = describeArticle(
      source('问题就在这里。它永远不会结束。\n\n我们都在尽可能快地奔跑，但我们哪里也去不了。\n'),
    );
    expect(chinese.originalLang).toBe('zh');
    expect(chinese.blocks.every((b) => b.kind === 'single')).toBe(true);
    expect(chinese.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      [
        'pair/none',
        1,
        'nothing to pair: the article is all in Chinese, with no translation in another script',
      ],
    ]);
    const english = describeArticle(source('# A title\n\nOne paragraph.\n\nAnother paragraph.\n'));
    expect(english.diagnostics.map((d) => d.code)).toEqual(['pair/none']);
    // French then English: one script, nothing pairs
    const french = describeArticle(
      source('Le problème est là. Il ne finira jamais.\n\nThe problem is there. It will never end.\n'),
    );
    expect(french.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'pair/none',
        'nothing to pair: the article is all in Latin script, with no translation in another script',
      ],
    ]);
    // one pair is enough; an article of code or images has no text to pair
    expect(describeArticle(source('One.\n\n一。\n\nTwo.\n')).diagnostics.map((d) => d.code)).not.toContain(
      'pair/none',
    );
    expect(describeArticle(source('```\ncode\n```\n')).diagnostics).toEqual([]);
  });

  it('does not trust the front matter language: detection decides', () => {
    const src = source('English first.  \n中文第二。\n');
    src.meta.lang = 'zh';
    expect(articleBlocks(src).originalLang).toBe('en');
  });
});

describe('broken source markup leaves no debris', () => {
  it('a link whose URL and title lost their closing parenthesis (2023/01/26/witold-pilecki, line 150)', () => {
    const r = noLeaks(
      'their newsletter, _[Znak](https://en.wikipedia.org/w/index.php?title=Znak_(publication)&action=edit "Znak (publication)") \\[[pl](https://pl.wikipedia.org/wiki/Znak_(pismo_konspiracyjne "pl:Znak (pismo konspiracyjne")\\]_; Włodarkiewicz had also entered talks. 并且他在他们的时事通讯 Znak [pl] 中加入了极端民族主义的教条； Włodarkiewicz 还进行了谈判。\n',
    );
    const p = r.blocks[0] as PairBlock;
    expect(p.kind).toBe('pair');
    expect(p.original.text).toBe('their newsletter, Znak [pl]; Włodarkiewicz had also entered talks.');
    expect(p.original.html).toContain(
      '<a href="https://pl.wikipedia.org/wiki/Znak_(pismo_konspiracyjne)" title="pl:Znak (pismo konspiracyjne)">pl</a>',
    );
  });

  it('footnote markers between two cuts stay with the original (2023/01/26/witold-pilecki, line 152)', () => {
    const p = pairs(
      'He volunteered to infiltrate Auschwitz.<sup>[2]</sup> <sup>[3]</sup><sup>[4]</sup> 皮莱茨基呼吁 TAP 服从 Rowecki 的权威，他自愿潜入奥斯威辛集中营。\n',
    );
    expect(texts(p[0]!)).toEqual([
      'He volunteered to infiltrate Auschwitz.[2] [3][4]',
      '皮莱茨基呼吁 TAP 服从 Rowecki 的权威，他自愿潜入奥斯威辛集中营。',
    ]);
  });

  it('an underscore opened before a quote mark (2023/06/24/he-has-flown-23-million-miles, line 83)', () => {
    const p = pairs(
      '_“_Yeah, four. All heart attacks. What else could they do?”  \n\n"是的，四个。都是心脏病发作。他们还能做什么？"\n',
    );
    expect(p[0]!.original!.text).toBe('“Yeah, four. All heart attacks. What else could they do?”');
  });

  it('a doubled opener and a closer before the full stop (2022/12/12/is-dark-mode-good-for-your-eyes, line 133)', () => {
    const r = noLeaks(
      '__This post is day 04 of my `#100DaysToOffload` challenge. More from [https://100daystooffload.com](https://100daystooffload.com/)_._\n\n这篇帖子是我#100天要卸载挑战的第04天。更多信息来自https://100daystooffload.com。\n',
    );
    const p = r.blocks[0] as PairBlock;
    expect(p.original.html).toMatch(/^<em>This post/);
    expect(p.original.text).toMatch(/100daystooffload\.com\.$/);
  });

  it('debris of emphasis on the translation side only (2023/08/19/why-finnish-people-tell-the-truth, line 213)', () => {
    const p = pairs(
      '_Join more than three million BBC Travel fans by liking us on_ [Facebook](https://www.facebook.com/BBCTravel/)_, or follow us on_ [Twitter](https://twitter.com/BBC_Travel)  \n\n在 Facebook 上喜欢我们，或在 Twitter 上关注我们，加入三百多万 BBC Travel 粉丝的行列_._\n',
    );
    expect(p[0]!.translation!.text).toBe(
      '在 Facebook 上喜欢我们，或在 Twitter 上关注我们，加入三百多万 BBC Travel 粉丝的行列.',
    );
    expect(p[0]!.original!.text).toBe(
      'Join more than three million BBC Travel fans by liking us on Facebook, or follow us on Twitter',
    );
  });

  it('emphasis opened before an escaped asterisk and closed by the translation (2023/11/05/why-hashi-corp-vault, line 77)', () => {
    const r = noLeaks(
      '_\\*Note: Mozilla SOPS also met my requirements at the time.  \n\n注意：Mozilla SOPS也符合我的要求。_\n',
    );
    const p = r.blocks[0] as PairBlock;
    expect(p.original.html).toBe('<em>*Note: Mozilla SOPS also met my requirements at the time.</em>');
    expect(p.translation.html).toBe('<em>注意：Mozilla SOPS也符合我的要求。</em>');
  });

  it('an escaped bracket never closed, and `](` between a footnote and a remark (happiness, line 246; how-the-worlds-most-used-database, line 973)', () => {
    const r = noLeaks(
      '\\[For those who can afford it, quitting is self-care (2021)([https://www.thecut.com/q](https://www.thecut.com/q))  \n\n\\[对于那些有能力的人来说，戒烟是自我保健(2021年)( https://www.thecut.com/q)\n\nAnother motherboard worked. \\[10\\] (About his Apple II) With just 4k of RAM.\n\n另一块主板起作用了。\\[10\\](关于他的Apple II)只要有4K的内存。\n',
    );
    const [a, b] = r.blocks as PairBlock[];
    expect(a!.original.text).toMatch(/^For those/);
    expect(a!.translation.text).toMatch(/^对于那些/);
    expect(b!.translation.text).toBe('另一块主板起作用了。[10] (关于他的Apple II)只要有4K的内存。');
  });

  it('underscores touching Han are emphasis, escaped ones stay text (sample craft/reading-slowly; 2022/11/24/world-passport)', () => {
    const r = noLeaks(
      'A _false friend_ costs more time.  \n\n一个_假朋友_比一个生词更费时间。\n\nSee the page of Sina News now.  \n\n见"偷渡者\\_新闻中心\\_新浪网"。\n',
    );
    const [a, b] = r.blocks as PairBlock[];
    expect(a!.translation.html).toBe('一个<em>假朋友</em>比一个生词更费时间。');
    expect(b!.translation.text).toBe('见"偷渡者_新闻中心_新浪网"。');
  });

  it('spaces a translation tool left around emphasis next to full-width punctuation go (sample essays/the-age-of-social-media-is-ending)', () => {
    const p = pairs(
      'Their average reach: _Zero Comments_.  \n\n它们的平均影响力： _零评论_ 。 照片网站 Flickr 就是其中之一 （见上） 。\n',
    );
    expect(p[0]!.translation.text).toBe('它们的平均影响力：零评论。照片网站 Flickr 就是其中之一 （见上）。');
  });

  it('keeps what an author meant: snake_case, blanks, escaped asterisks, footnotes, URLs', () => {
    const r = noLeaks(
      'Use snake_case and __init__ here: every good ____ does fine, only\\* one [1] at https://x.org/a_b/c today.  \n\n使用 snake_case 和 __init__：每个好的____都做得很好，只有\\*一个 [1]。\n',
    );
    const p = r.blocks[0] as PairBlock;
    expect(p.original.text).toBe(
      'Use snake_case and init here: every good ____ does fine, only* one [1] at https://x.org/a_b/c today.',
    );
  });
});

const corpus = CORPUS;
describe.skipIf(!existsSync(corpus))('the corpus', () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n === 'index.md') files.push(p);
    }
  };
  if (existsSync(corpus)) walk(corpus);

  it('every article pairs into well-formed XHTML, and nothing is lost', () => {
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const lines = text.split('\n');
      const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
      const body = lines.slice(end + 1).join('\n');
      const r = articleBlocks(source(body, end + 2));
      const segs = allSegments(r.blocks);
      for (const s of segs) expect(xmlProblems(s.html), f).toEqual([]);
      const out = segs.map((s) => s.text).join('\n');
      const han = (s: string) => s.match(/\p{Script=Han}/gu)?.length ?? 0;
      const src = body.replace(/\]\([^)]*\)/g, ']').replace(/<[^>]*>/g, '');
      expect(han(out), f).toBeGreaterThanOrEqual(Math.floor(han(src) * 0.99));
    }
  });
});

describe('leak detection can fail', () => {
  it('finds what an unmended cut leaves', () => {
    expect(findLeaks('[Exercise').kinds).toEqual(['[']);
    expect(findLeaks('锻炼身体](https://wiki.nikiv.dev/fitness/)').kinds).toContain('](');
    expect(findLeaks('_Molecular biology is a funny thing,').kinds).toEqual(['_']);
    expect(findLeaks('分子生物学是一个有趣的东西、_').kinds).toEqual(['_']);
    expect(findLeaks('**4. Add your permanent notes').kinds).toEqual(['**']);
    expect(findLeaks('an odd ` tick').kinds).toEqual(['`']);
    expect(findLeaks('Every good ____ does fine [1] see https://x.org/a_b_ and snake_case').count).toBe(0);
    expect(findLeaks('*Note: Mozilla SOPS also met my requirements').count).toBe(0);
    expect(findLeaks('_“_Yeah, four.').kinds).toEqual(['_']);
    expect(findLeaks('另一块主板。[10](关于他的Apple II)只要').kinds).toEqual(['](']);
  });

  it('catches debris in what the pair stage gives when the final repair is skipped', () => {
    // the same broken source, rendered without scrubDebris: the detector must see it
    const leaves = flatten(lexInline('_“_Yeah, four. [For those (2021)(x) \\[10\\](remark) end_._', {}), 1);
    expect(findLeaks(xhtmlText(leavesToXhtml(leaves))).count).toBeGreaterThan(0);
    expect(findLeaks(xhtmlText(leavesToXhtml(scrubDebris(leaves)))).count).toBe(0);
  });
});
