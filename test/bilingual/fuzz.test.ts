/**
 * Property tests of parse + pair (issue 12): whatever the Markdown, articleBlocks returns, every
 * segment is well-formed XHTML, the words of the prose are all still there, and the time it takes
 * grows with the size of the input, not faster.
 *
 * The time bound is deliberately generous, so that it does not fail on a loaded machine: 1 s plus
 * 150 ms per KB, on inputs of about 64 KB (a 10.6 s budget). On this 2-core machine under load the
 * adversarial fragments take 0.1 to 3.4 s at that size (`*a`, marked's emphasis, is the slowest);
 * the quadratic `[a](` of issue 12 took about 14 s there and `[` (a scan per bracket) minutes, and
 * an exponential pattern would never finish, so a regression of that kind fails and noise does
 * not. Finer time-per-size ratios are `npm run bench -- hostile`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAGMENTS } from '../../bench/hostile.bench.js';
import { articleBlocks } from '../../src/bilingual/index.js';
import type { ArticleSource, Block, Segment } from '../../src/model.js';
import { xmlProblems } from '../xml-check.js';

function source(body: string): ArticleSource {
  return {
    id: 't',
    file: '/x/t.md',
    relPath: 't.md',
    dir: '/x',
    meta: { title: 't', tags: [], authors: [], draft: false },
    body,
    bodyLine: 1,
  };
}

function segments(blocks: Block[]): Segment[] {
  return blocks.flatMap((b): Segment[] => {
    if (b.kind === 'pair') return [b.original, b.translation];
    if (b.kind === 'single') return [b.segment];
    if (b.kind === 'list') return b.items.flatMap((item) => segments(item.blocks));
    return segments(b.blocks);
  });
}

/** Parse and pair; every segment well-formed. Returns the text a reader gets. */
function check(md: string): string {
  const { blocks } = articleBlocks(source(md));
  const all = segments(blocks);
  for (const s of all) expect(xmlProblems(s.html), s.html.slice(0, 200)).toEqual([]);
  return all.map((s) => s.text).join('\n');
}

/** Words, English and Chinese, that Markdown syntax around them cannot swallow. */
const word = fc.oneof(
  fc.integer({ min: 0, max: 99999 }).map((n) => `w${n}`),
  fc
    .constantFrom('中文', '翻译', '段落', '世界', '阅读')
    .chain((w) => fc.integer({ min: 0, max: 99 }).map((n) => `${w}${n}`)),
);
/**
 * Syntax that changes how words are shown but never makes them a URL, an attribute, a code
 * block's language or a link definition (those are left out of the reader's text on purpose).
 */
const syntax = fc.constantFrom(
  '*',
  '**',
  '_',
  '__',
  '~~',
  '>',
  '> >',
  '-',
  '- -',
  '+',
  '1.',
  '#',
  '##',
  '---',
  '***',
  '[',
  ']',
  '|',
  '.',
  '。',
  '，',
  '  ',
  '\n',
  '\n\n',
  '    ',
);
const prose = fc
  .array(fc.oneof({ weight: 3, arbitrary: word }, { weight: 2, arbitrary: syntax }), { maxLength: 200 })
  .map((parts) => parts.join(' '));

describe('parse + pair on any Markdown (fast-check)', () => {
  it('random Unicode text: no exception, well-formed segments', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (md) => {
        check(md);
      }),
      { numRuns: 300 },
    );
  });

  it('random Markdown syntax among words: well-formed, and every word is kept', () => {
    fc.assert(
      fc.property(prose, (md) => {
        const text = check(md);
        for (const w of md.match(/w\d+|\p{Script=Han}+\d+/gu) ?? []) expect(text).toContain(w);
      }),
      { numRuns: 300 },
    );
  });

  // Every fragment, not a sample: one that overflowed the stack ('<', in a push(...spread)) was
  // missed by twelve random picks.
  check('warm up: 你好 *a* [b](c) <d> `e`'); // the first call compiles everything
  it.each(FRAGMENTS)(
    '%j repeated to 64 KB: well-formed, in time linear in its size',
    (piece) => {
      const before = fc.sample(fc.string({ maxLength: 8 }), 1)[0]!;
      const md = before + piece.repeat(Math.ceil((64 * 1024) / piece.length));
      const started = performance.now();
      check(md);
      const ms = performance.now() - started;
      const kb = md.length / 1024;
      expect(ms, `${JSON.stringify(piece)} x ${kb | 0} KB took ${ms | 0} ms`).toBeLessThan(1000 + 150 * kb);
    },
    60_000,
  );
});
