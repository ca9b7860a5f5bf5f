import { afterAll, describe, expect, it } from 'vitest';
import { renderBlocks } from '../../src/bilingual/layout.js';
import { anchorSlug } from '../../src/compile/anchors.js';
import { ownPageFragment, pageKey } from '../../src/compile/note-markers.js';
import { articlesOf, mapBookSegments } from '../../src/walk.js';
import { BookTest } from '../book-test.js';
import { CORPUS, HAVE_CORPUS } from '../helpers.js';

describe('anchorSlug', () => {
  it('compares headings and fragments by their words', () => {
    expect(anchorSlug("What's great about Julia?")).toBe(anchorSlug('whats_great_about_julia'));
    expect(anchorSlug('What Is Content Dispersion')).toBe(
      anchorSlug('What%20Is%20Content%20Dispersion'.replace(/%20/g, ' ')),
    );
    expect(anchorSlug('Café crème')).toBe('cafe-creme');
    expect(anchorSlug('中文 标题')).toBe('中文-标题');
  });
});

describe('links to the article’s own web page', () => {
  const book = BookTest.create('anthology-anchors-').article(
    '2023/01/page/index.md',
    [
      '[Why it matters](https://www.example.com/page/#why_it_matters) and [the comments](https://example.com/page#comments).',
      '[为什么重要](https://www.example.com/page/#why_it_matters)和[评论](https://example.com/page#comments)。',
      '## Why it matters',
      '## 为什么重要',
      'Because the place is in the book, and [another page](https://example.com/other#why_it_matters) is not this one.',
      '因为这个地方在书里，而[另一页](https://example.com/other#why_it_matters)不是这一页。',
      '[Share](https://example.com/page/) this [page](http://www.example.com/page).',
      '[分享](https://example.com/page/)这一[页](http://www.example.com/page)。',
    ].join('\n\n'),
    { title: 'Page', extra: { source: 'https://example.com/page' } },
  );
  afterAll(() => book.remove());

  it('lead to the heading in the book, or become text where the place is not in the book', () => {
    const compiled = book.compile();
    const article = articlesOf(compiled)[0]!;
    const html = renderBlocks(article.blocks, {
      layout: 'interleaved',
      order: 'original-first',
      headingBase: 2,
    });
    const id = `${article.id}-why-it-matters`;
    expect(html).toContain(`<h2 id="${id}" class="pair-heading">`);
    expect(html).toContain(`<a href="#${id}">Why it matters</a> and the comments.`);
    expect(html).toContain(`<a href="#${id}">为什么重要</a>和评论。`);
    expect(html).toContain('href="https://example.com/other#why_it_matters"');
    // a link to the page itself: the reader is on it already
    expect(html).toContain('Share this page.');
    expect(html).toContain('分享这一页。');
    expect(compiled.diagnostics.filter((d) => d.code === 'link/own-page')).toMatchObject([
      {
        severity: 'info',
        message: expect.stringMatching(
          /#comments.*https:\/\/example\.com\/page\/ http:\/\/www\.example\.com\/page/,
        ),
      },
    ]);
  });
});

describe.skipIf(!HAVE_CORPUS)('the corpus’s links to its own web pages', () => {
  const book = BookTest.create('anthology-anchors-corpus-').toml(
    `[book]\ntitle = "Clippings"\n[content]\nfolder = ${JSON.stringify(CORPUS)}\n`,
  );
  afterAll(() => book.remove());

  it('none goes to an article’s own web page; those that reach a place in the book find it', () => {
    const compiled = book.compile();
    const own: string[] = [];
    let inBook = 0;
    mapBookSegments(compiled, (segment, article) => {
      const page = pageKey(article.sourceLink);
      for (const m of segment.html.matchAll(/<a href="([^"]*)"/g)) {
        const href = m[1]!.replace(/&amp;/g, '&');
        if (ownPageFragment(href, page) !== undefined || pageKey(href) === page)
          own.push(`${article.id}: ${href}`);
        if (href.startsWith(`#${article.id}-`)) {
          inBook++;
          expect(
            renderBlocks(article.blocks, { layout: 'interleaved', order: 'original-first', headingBase: 2 }),
          ).toContain(`id="${href.slice(1)}"`);
        }
      }
      return segment;
    });
    expect(own).toEqual([]);
    expect(inBook).toBeGreaterThan(400); // note references (with headings, 476 in all) and headings
  }, 120_000);
});
