/** What `anthology pairs` prints: the JSON shape and the two columns of a terminal. */
import { describe, expect, it } from 'vitest';
import type { ArticleSource } from '../../src/model.js';
import { describeArticle, formatPairsHuman, textWidth } from '../../src/pairs/index.js';

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

describe('the pairs report', () => {
  const sample = [
    '## Fake names 伪造姓名',
    '',
    'It’s over. Facebook is [in decline](https://cnbc.com/x).  ',
    '结束了。Facebook 正在衰落。',
    '',
    '-   Adopt a growth mindset.  ',
    '    ',
    '    采用成长心态。',
    '',
    '```',
    'echo hi',
    '```',
    '',
    'An untranslated paragraph that is long enough to be worth a warning from the pair stage.',
    '',
  ].join('\n');

  it('keeps its JSON shape (documented in README.md: "What the compiler understood")', () => {
    const r = JSON.parse(JSON.stringify(describeArticle(source(sample, 5))));
    expect(Object.keys(r)).toEqual([
      'version',
      'file',
      'originalLang',
      'translationLang',
      'blocks',
      'diagnostics',
    ]);
    expect(r.version).toBe(1);
    expect(r.blocks.map((b: object) => Object.keys(b))).toEqual([
      ['line', 'kind', 'type', 'level', 'original', 'translation'],
      ['line', 'kind', 'type', 'original', 'translation'],
      ['line', 'kind', 'type', 'original', 'translation'],
      ['line', 'kind', 'type', 'lang', 'text'],
      ['line', 'kind', 'type', 'lang', 'text'],
    ]);
    expect(r.blocks[0]).toEqual({
      line: 5,
      kind: 'pair',
      type: 'heading',
      level: 2,
      original: { lang: 'en', text: 'Fake names' },
      translation: { lang: 'zh', text: '伪造姓名' },
    });
    expect(r.blocks[2].type).toBe('list-item');
    expect(r.blocks[3]).toEqual({ line: 14, kind: 'single', type: 'code', lang: 'zxx', text: 'echo hi' });
    expect(Object.keys(r.diagnostics[0])).toEqual(['code', 'file', 'line', 'severity', 'message']);
  });

  it.each([80, 120])('fits a terminal of %i columns, CJK two wide, the columns aligned', (columns) => {
    const out = formatPairsHuman(
      describeArticle(
        source(
          `${sample}\nA long original paragraph that goes on and on, so that it has to wrap over several lines of the left column.  \n一个很长的原文段落，一直写下去，写下去，所以它必须在右边的栏里折成好几行，而且句号和逗号不能出现在行首。\n`,
        ),
      ),
      columns,
    );
    const rows = out.split('\n').filter((l) => l.includes('│'));
    expect(rows.length).toBeGreaterThan(5);
    expect(new Set(rows.map((r) => textWidth(r.slice(0, r.indexOf('│'))))).size).toBe(1);
    const body = out.split('\n').filter((l) => !/^t\.md(:| {2})/.test(l));
    for (const l of body) expect(textWidth(l), l).toBeLessThanOrEqual(columns);
    for (const r of rows) expect(r.slice(r.indexOf('│') + 2), r).not.toMatch(/^[，。、；：！？]/);
  });

  it('prints two aligned columns, CJK counted two wide', () => {
    const out = formatPairsHuman(
      describeArticle(source('## Fake names 伪造姓名\n\nHello world.  \n你好世界。\n')),
      80,
    );
    const rows = out.split('\n').filter((l) => l.includes('│'));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const col = rows.map((r) => r.indexOf('│'));
    expect(new Set(col).size).toBe(1);
    expect(out).toContain('伪造姓名');
  });
});
