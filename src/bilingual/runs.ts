/** Step 2 of the pair stage (pair.ts): a text block cut into runs of one language. */
import type { MdText } from '../markdown/parse.js';
import { pushAll } from '../text.js';
import { leavesToXhtml, plainText } from './inline.js';
import { detectLanguage } from './language.js';
import { type Group, isBlankLeaf, type Leaf, makeLeaf, splitLines, trimLeaves } from './leaf.js';
import { languageGroup, leavesLanguage } from './leaf-language.js';
import { leavesOf, type PairContext, single, type TextUnit, type Unit } from './units.js';

export function unitOf(
  leaves: Leaf[],
  role: TextUnit['role'],
  level: number | undefined,
  lang?: string,
): TextUnit {
  const trimmed = trimLeaves(leaves);
  const l = lang ?? leavesLanguage(trimmed);
  const first = trimmed[0] ?? leaves[0];
  return {
    kind: 'text',
    role,
    level,
    line: first?.line ?? 0,
    leaves: trimmed,
    lang: l,
    group: languageGroup(l),
  };
}

/** Group lines (or pieces of lines) of one language into runs; lines of no language join a neighbour. */
export function runsOf(
  pieces: { leaves: Leaf[]; group: Group; lang?: string }[],
): { leaves: Leaf[]; group: Group; lang?: string }[] {
  const runs: { leaves: Leaf[]; group: Group; lang?: string }[] = [];
  let pendingNeutral: Leaf[] = [];
  for (const p of pieces) {
    if (p.group === 'none') {
      if (runs.length) pushAll(runs[runs.length - 1]!.leaves, p.leaves);
      else pushAll(pendingNeutral, p.leaves);
      continue;
    }
    const last = runs[runs.length - 1];
    if (last && last.group === p.group) {
      pushAll(last.leaves, p.leaves);
      if (last.lang !== p.lang) last.lang = undefined;
    } else runs.push({ leaves: [...pendingNeutral, ...p.leaves], group: p.group, lang: p.lang });
    pendingNeutral = [];
  }
  if (pendingNeutral.length) runs.push({ leaves: pendingNeutral, group: 'none' });
  return runs;
}

export function lineGroup(line: Leaf[]): Group {
  return languageGroup(leavesLanguage(line));
}

/** A text block -> image singles and text units of one language each. */
export function textUnits(node: MdText, ctx: PairContext): Unit[] {
  const leaves = leavesOf(node.tokens, node.line);
  // leading and trailing images leave the text
  let a = 0;
  let b = leaves.length;
  const lead: Leaf[] = [];
  const trail: Leaf[] = [];
  while (a < b && (isBlankLeaf(leaves[a]!) || leaves[a]!.image)) {
    if (leaves[a]!.image) lead.push(leaves[a]!);
    a++;
  }
  while (b > a && (isBlankLeaf(leaves[b - 1]!) || leaves[b - 1]!.image)) {
    if (leaves[b - 1]!.image) trail.unshift(leaves[b - 1]!);
    b--;
  }
  const units: Unit[] = [];
  const imageUnit = (imgs: Leaf[]) => {
    if (!imgs.length) return;
    const html = leavesToXhtml(
      imgs.flatMap((l, i) =>
        i ? [makeLeaf('char', ' ', l.path, l.line, l.group, l.escaped, undefined, l.image), l] : [l],
      ),
    );
    const alt = plainText(html);
    const lang = alt ? detectLanguage(alt) : 'und';
    units.push({
      kind: 'block',
      block: single('image', imgs[0]!.line, {
        lang: lang === 'und' ? ctx.originalLang : lang,
        html,
        text: alt,
      }),
    });
  };
  if (node.role === 'heading' && a === b) {
    // a heading holding only an image: keep it a heading
    a = 0;
    b = leaves.length;
    lead.length = 0;
    trail.length = 0;
  }
  imageUnit(lead);
  const body = leaves.slice(a, b);
  if (body.length) {
    const pieces = splitLines(body).map((line) => ({ leaves: line, group: lineGroup(line) }));
    for (const run of runsOf(pieces)) {
      const u = unitOf(run.leaves, node.role, node.level);
      if (u.leaves.length) units.push(u);
    }
  }
  imageUnit(trail);
  return units;
}
