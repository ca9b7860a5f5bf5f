/**
 * The four layouts end to end: the fixture test/fixtures/layouts (two short articles: a heading
 * pair, a paragraph pair, a list with a nested translated item, a quote, a code block, an image;
 * the second article asks for side-by-side in its front matter) built to EPUB in each layout and
 * with `translation-first`, and what each article's XHTML shows. Also: every piece of text in an
 * article body sits inside an element that carries `lang` and `xml:lang`, in the fixture and, when
 * ../shared is there, in two corpus articles.
 */
import { join } from 'node:path';
import { parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/index.js';
import type { LayoutName, PairOrder } from '../../src/model.js';
import { CORPUS, HAVE_CORPUS, fixture, tempDir } from '../helpers.js';
import { readEpub } from '../inspect.js';

interface Built {
  files: Record<string, string>;
  tools: string;
  night: string;
  css: string;
}

async function buildFixture(layout?: LayoutName, order?: PairOrder): Promise<Built> {
  const out = tempDir('anthology-layouts-');
  const result = await build({ bookDir: fixture('layouts'), out, formats: ['epub'], layout, order });
  const { files } = readEpub(result.files[0]!.path);
  const find = (needle: string) => {
    const name = Object.keys(files).find((f) => f.endsWith('.xhtml') && f.includes(needle));
    if (!name) throw new Error(`no XHTML for ${needle} in ${Object.keys(files).join(', ')}`);
    return files[name]!;
  };
  const css = Object.entries(files).filter(([f]) => f.endsWith('.css')).map(([, c]) => c).join('\n');
  return { files, tools: find('tools'), night: find('night'), css };
}

/** The article body: what the layout renders (the opener and page wrapper belong to the templates). */
function body(xhtml: string): string {
  const m = /<div class="article-body">([\s\S]*)<\/div>\s*<\/article>/.exec(xhtml);
  if (!m) throw new Error('no article body');
  return m[1]!;
}

const count = (s: string, re: RegExp) => s.match(new RegExp(re.source, 'g'))?.length ?? 0;

interface P5 { nodeName: string; value?: string; attrs?: { name: string; value: string }[]; childNodes?: P5[] }

/** Text nodes (not blank) with no element around them, inside `fragment`, carrying lang and xml:lang. */
function textWithoutLanguage(fragment: string): string[] {
  const missing: string[] = [];
  const walk = (nodes: P5[] | undefined, lang: boolean) => {
    for (const n of nodes ?? []) {
      if (n.nodeName === '#text') {
        if (!lang && n.value && n.value.trim()) missing.push(n.value.trim().slice(0, 60));
        continue;
      }
      const attrs = n.attrs ?? [];
      const has = attrs.some((a) => a.name === 'lang') && attrs.some((a) => a.name === 'xml:lang');
      walk(n.childNodes, lang || has);
    }
  };
  walk((parseFragment(fragment) as unknown as P5).childNodes, false);
  return missing;
}

/** The first `<p>`s of each pair, as [class, lang] in document order. */
const pairSides = (html: string) => [...html.matchAll(/<div class="pair[^"]*"><(?:p|div) class="(original|translation)" lang="(\w+)"[^>]*>[\s\S]*?<\/(?:p|div)><(?:p|div) class="(original|translation)" lang="(\w+)"/g)].map((m) => [m[1], m[2], m[3], m[4]]);

describe('layouts, built to EPUB from test/fixtures/layouts', () => {
  it('the language check can fail', () => {
    expect(textWithoutLanguage('<p lang="en" xml:lang="en">ok <em>fine</em></p><p>lost</p><div lang="zh">no xml:lang</div>')).toEqual(['lost', 'no xml:lang']);
  });

  it('interleaved: each pair is the original, then its translation; the front matter chooses side-by-side for one article', async () => {
    const b = await buildFixture();
    const tools = body(b.tools);
    expect(b.tools).toContain('class="article layout-interleaved"');
    expect(pairSides(tools)).toEqual([
      ['original', 'en', 'translation', 'zh'], // the paragraph
      ['original', 'en', 'translation', 'zh'], // the list item
      ['original', 'en', 'translation', 'zh'], // its nested item
      ['original', 'en', 'translation', 'zh'], // the second item
      ['original', 'en', 'translation', 'zh'], // the quote
    ]);
    expect(tools).toMatch(/<h\d class="pair-heading"><span class="original" lang="en" xml:lang="en">A few small tools<\/span> <span class="translation" lang="zh" xml:lang="zh">几件小工具<\/span><\/h\d>/);
    // the nested item is a list inside the first item, both sides there
    expect(tools).toMatch(/<ul><li><div class="pair">[\s\S]*?<ul><li><div class="pair"><p class="original" lang="en" xml:lang="en">One line per term.<\/p><p class="translation" lang="zh" xml:lang="zh">每个术语一行。<\/p><\/div><\/li><\/ul><\/li><li>/);
    expect(tools).toMatch(/<blockquote><div class="pair">/);
    expect(b.night).toContain('class="article layout-side-by-side"');
    expect(body(b.night)).toContain('<div class="pair side-by-side">');
  });

  it('side-by-side: two columns per pair, one column on a narrow screen', async () => {
    const b = await buildFixture('side-by-side');
    const tools = body(b.tools);
    expect(b.tools).toContain('class="article layout-side-by-side"');
    expect(count(tools, /<div class="pair side-by-side">/)).toBe(5);
    expect(count(tools, /<div class="pair">/)).toBe(0);
    expect(tools).toMatch(/<h\d class="pair-heading side-by-side">/);
    expect(b.css).toMatch(/\.layout-side-by-side \.pair,[\s\S]*?display: grid/);
    expect(b.css).toMatch(/@media \(max-width: 30em\) \{[\s\S]*?\.layout-side-by-side \.pair,[\s\S]*?display: block/);
    // --layout wins over the front matter
    expect(b.night).toContain('class="article layout-side-by-side"');
  });

  it('original: the originals alone, in English, every one of them', async () => {
    const b = await buildFixture('original');
    for (const html of [body(b.tools), body(b.night)]) {
      expect(html).not.toContain('class="translation"');
      expect(html).not.toContain('lang="zh"');
      expect(html).not.toMatch(/\p{Script=Han}/u);
    }
    expect(body(b.tools)).toMatch(/<h\d class="original" lang="en" xml:lang="en">A few small tools<\/h\d>/);
    expect(count(body(b.tools), /<p class="original" lang="en"/)).toBe(5);
    expect(b.night).toContain('class="article layout-original"');
    // An English edition is titled in English: the opener, the contents and the navigation.
    expect(b.tools).toMatch(/<h1 class="article-title" lang="en" xml:lang="en">Small Tools<\/h1>/);
    expect(b.tools).not.toContain('小工具');
    expect(b.files['EPUB/nav.xhtml']).toContain('>Small Tools</a>');
    expect(b.files['EPUB/nav.xhtml']).toContain('>Reading at Night</a>');
    expect(b.files['EPUB/contents.xhtml']).not.toContain('夜读');
  });

  it('translation: the translations alone, in Chinese', async () => {
    const b = await buildFixture('translation');
    for (const html of [body(b.tools), body(b.night)]) {
      expect(html).not.toContain('class="original"');
      expect(html).not.toMatch(/<(p|h\d)\b[^>]*lang="en"/); // the image's alt text is English, rightly
    }
    expect(body(b.tools)).toMatch(/<h\d class="translation" lang="zh" xml:lang="zh">几件小工具<\/h\d>/);
    expect(count(body(b.tools), /<p class="translation" lang="zh"/)).toBe(5);
    expect(body(b.night)).toContain('读长文用 <code>less</code> 就够了。');
    // A Chinese edition is titled in Chinese alone.
    expect(b.tools).toMatch(/<h1 class="article-title" lang="zh" xml:lang="zh">小工具<\/h1>/);
    expect(b.tools).not.toContain('Small Tools');
  });

  it('translation-first: the translation leads in both bilingual layouts; the one-language layouts do not change', async () => {
    const inter = await buildFixture('interleaved', 'translation-first');
    expect(pairSides(body(inter.tools))).toEqual(Array(5).fill(['translation', 'zh', 'original', 'en']));
    expect(body(inter.tools)).toMatch(/<h\d class="pair-heading"><span class="translation" lang="zh" xml:lang="zh">几件小工具<\/span> <span class="original"/);
    const sbs = await buildFixture('side-by-side', 'translation-first');
    expect(pairSides(body(sbs.tools))).toEqual(Array(5).fill(['translation', 'zh', 'original', 'en']));
    const orig = await buildFixture('original', 'translation-first');
    expect(body(orig.tools)).not.toContain('class="translation"');
  });

  it.each(['interleaved', 'side-by-side', 'original', 'translation'] as const)('%s: code and images appear once, and every text has a language', async (layout) => {
    const b = await buildFixture(layout);
    const tools = body(b.tools);
    expect(count(tools, /<pre\b/)).toBe(1);
    expect(tools).toContain('<pre class="single code" lang="zxx" xml:lang="zxx"><code>grep -c \'。\' draft.md');
    expect(count(tools, /<img\b/)).toBe(1);
    expect(tools).toMatch(/<div class="single image" lang="en" xml:lang="en">/);
    expect(textWithoutLanguage(tools)).toEqual([]);
    expect(textWithoutLanguage(body(b.night))).toEqual([]);
  });
});

describe.skipIf(!HAVE_CORPUS)('every text of a corpus article carries a language (EPUB)', () => {
  it.each(['2023/01/26', '2022/12/19'])('articles of %s', async (folder) => {
    const out = tempDir('anthology-layouts-corpus-');
    const result = await build({ bookDir: fixture('layouts'), content: join(CORPUS, folder), out, formats: ['epub'], layout: 'interleaved' });
    const { files } = readEpub(result.files[0]!.path);
    const articles = Object.entries(files).filter(([, x]) => x.includes('<div class="article-body">'));
    expect(articles.length).toBeGreaterThan(0);
    for (const [name, xhtml] of articles) expect(textWithoutLanguage(body(xhtml)), name).toEqual([]);
  }, 120_000);
});
