import { afterAll, describe, expect, it } from 'vitest';
import { segmentsOf } from '../../src/walk.js';
import { BookTest } from '../book-test.js';
import { attr, elements } from '../dom.js';

const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==',
  'base64',
);

describe('the accessibility pass', () => {
  const book = BookTest.create('anthology-a11y-').article(
    'a/index.md',
    [
      '[![](Big_Photo-2022.png)](https://example.com/big.png)',
      '',
      '![](plain.png)',
      '',
      '<img src="titled.png" title="A titled picture">',
      '',
      '<figure><img src="fig.png"><figcaption>The caption says it</figcaption></figure>',
      '',
      '| | b |',
      '|---|---|',
      '| 1 | 2 |',
    ].join('\n'),
  );
  for (const name of ['Big_Photo-2022.png', 'plain.png', 'titled.png', 'fig.png'])
    book.file(`content/a/${name}`, ONE_PIXEL_PNG);
  afterAll(() => book.remove());
  const compiled = book.compile();
  const all = segmentsOf(compiled.chapters[0]!.articles[0]!.blocks).flatMap((s) => elements(s.html));
  const alt = (needle: string) =>
    attr(all.find((e) => e.name === 'img' && attr(e, 'src')!.includes(needle))!, 'alt');

  it('names an image that is all its link holds after its file, takes a title or a caption, and leaves the rest decorative', () => {
    expect(alt('Photo')).toBe('Big Photo 2022');
    expect(alt('titled')).toBe('A titled picture');
    expect(alt('fig')).toBe('The caption says it');
    expect(alt('plain')).toBe('');
    expect(compiled.diagnostics.filter((d) => d.code === 'image/no-alt').map((d) => d.severity)).toEqual([
      'info',
      'info',
    ]);
  });

  it('turns an empty table header into a data cell', () => {
    expect(all.filter((e) => e.name === 'th').map((e) => e.children.length)).toEqual([1]);
  });
});

describe('the headings pass', () => {
  const book = BookTest.create('anthology-headings-').article(
    'a.md',
    '### A subtitle\n\n## One\n\n#### Deep\n\n## Two\n',
  );
  afterAll(() => book.remove());

  it('starts at the top level and skips none, keeping the order of the levels', () => {
    const levels = book
      .compile()
      .chapters[0]!.articles[0]!.blocks.map((b) =>
        b.kind === 'single' || b.kind === 'pair' ? b.level : undefined,
      );
    expect(levels).toEqual([1, 1, 2, 1]);
  });
});
