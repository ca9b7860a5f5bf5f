/**
 * Hostile input (issue 12): how parse + pair time grows with the size of adversarial Markdown.
 * For each fragment, the time at 32 KB and at 128 KB (the best of three runs each) and their
 * ratio: about 4 is linear, about 16 quadratic. Also the front matter alias bomb and deep nesting.
 * Ratios, not absolute times: this machine is shared, and a ratio shrugs off most of the noise.
 *   npm run bench -- hostile
 */
import { articleBlocks } from '../src/bilingual/index.js';
import { splitFrontMatter } from '../src/collect/front-matter.js';
import type { ArticleSource } from '../src/model.js';

/**
 * The fragments of the fuzz test (test/bilingual/fuzz.test.ts) and the cases of issue 12. Inline
 * HTML tags that are never closed ('a<div><div>…', '<a><b>…') took 48 s and 177 s at 64 KB (a scan
 * ahead from every opening tag for its closing one), now a fraction of a second.
 */
export const FRAGMENTS = [
  '[a](',
  '![a](',
  '@ a',
  'a',
  '<a',
  '<',
  'x ```',
  '`a',
  '*a',
  '_a ',
  '**a',
  '~~a',
  '[',
  '](',
  '> ',
  '- ',
  '>',
  '1. ',
  '\\',
  '&',
  '&#',
  '<!--',
  '<div>',
  'a<div>',
  '<a><b>',
  '<div><p>',
  '<b></b>',
  'http://a',
  'www.a',
  'a@b.',
  '| a ',
  '\n- a',
  '\n> a',
  '\n  ',
  '中a',
  '"',
  "'",
];

function source(body: string): ArticleSource {
  return {
    id: 't',
    file: 't.md',
    relPath: 't.md',
    dir: '.',
    meta: { title: 't', tags: [], authors: [], draft: false },
    body,
    bodyLine: 1,
  };
}

function bestOf3(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const timeAt = (piece: string, kb: number) =>
  bestOf3(() => articleBlocks(source(piece.repeat(Math.ceil((kb * 1024) / piece.length)))));

export async function main(): Promise<void> {
  articleBlocks(source('warm up: 你好 *a* [b](c) <d> `e`'));
  console.log('fragment            32 KB ms  128 KB ms  ratio (4 = linear, 16 = quadratic)');
  let worst = 0;
  for (const piece of FRAGMENTS) {
    const small = timeAt(piece, 32);
    const large = timeAt(piece, 128);
    const ratio = large / Math.max(small, 1);
    worst = Math.max(worst, ratio);
    console.log(
      `${JSON.stringify(piece).padEnd(18)}  ${small.toFixed(0).padStart(8)}  ${large.toFixed(0).padStart(9)}  ${ratio.toFixed(1).padStart(5)}${ratio > 8 ? '  <- grows faster than linear' : ''}`,
    );
  }
  console.log(`worst ratio: ${worst.toFixed(1)}`);

  // 10 anchors, each a list of ten of the previous: 10^10 values once expanded.
  const lines = ['---', 'a0: &a0 [x,x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  const bomb = [...lines, 'layout: *a9', '---', 'Body'].join('\n');
  const refused = bestOf3(() => {
    try {
      splitFrontMatter(bomb, 'bomb.md');
    } catch {
      // refused: what is measured is how soon
    }
  });
  console.log(`YAML alias bomb refused in ${refused.toFixed(0)} ms (was 49 s and 2.9 GB)`);
  const depth = (n: number) =>
    bestOf3(() =>
      articleBlocks(source(Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i)}- x`).join('\n'))),
    );
  const d250 = depth(250);
  const d1000 = depth(1000);
  console.log(
    `list items indented ever deeper: 250 levels ${d250.toFixed(0)} ms, 1,000 levels ${d1000.toFixed(0)} ms (ratio ${(d1000 / d250).toFixed(1)}; the input grows 16 times)`,
  );
}
