/**
 * Pairing report over a folder of articles (issue 3). Runs as part of `npm run bench` (the runner
 * calls `main()`: the shared corpus, skipped when absent) and on its own:
 *   npm run pairing-report -- [FOLDER] [--json] [--leaks]
 *   node --import tsx bench/pairing-report.ts [FOLDER] [--json] [--leaks]
 *
 * For each article and overall:
 * - latin→han: share of pairs whose original reads as Latin script and translation as Han
 *   (decided again from each side's text, not from the language the pair stage gave it);
 * - han in pairs: share of the Han characters of the article's prose (outside code, counted
 *   in the Markdown source itself, not in our output) that sit in pairs;
 * - leaks: Markdown syntax left in a reader's text (`[`, `](`, `_`, `**`, `*`, a lone backtick),
 *   on every side of every pair and every single text, inline code left out.
 * Articles are read as the build reads them (`readArticleSource`: front matter, body, line).
 * Sets exit code 1 when a target (>= 99%, >= 97%, 0 leaks) is missed.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { articleBlocks } from '../src/bilingual/index.js';
import { detectLanguage } from '../src/bilingual/language.js';
import { findLeaks } from '../src/bilingual/leaks.js';
import { findMarkdownFiles, readArticleSource } from '../src/collect/index.js';
import { xhtmlText } from '../src/markdown/xhtml.js';
import type { Block, Segment } from '../src/model.js';

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS = join(here, '../../shared/corpus/theowenyoung/clip/content');

const HAN = /\p{Script=Han}/gu;
const countHan = (s: string) => s.match(HAN)?.length ?? 0;

/** Han characters a reader sees in the Markdown: code, link targets and HTML tags left out. */
function proseHan(body: string): number {
  const s = body
    .replace(/^(\s*)(```|~~~)[^\n]*\n[\s\S]*?\n\s*\2[^\n]*$/gm, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/<[^>]*>/g, ' ');
  return countHan(s);
}

const proseOf = (seg: Segment) => xhtmlText(seg.html, { skipCode: true });
const LATIN = new Set(['en', 'ru', 'el']);

interface Row {
  file: string;
  pairs: number;
  latinHan: number;
  hanTotal: number;
  hanInPairs: number;
  leaks: number;
  warnings: number;
  leakSamples: string[];
  /** No second language found: nothing to pair (Chinese-only articles, stubs). */
  monolingual: boolean;
}

function measure(file: string, folder: string): Row {
  const src = readArticleSource(file, folder);
  const r = articleBlocks(src);
  const row: Row = {
    file: src.relPath,
    pairs: 0,
    latinHan: 0,
    hanTotal: proseHan(src.body),
    hanInPairs: 0,
    leaks: 0,
    warnings: r.diagnostics.length,
    leakSamples: [],
    monolingual: r.translationLang === 'und',
  };
  const checkLeaks = (seg: Segment, line: number) => {
    const text = proseOf(seg);
    const l = findLeaks(text);
    if (l.count) {
      row.leaks += l.count;
      row.leakSamples.push(
        `${src.relPath}:${line}: ${l.kinds.join(' ')}: ${text.replace(/\s+/g, ' ').slice(0, 160)}`,
      );
    }
  };
  const visit = (blocks: Block[]) => {
    for (const b of blocks) {
      if (b.kind === 'list') for (const it of b.items) visit(it.blocks);
      else if (b.kind === 'quote' || b.kind === 'note') visit(b.blocks);
      else if (b.kind === 'pair') {
        row.pairs++;
        const o = detectLanguage(proseOf(b.original));
        const t = detectLanguage(proseOf(b.translation));
        if (LATIN.has(o) && t === 'zh') row.latinHan++;
        row.hanInPairs += countHan(proseOf(b.original)) + countHan(proseOf(b.translation));
        checkLeaks(b.original, b.line);
        checkLeaks(b.translation, b.line);
      } else if (b.type === 'paragraph' || b.type === 'heading') checkLeaks(b.segment, b.line);
    }
  };
  visit(r.blocks);
  row.hanInPairs = Math.min(row.hanInPairs, row.hanTotal);
  return row;
}

/** `args`: [FOLDER] [--json] [--leaks]; without a folder, the shared corpus (skipped when absent). */
export async function main(args: string[] = []): Promise<void> {
  const json = args.includes('--json');
  const showLeaks = args.includes('--leaks');
  const given = args.find((a) => !a.startsWith('--'));
  const folder = resolve(given ?? CORPUS);
  if (!existsSync(folder)) {
    if (given) {
      console.error(`no such folder: ${folder}`);
      process.exitCode = 2;
    } else console.log(`pairing: no corpus at ${folder}; skipped`);
    return;
  }
  const rows = findMarkdownFiles(folder)
    .filter((f) => basename(f) !== '_index.md')
    .map((f) => measure(f, folder));
  const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0);
  const pct = (a: number, b: number) => (b ? (100 * a) / b : 100);
  const bi = rows.filter((r) => !r.monolingual);
  const overall = {
    articles: rows.length,
    monolingual: rows.length - bi.length,
    pairs: sum((r) => r.pairs),
    latinHanShare: pct(
      sum((r) => r.latinHan),
      sum((r) => r.pairs),
    ),
    // over bilingual articles: a Chinese-only article has nothing to pair
    hanInPairsShare: pct(
      bi.reduce((s, r) => s + r.hanInPairs, 0),
      bi.reduce((s, r) => s + r.hanTotal, 0),
    ),
    hanInPairsShareAll: pct(
      sum((r) => r.hanInPairs),
      sum((r) => r.hanTotal),
    ),
    leaks: sum((r) => r.leaks),
    warnings: sum((r) => r.warnings),
  };
  const score = (r: Row) => Math.min(pct(r.latinHan, r.pairs), pct(r.hanInPairs, r.hanTotal)) - r.leaks;
  const worst = [...bi].sort((a, b) => score(a) - score(b)).slice(0, 5);

  if (json) {
    console.log(
      JSON.stringify(
        {
          folder,
          overall,
          articles: rows.map(({ leakSamples, ...r }) => r),
          worst: worst.map((r) => r.file),
        },
        null,
        2,
      ),
    );
  } else {
    const f1 = (n: number) => n.toFixed(1).padStart(6);
    console.log(`pairing report: ${folder}\n`);
    console.log(
      `${'pairs'.padStart(6)} ${'lat→han'.padStart(7)} ${'han∈pair'.padStart(8)} ${'leaks'.padStart(5)} ${'warn'.padStart(4)}  article`,
    );
    for (const r of rows) {
      console.log(
        `${String(r.pairs).padStart(6)} ${f1(pct(r.latinHan, r.pairs))}% ${f1(pct(r.hanInPairs, r.hanTotal))}%  ${String(r.leaks).padStart(5)} ${String(r.warnings).padStart(4)}  ${r.file.slice(0, 90)}${r.monolingual ? '  (monolingual)' : ''}`,
      );
    }
    console.log(
      `\noverall: ${overall.articles} articles, ${overall.pairs} pairs; Latin→Han ${overall.latinHanShare.toFixed(2)}% (target ≥ 99); Han in pairs ${overall.hanInPairsShare.toFixed(2)}% of bilingual articles (target ≥ 97; ${overall.hanInPairsShareAll.toFixed(2)}% counting the ${overall.monolingual} monolingual ones); leaks ${overall.leaks} (target 0); warnings ${overall.warnings}`,
    );
    console.log('\nfive worst:');
    for (const r of worst)
      console.log(
        `  ${r.file.slice(0, 100)}: Latin→Han ${pct(r.latinHan, r.pairs).toFixed(1)}%, Han in pairs ${pct(r.hanInPairs, r.hanTotal).toFixed(1)}%, leaks ${r.leaks}`,
      );
    if (showLeaks) for (const r of rows) for (const s of r.leakSamples) console.log(s);
  }
  const ok = overall.latinHanShare >= 99 && overall.hanInPairsShare >= 97 && overall.leaks === 0;
  process.exitCode = ok ? 0 : 1;
}
