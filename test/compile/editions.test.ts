import { afterAll, describe, expect, it } from 'vitest';
import { articlesOf } from '../../src/walk.js';
import { BookTest } from '../book-test.js';

describe('one-language editions', () => {
  const book = BookTest.create('anthology-editions-')
    .article(
      '2023/01/both/index.md',
      'The first paragraph of the article, in its original English.\n\n文章的第一段，原文是英文，这是它的译文。\n\nThe second paragraph goes on in English, a little longer.\n\n第二段继续用英文写，这是它的中文译文。\n',
      {
        title: 'Both',
      },
    )
    .article('2023/01/chinese/index.md', '只有中文的一段。\n\n又是中文的一段。\n', { title: 'Chinese' });
  afterAll(() => book.remove());
  const titles = (options: Parameters<BookTest['compile']>[0]) => {
    const compiled = book.compile(options);
    return {
      titles: articlesOf(compiled).map((a) => a.meta.title),
      codes: compiled.diagnostics.map((d) => `${d.file.split('/').at(-2)} ${d.code}`),
    };
  };

  it('leave out of the originals’ edition an article with nothing in their language, and say so', () => {
    expect(titles({ layout: 'original', formats: ['epub'] })).toEqual({
      titles: ['Both'],
      codes: ['chinese pair/none', 'chinese article/other-language'],
    });
  });

  it('keep it where it has that language, where another output shows both, or when book.toml says so', () => {
    // the translations' edition is Chinese: the article is in it
    expect(titles({ layout: 'translation', formats: ['epub'] }).titles).toEqual(['Both', 'Chinese']);
    expect(titles({ layout: 'interleaved', formats: ['epub'] }).titles).toEqual(['Both', 'Chinese']);
    book.toml('[epub]\nlayout = "original"\n');
    expect(titles({ formats: ['epub', 'pdf'] }).titles).toEqual(['Both', 'Chinese']);
    book.toml('[layout]\nkeep-other-language = true\n');
    expect(titles({ layout: 'original', formats: ['epub'] })).toEqual({
      titles: ['Both', 'Chinese'],
      codes: ['chinese pair/none'],
    });
  });
});
