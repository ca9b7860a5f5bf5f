/**
 * Steps 3 and 4 of the pair stage (pair.ts): an original run followed by its translation becomes
 * a pair; the lengths decide when the sides do not line up; a unit still unpaired is cut where
 * its script changes.
 */
import type { Block } from '../model.js';
import { leavesToXhtml, plainText } from './inline.js';
import { type Group, type Leaf, lineCount, makeLeaf, splitLines } from './leaf.js';
import { languageGroup } from './leaf-language.js';
import { lineGroup, runsOf, unitOf } from './runs.js';
import { findScriptCut } from './script-cut.js';
import {
  counts,
  joinUnits,
  makePair,
  type PairContext,
  size,
  snippet,
  type TextUnit,
  textSingle,
  type Unit,
  warn,
} from './units.js';

/** Translation size over original size: about 1 for a good pair, with size() counting a Han character as 3 letters. */
function ratioFits(o: TextUnit, t: TextUnit, lo = 0.2, hi = 5): boolean {
  const so = size(o.leaves);
  const st = size(t.leaves);
  if (so < 40 && st < 40) return true;
  const r = st / Math.max(1, so);
  return r >= lo && r <= hi;
}

function compatible(o: TextUnit, t: TextUnit): boolean {
  if (o.role === 'heading' && t.role === 'heading') return true;
  if (o.role === 'paragraph' && t.role === 'heading') return false;
  if (o.role === 'heading' && t.role === 'paragraph') {
    // `## Effective Engineer - Notes␣␣` / blank / `有效的工程师 - 备注`: a short line, no longer than a heading
    return lineCount(t.leaves) === 1 && ratioFits(o, t, 0.1, 2.5) && size(t.leaves) <= 200;
  }
  return ratioFits(o, t);
}

function misfit(o: TextUnit, t: TextUnit): number {
  return Math.abs(Math.log((size(t.leaves) + 10) / (size(o.leaves) + 10)));
}

/**
 * What sits between an original and its translation without belonging to either pair side:
 * - a paragraph of only a footnote marker (`\\[[1](url)\\]␣␣`, 2023/07/02/how-to-do-great-work):
 *   it ends the original, so it joins it;
 * - an image (`EN` / `![](textcursor.gif)` / `ZH`, 2022/12/19/challenging-projects): it follows the pair.
 */
function tidyBetween(input: Unit[], O: Group, T: Group): Unit[] {
  const units = [...input];
  const isText = (u: Unit | undefined, g: Group): u is TextUnit => !!u && u.kind === 'text' && u.group === g;
  // `EN` / `EN` / `ZH`: a translation tool that failed left the original twice (2022/12/08/zhu-li-ya-you-shi-me-hao)
  for (let i = 0; i + 1 < units.length; i++) {
    const a = units[i]!;
    const b = units[i + 1]!;
    if (isText(a, O) && isText(b, O) && a.role === b.role && sameText(a.leaves, b.leaves))
      units.splice(i--, 1);
  }
  for (let i = 1; i + 1 < units.length; i++) {
    const o = units[i - 1];
    const m = units[i]!;
    const t = units[i + 1];
    if (!isText(o, O) || !isText(t, T)) continue;
    if (m.kind === 'text' && m.group === 'none' && m.role === 'paragraph' && o.role === 'paragraph') {
      const text = plainText(leavesToXhtml(m.leaves));
      if (text.length > 0 && text.length <= 24 && !/[\p{L}]/u.test(text)) {
        const space = makeLeaf('char', ' ', [], m.line, 'none');
        units.splice(i - 1, 2, { ...o, leaves: [...o.leaves, space, ...m.leaves] });
        i--;
      }
    } else if (
      m.kind === 'block' &&
      m.block.kind === 'single' &&
      m.block.type === 'image' &&
      compatible(o, t)
    ) {
      units.splice(i, 2, t, m);
      i++;
    }
  }
  return units;
}

function sameText(a: Leaf[], b: Leaf[]): boolean {
  const norm = (l: Leaf[]) => plainText(leavesToXhtml(l)).replace(/\s+/g, ' ');
  const x = norm(a);
  return x.length > 0 && x === norm(b);
}

export function pairUnits(units: Unit[], ctx: PairContext, out: Block[]): void {
  const O = languageGroup(ctx.originalLang);
  const T = languageGroup(ctx.translationLang);
  const bilingual = O !== T && T !== 'none';
  const isText = (u: Unit | undefined, g: Group): u is TextUnit => !!u && u.kind === 'text' && u.group === g;
  if (bilingual) units = tidyBetween(units, O, T);
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if (u.kind === 'block') {
      out.push(u.block);
      continue;
    }
    if (!bilingual) {
      out.push(textSingle(u, ctx));
      continue;
    }
    if (u.group === O) {
      const v = units[i + 1];
      const w = units[i + 2];
      // `## Biography 传` then `### Early life 早期生活` (2023/01/26/witold-pilecki): a heading that
      // holds its own translation is a pair by itself, never the original of the next heading
      if (u.role === 'heading' && lineCount(u.leaves) === 1 && selfPaired(u, O, T)) {
        unpaired(u, ctx, out, O, T);
        continue;
      }
      if (isText(v, T) && compatible(u, v)) {
        let t = v;
        let used = 2;
        // one original translated as two paragraphs
        const x = units[i + 2];
        if (isText(x, T) && u.role === 'paragraph' && x.role === 'paragraph' && !isText(units[i + 3], T)) {
          const y = units[i + 3];
          const nextIsPairable = isText(y, O);
          const merged = joinUnits(v, x);
          if (!nextIsPairable && misfit(u, merged) + 0.3 < misfit(u, v)) {
            t = merged;
            used = 3;
            warn(
              ctx,
              'pair/two-translations',
              x.line,
              `two translation paragraphs for one original (line ${u.line}); shown together`,
            );
          }
        }
        out.push(makePair(u, t, ctx));
        i += used - 1;
        continue;
      }
      if (isText(v, O) && isText(w, T) && u.role === v.role && compatible(v, w)) {
        // two originals, one translation: is it the translation of both, or of the second only?
        const merged = joinUnits(u, v);
        if (u.role === 'paragraph' && misfit(merged, w) + 0.2 < misfit(v, w)) {
          out.push(makePair(merged, w, ctx));
          warn(
            ctx,
            'pair/shared-translation',
            v.line,
            `two original paragraphs (lines ${u.line} and ${v.line}) share one translation`,
          );
          i += 2;
          continue;
        }
      }
      unpaired(u, ctx, out, O, T);
      continue;
    }
    unpaired(u, ctx, out, O, T);
  }
}

/** Does a one-line text hold an original and its translation (`## Fake names 伪造姓名`)? */
export function selfPaired(u: TextUnit, O: Group, T: Group): boolean {
  const c = findScriptCut(u.leaves, O === 'cjk' ? 'cjk' : 'alpha');
  return !!c && c.left === O && c.right === T;
}

/** 4. An unpaired text: cut inside its lines where the script changes, else leave it single. */
function unpaired(u: TextUnit, ctx: PairContext, out: Block[], O: Group, T: Group): void {
  const lines = splitLines(u.leaves);
  const pieces: { leaves: Leaf[]; group: Group; lang?: string }[] = [];
  let cut = false;
  for (const line of lines) {
    const c = findScriptCut(line, O === 'cjk' ? 'cjk' : 'alpha');
    if (c && c.left === O && c.right === T) {
      pieces.push({ leaves: line.slice(0, c.at), group: c.left });
      pieces.push({ leaves: line.slice(c.at), group: c.right });
      cut = true;
    } else pieces.push({ leaves: line, group: lineGroup(line) });
  }
  if (cut) {
    const runs = runsOf(pieces).map((r) => {
      const u2 = unitOf(r.leaves, u.role, u.level);
      if (u2.group !== r.group && r.group !== 'none') {
        u2.group = r.group;
        u2.lang = r.group === O ? ctx.originalLang : ctx.translationLang;
      }
      return u2;
    });
    for (let k = 0; k < runs.length; k++) {
      const a = runs[k]!;
      const b = runs[k + 1];
      if (a.group === O && b && b.group === T) {
        out.push(makePair(a, b, ctx));
        k++;
      } else singleWithWarning(a, ctx, O, T, out);
    }
    return;
  }
  singleWithWarning(u, ctx, O, T, out);
}

function singleWithWarning(u: TextUnit, ctx: PairContext, O: Group, T: Group, out: Block[]): void {
  const c = counts(u.leaves);
  if (u.group === O && c.alpha + c.cjk * 3 >= 60)
    warn(ctx, 'pair/untranslated', u.line, `${u.role} has no translation`, snippet(u));
  else if (u.group === T && c.cjk + c.alpha / 3 >= 20)
    warn(ctx, 'pair/orphan', u.line, 'translation without an original', snippet(u));
  out.push(textSingle(u, ctx));
}
