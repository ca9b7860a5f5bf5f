import type { Links, MdNode } from '../markdown/parse.js';
import { languageOfCounts } from './language.js';
import { type Group, type Leaf, splitLines } from './leaf.js';
import { languageGroup, leavesScriptCounts } from './leaf-language.js';
import { mend } from './mend.js';
import { findScriptCut } from './script-cut.js';
import { leavesOf, type PairContext, size } from './units.js';

/** The characters of leaves, a space for every other leaf. */
function charsText(leaves: Leaf[]): string {
  return leaves.map((l) => (l.kind === 'char' ? l.ch : ' ')).join('');
}

/**
 * The article's two languages, from its text (front matter is not trusted). Which one is the
 * original: the one that comes first where a block changes script (`EN␣␣` / `ZH`, or
 * `## Fake names 伪造姓名`); failing that, the order of neighbouring blocks whose lengths fit
 * as translations (in EN ZH EN ZH the right grouping pairs blocks of similar size).
 */
export function articleLanguages(
  nodes: MdNode[],
  links: Links = {},
): { originalLang: string; translationLang: string } {
  const weight = new Map<string, number>();
  let alphaFirst = 0;
  let cjkFirst = 0;
  let first: Group = 'none';
  const seq: { g: Group; size: number }[] = [];
  const ctx: PairContext = { file: '', links, originalLang: 'und', translationLang: 'und', diagnostics: [] };
  const visit = (ns: MdNode[]) => {
    for (const n of mend(ns, ctx)) {
      if (n.type === 'text') {
        const leaves = leavesOf(n.tokens, n.line);
        let prev: Group = 'none';
        let counted = false;
        for (const line of splitLines(leaves)) {
          const c = leavesScriptCounts(line, charsText);
          const lang = languageOfCounts(c);
          if (lang === 'und') continue;
          const cut = findScriptCut(line);
          if (cut) {
            // `## Fake names 伪造姓名`: both languages are there
            for (const piece of [line.slice(0, cut.at), line.slice(cut.at)]) {
              const pc = leavesScriptCounts(piece, charsText);
              const pl = languageOfCounts(pc);
              if (pl !== 'und') weight.set(pl, (weight.get(pl) ?? 0) + pc.latin + 4 * pc.han + 4 * pc.kana);
            }
          } else
            weight.set(
              lang,
              (weight.get(lang) ?? 0) +
                c.latin +
                4 * c.han +
                4 * c.kana +
                2 * c.hangul +
                Object.values(c.other).reduce((s, x) => s + (x ?? 0), 0),
            );
          const g = languageGroup(lang);
          if (first === 'none') first = g;
          if (!counted && prev !== 'none' && prev !== g) {
            if (prev === 'alpha') alphaFirst++;
            else cjkFirst++;
            counted = true;
          }
          const last = seq[seq.length - 1];
          if (last && prev === g) last.size += size(line);
          else seq.push({ g, size: size(line) });
          prev = g;
        }
      } else if (n.type === 'list') {
        for (const it of n.items) visit(it.children);
      } else if (n.type === 'quote') visit(n.children);
      else seq.push({ g: 'none', size: 0 });
    }
  };
  visit(nodes);
  const best = (g: Group) => {
    let lang = 'und';
    let w = 0;
    for (const [l, x] of weight) if (languageGroup(l) === g && x > w) [lang, w] = [l, x];
    return { lang, w };
  };
  const alpha = best('alpha');
  const cjk = best('cjk');
  const total = alpha.w + cjk.w;
  if (total === 0) return { originalLang: 'und', translationLang: 'und' };
  if (alpha.w < 0.05 * total) return { originalLang: cjk.lang, translationLang: 'und' };
  if (cjk.w < 0.05 * total) return { originalLang: alpha.lang, translationLang: 'und' };
  let cjkIsOriginal: boolean;
  // Clipped translations into Chinese are the common case: Chinese is taken for the original only on clear evidence.
  if (alphaFirst + cjkFirst >= 3 && alphaFirst !== cjkFirst) cjkIsOriginal = cjkFirst > 2 * alphaFirst + 1;
  else {
    // neighbours: how well do they fit as (original, translation) in each order?
    const sizeStepBetween = (a: Group, b: Group) => {
      const m: number[] = [];
      for (let i = 0; i + 1 < seq.length; i++) {
        const x = seq[i]!;
        const y = seq[i + 1]!;
        if (x.g === a && y.g === b) m.push(Math.abs(Math.log((y.size + 10) / (x.size + 10))));
      }
      m.sort((p, q) => p - q);
      return m.length ? m[Math.floor(m.length / 2)]! : Infinity;
    };
    const fa = sizeStepBetween('alpha', 'cjk');
    const fc = sizeStepBetween('cjk', 'alpha');
    cjkIsOriginal = Math.abs(fa - fc) < 0.1 ? (first as Group) === 'cjk' && fc <= fa : fc < fa;
  }
  return cjkIsOriginal
    ? { originalLang: cjk.lang, translationLang: alpha.lang }
    : { originalLang: alpha.lang, translationLang: cjk.lang };
}
