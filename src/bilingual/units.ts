/**
 * What the steps of the pair stage pass to each other: the context of an article, a text unit
 * (a run of one language) and its size, the model blocks made of units, and the warnings.
 */
import type { Token } from 'marked';
import type { Links } from '../markdown/parse.js';
import type { Block, Diagnostic, DiagnosticCode, PairBlock, Segment, SingleBlock } from '../model.js';
import { scrubDebris, tidyCjkSpacing } from './debris.js';
import { flatten, leavesToXhtml, plainText } from './inline.js';
import { type Group, type Leaf, makeLeaf, trimLeaves } from './leaf.js';
import { languageGroup } from './leaf-language.js';
import { leavesOfTokens, quoted } from './state.js';

export interface PairContext {
  file: string;
  links: Links;
  originalLang: string;
  translationLang: string;
  diagnostics: Diagnostic[];
}

export interface TextUnit {
  kind: 'text';
  role: 'paragraph' | 'heading';
  level?: number;
  line: number;
  leaves: Leaf[];
  lang: string;
  group: Group;
}
export type Unit = TextUnit | { kind: 'block'; block: Block };

export function counts(leaves: Leaf[]): { alpha: number; cjk: number } {
  let alpha = 0;
  let cjk = 0;
  for (const l of leaves) {
    if (l.group === 'alpha') alpha++;
    else if (l.group === 'cjk') cjk++;
  }
  return { alpha, cjk };
}

/** Size of a text in "Latin letters": a Han character counts as three. */
export function size(leaves: Leaf[]): number {
  const c = counts(leaves);
  return c.alpha + 3 * c.cjk;
}

export function leavesOf(tokens: Token[], line: number): Leaf[] {
  const known = leavesOfTokens.get(tokens);
  if (known && known.line === line) return known.leaves;
  const leaves = flatten(tokens, line);
  leavesOfTokens.set(tokens, { line, leaves });
  return leaves;
}

export function segment(leaves: Leaf[], lang: string): Segment {
  const clean = scrubDebris(trimLeaves(leaves));
  const html = leavesToXhtml(languageGroup(lang) === 'cjk' ? tidyCjkSpacing(clean) : clean);
  return { lang, html, text: plainText(html) };
}

export function single(type: SingleBlock['type'], line: number, seg: Segment, level?: number): SingleBlock {
  const b: SingleBlock = { kind: 'single', type, line, segment: seg };
  if (level !== undefined) b.level = level;
  return b;
}

export function textSingle(u: TextUnit, ctx: PairContext): SingleBlock {
  const lang = u.lang === 'und' ? ctx.originalLang : u.lang;
  return single(u.role, u.line, segment(u.leaves, lang), u.role === 'heading' ? u.level : undefined);
}

export function makePair(o: TextUnit, t: TextUnit, ctx: PairContext): PairBlock {
  const type = o.role === 'heading' || t.role === 'heading' ? 'heading' : 'paragraph';
  const p: PairBlock = {
    kind: 'pair',
    type,
    line: o.line,
    original: segment(o.leaves, o.lang === 'und' ? ctx.originalLang : o.lang),
    translation: segment(t.leaves, t.lang === 'und' ? ctx.translationLang : t.lang),
  };
  if (type === 'heading') p.level = o.role === 'heading' ? o.level : t.level;
  return p;
}

export function joinUnits(a: TextUnit, b: TextUnit): TextUnit {
  const br = makeLeaf('br', '', [], b.line, 'none');
  return { ...a, leaves: [...a.leaves, br, br, ...b.leaves] };
}

export function warn(
  ctx: PairContext,
  code: DiagnosticCode,
  line: number,
  message: string,
  quote?: string,
): void {
  const d: Diagnostic = {
    code,
    file: ctx.file,
    line,
    severity: 'warning',
    message: quote === undefined ? message : `${message}: "${quote}"`,
  };
  if (quote !== undefined) quoted.set(d, quote);
  ctx.diagnostics.push(d);
}

export function snippet(u: TextUnit): string {
  const t = plainText(leavesToXhtml(u.leaves)).replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}
