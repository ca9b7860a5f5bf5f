import { afterAll, describe, expect, it } from 'vitest';
import { hyphenateBook } from '../../src/theme/hyphenate.js';
import { segmentsOf } from '../../src/walk.js';
import { BookTest } from '../book-test.js';

describe('hyphenateBook', () => {
  const book = BookTest.create().article(
    'words.md',
    [
      '## Representative headings stay whole',
      '',
      'Internationalization of `representative` code, see https://example.com/representative and a/representative/path.',
      '',
      '中文段落里的 representative 不断字。',
      '',
      '```',
      'representative code block',
      '```',
    ].join('\n'),
  );
  afterAll(() => book.remove());
  const segments = segmentsOf(hyphenateBook(book.compile()).chapters[0]!.articles[0]!.blocks);
  const shown = (needle: string) =>
    segments.find((s) => s.html.replace(/\u00ad/g, '').includes(needle))!.html.replace(/\u00ad/g, '-');

  it('puts soft hyphens into English prose', () => {
    expect(shown('Internationalization')).toContain('In-ter-na-tion-al-iza-tion');
  });

  it('never into headings, code, URLs, paths or Chinese text', () => {
    expect(shown('headings stay')).not.toContain('-');
    expect(shown('Internationalization')).toContain('<code>representative</code>');
    expect(shown('Internationalization')).toContain('https://example.com/representative');
    expect(shown('Internationalization')).toContain('a/representative/path');
    expect(shown('中文段落')).toContain(' representative ');
    expect(shown('code block')).toContain('representative code block');
  });
});
