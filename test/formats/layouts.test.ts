/**
 * The four layouts end to end: the fixture test/fixtures/layouts (two short articles: a heading
 * pair, a paragraph pair, a list with a nested translated item, a quote, a code block, an image;
 * the second article asks for side-by-side in its front matter) written as EPUB in each layout and
 * with `translation-first`, and what each article shows. Also: every piece of text in an article
 * body sits inside an element that carries `lang` and `xml:lang`, in the fixture and, when
 * ../shared is there, in two corpus articles.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LayoutName, PairOrder } from '../../src/model.js';
import { BookTest } from '../book-test.js';
import { articleBody, attr, documentElements, elements, hasClass, textOf, type XElement } from '../dom.js';
import { CORPUS, HAVE_CORPUS } from '../helpers.js';

const fixtureBook = BookTest.fromFixture('layouts');
afterAll(() => fixtureBook.remove());

interface Built {
  files: Record<string, string>;
  tools: XElement;
  night: XElement;
  /** The article element of each (its class names its layout). */
  toolsArticle: XElement;
  nightArticle: XElement;
  toolsTitle: XElement;
}

async function written(layout?: LayoutName, order?: PairOrder): Promise<Built> {
  const { files } = BookTest.epubOf(await fixtureBook.write('epub', { layout, order }));
  const find = (needle: string) => {
    const name = Object.keys(files).find((f) => f.endsWith('.xhtml') && f.includes(needle));
    if (!name) throw new Error(`no XHTML for ${needle} in ${Object.keys(files).join(', ')}`);
    return files[name]!;
  };
  const article = (xhtml: string) => documentElements(xhtml).find((e) => hasClass(e, 'article'))!;
  return {
    files,
    tools: articleBody(find('tools')),
    night: articleBody(find('night')),
    toolsArticle: article(find('tools')),
    nightArticle: article(find('night')),
    toolsTitle: documentElements(find('tools')).find((e) => hasClass(e, 'article-title'))!,
  };
}

/** Every pair's two sides, in reading order, as [class, lang] of the first and the second. */
const pairSides = (body: XElement): string[][] =>
  elements(body.children)
    .filter((e) => hasClass(e, 'pair'))
    .map((pair) =>
      pair.children
        .filter((c): c is XElement => c.type === 'element')
        .flatMap((side) => [attr(side, 'class')!, attr(side, 'lang')!]),
    );

const headingOf = (body: XElement, text: string): XElement =>
  elements(body.children).find((e) => /^h\d$/.test(e.name) && textOf(e).includes(text))!;
const layoutOf = (article: XElement): string =>
  (attr(article, 'class') ?? '').split(' ').find((c) => c.startsWith('layout-'))!;

/** Texts (not blank) inside `body` with no element around them that carries lang and xml:lang. */
function textWithoutLanguage(nodes: XElement['children']): string[] {
  const missing: string[] = [];
  const walk = (list: XElement['children'], lang: boolean) => {
    for (const n of list) {
      if (n.type === 'text') {
        if (!lang && n.value.trim()) missing.push(n.value.trim().slice(0, 60));
        continue;
      }
      walk(n.children, lang || (attr(n, 'lang') !== undefined && attr(n, 'xml:lang') !== undefined));
    }
  };
  walk(nodes, false);
  return missing;
}

describe('layouts, written as EPUB from test/fixtures/layouts', () => {
  it('the language check can fail', () => {
    expect(
      textWithoutLanguage(
        elements(
          '<div><p lang="en" xml:lang="en">ok <em>fine</em></p><p>lost</p><div lang="zh">no xml:lang</div></div>',
        )[0]!.children,
      ),
    ).toEqual(['lost', 'no xml:lang']);
  });

  it('interleaved: each pair is the original, then its translation; the front matter chooses side-by-side for one article', async () => {
    const b = await written();
    expect(layoutOf(b.toolsArticle)).toBe('layout-interleaved');
    // the paragraph, the list item, its nested item, the second item, the quote
    expect(pairSides(b.tools)).toEqual(Array(5).fill(['original', 'en', 'translation', 'zh']));
    const heading = headingOf(b.tools, 'A few small tools');
    expect(
      heading.children
        .filter((c): c is XElement => c.type === 'element')
        .map((s) => [attr(s, 'class'), attr(s, 'lang'), textOf(s)]),
    ).toEqual([
      ['original', 'en', 'A few small tools'],
      ['translation', 'zh', '几件小工具'],
    ]);
    // the nested item is a list inside the first item, both sides there
    const firstItem = elements(b.tools.children).find((e) => e.name === 'li')!;
    const nested = elements(firstItem.children).find((e) => e.name === 'ul')!;
    expect(
      elements(nested.children)
        .filter((e) => e.name === 'p')
        .map((p) => [attr(p, 'lang'), textOf(p)]),
    ).toEqual([
      ['en', 'One line per term.'],
      ['zh', '每个术语一行。'],
    ]);
    expect(
      elements(b.tools.children)
        .find((e) => e.name === 'blockquote')!
        .children.some((c) => c.type === 'element' && hasClass(c, 'pair')),
    ).toBe(true);
    expect(layoutOf(b.nightArticle)).toBe('layout-side-by-side');
    expect(elements(b.night.children).some((e) => hasClass(e, 'pair') && hasClass(e, 'side-by-side'))).toBe(
      true,
    );
  });

  it('side-by-side: two columns per pair on a wide screen, one column on a narrow one', async () => {
    const b = await written('side-by-side');
    expect(layoutOf(b.toolsArticle)).toBe('layout-side-by-side');
    const pairs = elements(b.tools.children).filter((e) => hasClass(e, 'pair'));
    expect(pairs).toHaveLength(5);
    expect(pairs.every((p) => hasClass(p, 'side-by-side'))).toBe(true);
    expect(hasClass(headingOf(b.tools, 'A few small tools'), 'side-by-side')).toBe(true);
    const css = Object.entries(b.files)
      .filter(([f]) => f.endsWith('.css'))
      .map(([, c]) => c)
      .join('\n');
    // two columns only inside @media: where @media is dropped (calibre's AZW3), one column
    // (rendered at both widths and without @media in test/formats/epub/reading-modes.test.ts)
    expect(css).toMatch(
      /@media \(min-width: 30em\) \{[\s\S]*?\.layout-side-by-side \.pair,[\s\S]*?display: grid/,
    );
    expect(css.replace(/@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}/g, '')).not.toMatch(/display: grid/);
    // --layout wins over the front matter
    expect(layoutOf(b.nightArticle)).toBe('layout-side-by-side');
  });

  it('original: the originals alone, in English, every one of them', async () => {
    const b = await written('original');
    for (const body of [b.tools, b.night]) {
      expect(elements(body.children).filter((e) => hasClass(e, 'translation'))).toEqual([]);
      expect(elements(body.children).filter((e) => attr(e, 'lang') === 'zh')).toEqual([]);
      expect(textOf(body)).not.toMatch(/\p{Script=Han}/u);
    }
    expect([
      attr(headingOf(b.tools, 'A few small tools'), 'class'),
      attr(headingOf(b.tools, 'A few small tools'), 'lang'),
    ]).toEqual(['original', 'en']);
    expect(
      elements(b.tools.children).filter(
        (e) => e.name === 'p' && hasClass(e, 'original') && attr(e, 'lang') === 'en',
      ),
    ).toHaveLength(5);
    expect(layoutOf(b.nightArticle)).toBe('layout-original');
    // An English edition is titled in English: the opener, the contents and the navigation.
    expect([textOf(b.toolsTitle), attr(b.toolsTitle, 'lang')]).toEqual(['Small Tools', 'en']);
    const nav = documentElements(b.files['EPUB/nav.xhtml']!)
      .filter((e) => e.name === 'a')
      .map(textOf);
    expect(nav).toEqual(expect.arrayContaining(['Small Tools', 'Reading at Night']));
    expect(textOf(documentElements(b.files['EPUB/contents.xhtml']!))).not.toContain('夜读');
  });

  it('translation: the translations alone, in Chinese', async () => {
    const b = await written('translation');
    for (const body of [b.tools, b.night]) {
      expect(elements(body.children).filter((e) => hasClass(e, 'original'))).toEqual([]);
      // the image's alt text is English, rightly; no paragraph or heading is
      expect(
        elements(body.children).filter((e) => /^(p|h\d)$/.test(e.name) && attr(e, 'lang') === 'en'),
      ).toEqual([]);
    }
    expect([
      attr(headingOf(b.tools, '几件小工具'), 'class'),
      attr(headingOf(b.tools, '几件小工具'), 'lang'),
    ]).toEqual(['translation', 'zh']);
    expect(
      elements(b.tools.children).filter(
        (e) => e.name === 'p' && hasClass(e, 'translation') && attr(e, 'lang') === 'zh',
      ),
    ).toHaveLength(5);
    expect(textOf(b.night)).toContain('读长文用 less 就够了。');
    expect(elements(b.night.children).some((e) => e.name === 'code' && textOf(e) === 'less')).toBe(true);
    // A Chinese edition is titled in Chinese alone.
    expect([textOf(b.toolsTitle), attr(b.toolsTitle, 'lang')]).toEqual(['小工具', 'zh']);
    expect(textOf(b.toolsArticle)).not.toContain('Small Tools');
  });

  it('translation-first: the translation leads in both bilingual layouts; the one-language layouts do not change', async () => {
    const inter = await written('interleaved', 'translation-first');
    expect(pairSides(inter.tools)).toEqual(Array(5).fill(['translation', 'zh', 'original', 'en']));
    expect(
      headingOf(inter.tools, '几件小工具')
        .children.filter((c): c is XElement => c.type === 'element')
        .map((s) => attr(s, 'class')),
    ).toEqual(['translation', 'original']);
    const sbs = await written('side-by-side', 'translation-first');
    expect(pairSides(sbs.tools)).toEqual(Array(5).fill(['translation', 'zh', 'original', 'en']));
    const orig = await written('original', 'translation-first');
    expect(elements(orig.tools.children).filter((e) => hasClass(e, 'translation'))).toEqual([]);
  });

  it.each(['interleaved', 'side-by-side', 'original', 'translation'] as const)(
    '%s: code and images appear once, and every text has a language',
    async (layout) => {
      const b = await written(layout);
      const pre = elements(b.tools.children).filter((e) => e.name === 'pre');
      expect(pre).toHaveLength(1);
      expect([attr(pre[0]!, 'lang'), textOf(pre[0]!).split('\n')[0]]).toEqual([
        'zxx',
        "grep -c '。' draft.md",
      ]);
      expect(elements(b.tools.children).filter((e) => e.name === 'img')).toHaveLength(1);
      expect(textWithoutLanguage(b.tools.children)).toEqual([]);
      expect(textWithoutLanguage(b.night.children)).toEqual([]);
    },
  );
});

describe.skipIf(!HAVE_CORPUS)('every text of a corpus article carries a language (EPUB)', () => {
  it.each(['2023/01/26', '2022/12/19'])(
    'articles of %s',
    async (folder) => {
      const { files } = BookTest.epubOf(
        await fixtureBook.write('epub', { content: join(CORPUS, folder), layout: 'interleaved' }),
      );
      const articles = Object.entries(files).filter(([, x]) => x.includes('<div class="article-body">'));
      expect(articles.length).toBeGreaterThan(0);
      for (const [name, xhtml] of articles)
        expect(textWithoutLanguage(articleBody(xhtml).children), name).toEqual([]);
    },
    120_000,
  );
});
