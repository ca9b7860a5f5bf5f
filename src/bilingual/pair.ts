/**
 * The pair stage: Markdown blocks (from the parse stage) -> model blocks, where an original and
 * its translation are one PairBlock. Pure: the only output besides the blocks is a list of
 * diagnostics.
 *
 * How a careful editor reads a clipped bilingual article, step by step:
 * 1. Mend: a paragraph that opens a link or emphasis closed only by the next paragraph (the
 *    translation was pasted inside the markup, `[EN␣␣` / blank / `ZH](url)`), or a paragraph of a
 *    lone footnote bracket (`\[` / blank / `1\] ...`), is joined to the next one.
 * 2. Cut: each text block is cut into runs of one language at its line breaks (hard or soft);
 *    links and emphasis cut in two are cloned on both sides. Leading and trailing images leave
 *    the text and become image blocks of their own.
 * 3. Pair: an original run followed by a translation run becomes a pair (two headings; a
 *    heading and a short paragraph; two list items; two paragraphs). When the sides do not line
 *    up (two originals then one translation; an untranslated paragraph) the lengths decide, and
 *    a warning names the file and line.
 * 4. A block still unpaired is cut inside a line where its script changes for good
 *    (`## Fake names 伪造姓名`, `-   By Edmond Lau⍽作者：Edmond Lau`, a whole English paragraph
 *    followed by its Chinese on the same line), and paired.
 * Code, tables, images and rules stay single. The front matter's language is not trusted.
 */
import type { Token } from 'marked';
import { codeHtml, type Links, lexInline, type MdNode, type MdText } from '../markdown/parse.js';
import { xhtmlText } from '../markdown/xhtml.js';
import type {
  Block,
  Diagnostic,
  DiagnosticCode,
  ListItem,
  PairBlock,
  Segment,
  SingleBlock,
} from '../model.js';
import { pushAll } from '../text.js';
import { scrubDebris, tidyCjkSpacing } from './debris.js';
import { flatten, leavesToXhtml, plainText } from './inline.js';
import { countScripts, detectLanguage, languageOfCounts, stripNonLanguage } from './language.js';
import { type Group, isBlankLeaf, type Leaf, lineCount, makeLeaf, splitLines, trimLeaves } from './leaf.js';
import { languageGroup, leavesLanguage, leavesScriptCounts } from './leaf-language.js';
import { markupLeaks } from './leaks.js';
import { findScriptCut } from './script-cut.js';
import { leavesOfTokens, mendedOf, quoted } from './state.js';

export interface PairContext {
  file: string;
  links: Links;
  originalLang: string;
  translationLang: string;
  diagnostics: Diagnostic[];
}

interface TextUnit {
  kind: 'text';
  role: 'paragraph' | 'heading';
  level?: number;
  line: number;
  leaves: Leaf[];
  lang: string;
  group: Group;
}
type Unit = TextUnit | { kind: 'block'; block: Block };

// ---------------------------------------------------------------- sizes

function counts(leaves: Leaf[]): { alpha: number; cjk: number } {
  let alpha = 0;
  let cjk = 0;
  for (const l of leaves) {
    if (l.group === 'alpha') alpha++;
    else if (l.group === 'cjk') cjk++;
  }
  return { alpha, cjk };
}

/** Size of a text in "Latin letters": a Han character counts as three. */
function size(leaves: Leaf[]): number {
  const c = counts(leaves);
  return c.alpha + 3 * c.cjk;
}

// ---------------------------------------------------------------- 1. mend

function textOfLeaves(leaves: Leaf[]): string {
  return xhtmlText(leavesToXhtml(leaves), { skipCode: true });
}

/**
 * Small repairs of markup a translation tool broke inside one block: a closing delimiter left
 * alone on the last line (`_EN␣␣` / `ZH␣␣` / `_`), an empty strong run around a colon (`Definition**:**`).
 */
const HAN_EDGE = /^[\p{Script=Han}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]$/u;

// Each repair needs a character most paragraphs lack (a `_` or `*` at the end, `**:**`, `_`,
// `](http`): its pattern runs only when that is there (the patterns with lookbehinds and
// \p{L} are slow to fail over a long paragraph).
const LONE_CLOSER = /[ \t]*\n[ \t]*(\*\*|__|_|\*)[ \t]*$/;
const EMPTY_STRONG_COLON = /(?<=[\p{L}\p{N}])\*\*([:：])\*\*/gu;
// `_`, then the text up to the next `_` (no backtick, no line break) holding a letter, then the
// same `_`. The text is matched greedily, its letter by a lookahead: it can only end at the next
// `_`, and the equivalent `[^_`\n]*?\p{L}[^_`\n]*?` tried every split of a long line that has none.
const UNDERSCORE_EMPHASIS = /(?<![\\_])(_{1,2})(?=[^\s_])(?=[^_`\n]*?\p{L})([^_`\n]*)(?<=[^\s\\_])\1(?!_)/gu;
const URL_LOST_PAREN = /\]\((https?:\/\/[^\s()]*\([^\s()]*)(?:(\s+"[^"\n]*")\)|\)(?=\s|$))/g;

/** Does `md` end with `_` or `*`, spaces and tabs aside? */
function endsWithDelimiter(md: string): boolean {
  let i = md.length - 1;
  while (i >= 0 && (md[i] === ' ' || md[i] === '\t')) i--;
  return i >= 0 && (md[i] === '_' || md[i] === '*');
}

function repair(node: MdNode, ctx: PairContext): MdNode {
  if (node.type !== 'text') return node;
  let md = node.md;
  if (endsWithDelimiter(md)) md = md.replace(LONE_CLOSER, '$1');
  if (md.includes('**:**') || md.includes('**：**')) md = md.replace(EMPTY_STRONG_COLON, '$1');
  // `一个_假朋友_比…`: underscores touching Han are emphasis (Chinese has no spaces between words),
  // but CommonMark takes an intraword `_` literally; asterisks say the same thing and work there
  if (md.includes('_')) {
    md = md.replace(UNDERSCORE_EMPHASIS, (m, delim: string, inner: string, at: number, all: string) => {
      const before = all[at - 1] ?? '';
      const after = all[at + m.length] ?? '';
      return HAN_EDGE.test(before) || HAN_EDGE.test(after)
        ? `${delim === '_' ? '*' : '**'}${inner}${delim === '_' ? '*' : '**'}`
        : m;
    });
  }
  // a link whose URL lost its closing parenthesis in the clipping (2023/01/26/witold-pilecki:
  // `[pl](https://pl.wikipedia.org/wiki/Znak_(pismo_konspiracyjne "pl:Znak (pismo konspiracyjne")`)
  if (md.includes('](http')) {
    md = md.replace(URL_LOST_PAREN, (_m, url: string, title?: string) => {
      // the title lost its parenthesis too, and marked will not take a title with an open one
      const t =
        title && (title.match(/\(/g)?.length ?? 0) > (title.match(/\)/g)?.length ?? 0)
          ? title.replace(/"$/, ')"')
          : (title ?? '');
      return `](${url})${t})`;
    });
  }
  if (md === node.md) return node;
  return { ...node, md, tokens: lexInline(md, ctx.links) };
}

function mend(input: MdNode[], ctx: PairContext): MdNode[] {
  const known = mendedOf.get(input);
  if (known && known.links === ctx.links) return known.nodes;
  const nodes = mendNodes(input, ctx);
  mendedOf.set(input, { links: ctx.links, nodes });
  return nodes;
}

function leavesOf(tokens: Token[], line: number): Leaf[] {
  const known = leavesOfTokens.get(tokens);
  if (known && known.line === line) return known.leaves;
  const leaves = flatten(tokens, line);
  leavesOfTokens.set(tokens, { line, leaves });
  return leaves;
}

function mendNodes(input: MdNode[], ctx: PairContext): MdNode[] {
  const out: MdNode[] = [];
  // a paragraph of nothing but emphasis markers (`__`) is debris of a clipped page
  const nodes = input
    .map((n) => repair(n, ctx))
    .filter((n) => !(n.type === 'text' && /^[\s_*]+$/.test(n.md) && !/\\/.test(n.md)));
  for (let i = 0; i < nodes.length; i++) {
    let a = nodes[i]!;
    while (a.type === 'text') {
      const b = nodes[i + 1];
      if (b?.type !== 'text' || b.role !== 'paragraph') break;
      const joined = tryJoin(a, b, ctx);
      if (!joined) break;
      a = joined;
      i++;
    }
    out.push(a);
  }
  return out;
}

const WORD = /[\p{L}\p{N}]/u;

/**
 * Can the text these leaves show hold no letter and no digit? Leaves without atoms render every
 * character as itself, unless an entity (`&amp;`) turns characters into another: with a letter
 * or digit among them and no `&`, their text holds a letter or digit.
 */
function mayShowNoWord(leaves: Leaf[]): boolean {
  let word = false;
  for (const l of leaves) {
    if (l.kind !== 'char') continue;
    if (l.ch === '&') return true;
    if (!word && WORD.test(l.ch)) word = true;
  }
  return !word;
}

/**
 * Can the text these leaves show hold a character markupLeaks and EDGE_OPENER look for (`_ * [ ]`
 * and a backtick)? Only a character leaf of one of them can put it there, or an entity (`&#95;`),
 * or an atom that shows text (inline HTML, an image's alt); a code span is left out of the text.
 */
function mayShowMarkup(leaves: Leaf[]): boolean {
  for (const l of leaves) {
    if (l.kind === 'char' && MARKUP_CHARS.includes(l.ch)) return true;
    if (l.kind === 'atom' && !(l.tokens?.length === 1 && l.tokens[0]!.type === 'codespan')) return true;
  }
  return false;
}

const MARKUP_CHARS = '_*[]`&';

const EDGE_OPENER = /^[\s"'“‘(（]*(?:[_*]{1,3}|\[)(?=\S)/u;

function tryJoin(a: MdText, b: MdText, ctx: PairContext): MdText | undefined {
  const aLeaves = leavesOf(a.tokens, a.line);
  // rendering the text is the costly part: done only when a test below needs it
  let aText: string | undefined;
  // a paragraph of only a bracket or two: a footnote marker cut from its number
  if (a.role === 'paragraph' && !aLeaves.some((l) => l.kind === 'atom') && mayShowNoWord(aLeaves)) {
    aText = textOfLeaves(aLeaves).trim();
    if (aText && aText.length <= 3 && !WORD.test(aText)) {
      const md = a.md.trim() + b.md.trimStart();
      return { ...a, md, tokens: lexInline(md, ctx.links) };
    }
  }
  if (!/[[_*~]/.test(a.md) || !/[\]_*~]/.test(b.md)) return undefined;
  // rendering `a` to find no leak is the common case: skipped when its text cannot show one
  if (aText === undefined && !mayShowMarkup(aLeaves)) return undefined;
  aText ??= textOfLeaves(aLeaves).trim();
  const leaksA = markupLeaks(aText);
  // `_\*Note: …␣␣` / blank / `注意：…。_`: an emphasis opened before a literal asterisk
  if (leaksA === 0 && !EDGE_OPENER.test(aText)) return undefined;
  const leaksB = markupLeaks(textOfLeaves(leavesOf(b.tokens, b.line)));
  const md = `${a.md.replace(/\s+$/, '  ')}\n${b.md.replace(/^\s+/, '')}`;
  const tokens = lexInline(md, ctx.links);
  const leaksJ = markupLeaks(textOfLeaves(flatten(tokens, a.line)));
  if (leaksJ >= leaksA + leaksB) return undefined;
  return { ...a, md, tokens };
}

// ---------------------------------------------------------------- 2. cut into runs

function unitOf(leaves: Leaf[], role: TextUnit['role'], level: number | undefined, lang?: string): TextUnit {
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
function runsOf(
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

function lineGroup(line: Leaf[]): Group {
  return languageGroup(leavesLanguage(line));
}

/** A text block -> image singles and text units of one language each. */
function textUnits(node: MdText, ctx: PairContext): Unit[] {
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

// ---------------------------------------------------------------- blocks

function segment(leaves: Leaf[], lang: string): Segment {
  const clean = scrubDebris(trimLeaves(leaves));
  const html = leavesToXhtml(languageGroup(lang) === 'cjk' ? tidyCjkSpacing(clean) : clean);
  return { lang, html, text: plainText(html) };
}

function single(type: SingleBlock['type'], line: number, seg: Segment, level?: number): SingleBlock {
  const b: SingleBlock = { kind: 'single', type, line, segment: seg };
  if (level !== undefined) b.level = level;
  return b;
}

function textSingle(u: TextUnit, ctx: PairContext): SingleBlock {
  const lang = u.lang === 'und' ? ctx.originalLang : u.lang;
  return single(u.role, u.line, segment(u.leaves, lang), u.role === 'heading' ? u.level : undefined);
}

function makePair(o: TextUnit, t: TextUnit, ctx: PairContext): PairBlock {
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

function joinUnits(a: TextUnit, b: TextUnit): TextUnit {
  const br = makeLeaf('br', '', [], b.line, 'none');
  return { ...a, leaves: [...a.leaves, br, br, ...b.leaves] };
}

function warn(ctx: PairContext, code: DiagnosticCode, line: number, message: string, quote?: string): void {
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

function snippet(u: TextUnit): string {
  const t = plainText(leavesToXhtml(u.leaves)).replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

// ---------------------------------------------------------------- 3. pair

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

function pairUnits(units: Unit[], ctx: PairContext, out: Block[]): void {
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
function selfPaired(u: TextUnit, O: Group, T: Group): boolean {
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

// ---------------------------------------------------------------- containers

const COPIED = /data-translationmark=["']?copiedNode/;

function htmlText(html: string): string {
  return plainText(html);
}

export function pairNodes(nodes: MdNode[], ctx: PairContext): Block[] {
  const units: Unit[] = [];
  const mended = mend(nodes, ctx);
  for (let i = 0; i < mended.length; i++) {
    const node = mended[i]!;
    switch (node.type) {
      case 'text': {
        const t = textUnits(node, ctx);
        if (node.role === 'paragraph' && giveBackToList(units, t, ctx)) break;
        pushAll(units, t);
        break;
      }
      case 'code':
        if (node.indented && languageGroup(detectLanguage(node.text)) === 'cjk') {
          // a translation indented one step too far inside a list item reads as an indented code
          // block; code is never written in Han, so it is prose
          const md = node.text
            .split('\n')
            .map((l) => l.trim())
            .join('\n');
          // `12.  EN␣␣` / blank / four spaces then ZH: the list ended one line early
          const t = textUnits(
            { type: 'text', role: 'paragraph', line: node.line, md, tokens: lexInline(md, ctx.links) },
            ctx,
          );
          if (giveBackToList(units, t, ctx)) break;
          pushAll(units, t);
          break;
        }
        units.push({
          kind: 'block',
          block: single('code', node.line, {
            lang: 'zxx',
            html: codeHtml(node.text, node.lang),
            text: node.text,
          }),
        });
        break;
      case 'rule':
        units.push({
          kind: 'block',
          block: single('rule', node.line, { lang: 'und', html: '<hr/>', text: '' }),
        });
        break;
      case 'table': {
        const text = htmlText(node.html);
        units.push({
          kind: 'block',
          block: single('table', node.line, { lang: langOr(text, ctx.originalLang), html: node.html, text }),
        });
        break;
      }
      case 'html': {
        if (!node.html.trim() || (!htmlText(node.html) && !/<(img|hr|table)\b/.test(node.html))) break;
        const next = mended[i + 1];
        if (COPIED.test(node.raw) && next && next.type === 'html') {
          // immersive-translate keeps the original as a copy marked copiedNode, then the translated node
          const o = htmlText(node.html);
          const t = htmlText(next.html);
          const lo = detectLanguage(o);
          const lt = detectLanguage(t);
          i++;
          if (lo !== lt && lo !== 'und' && lt !== 'und') {
            units.push({
              kind: 'block',
              block: {
                kind: 'pair',
                type: 'paragraph',
                line: node.line,
                original: { lang: lo, html: node.html, text: o },
                translation: { lang: lt, html: next.html, text: t },
              },
            });
          } else {
            units.push({
              kind: 'block',
              block: single(htmlType(next.html), next.line, {
                lang: langOr(t, ctx.originalLang),
                html: next.html,
                text: t,
              }),
            });
          }
          break;
        }
        const text = htmlText(node.html);
        units.push({
          kind: 'block',
          block: single(htmlType(node.html), node.line, {
            lang: langOr(text, ctx.originalLang),
            html: node.html,
            text,
          }),
        });
        break;
      }
      case 'quote':
        units.push({
          kind: 'block',
          block: { kind: 'quote', line: node.line, blocks: pairNodes(node.children, ctx) },
        });
        break;
      case 'list': {
        const firstWarning = ctx.diagnostics.length;
        const items: ListItem[] = node.items.map((it) => ({
          line: it.line,
          blocks: pairNodes(it.children, ctx),
        }));
        const list: Block = {
          kind: 'list',
          ordered: node.ordered,
          line: node.line,
          items: mergeItems(items, ctx),
        };
        collapseWarnings(ctx, firstWarning);
        if (node.ordered && node.start !== undefined) list.start = node.start;
        units.push({ kind: 'block', block: list });
        break;
      }
    }
  }
  const out: Block[] = [];
  pairUnits(units, ctx, out);
  return out;
}

/**
 * An untranslated reference list (2022/11/24/world-passport: 66 references) would give one
 * warning per item; a run of three or more items without translation gives one warning for the run.
 */
function collapseWarnings(ctx: PairContext, from: number): void {
  const mine = ctx.diagnostics.slice(from);
  const out: Diagnostic[] = [];
  const kindOf = (d: Diagnostic) =>
    d.code === 'pair/untranslated' || d.code === 'pair/orphan' ? d.code : '';
  for (let i = 0; i < mine.length; ) {
    const kind = kindOf(mine[i]!);
    let j = i + 1;
    while (kind && j < mine.length && kindOf(mine[j]!) === kind) j++;
    if (j - i >= 3) {
      const first = mine[i]!;
      const what =
        kind === 'pair/untranslated'
          ? 'list items have no translation'
          : 'list items are translations without an original';
      const snip = quoted.get(first) ?? '';
      out.push({
        ...first,
        message: `${j - i} ${what} (lines ${first.line}-${mine[j - 1]!.line}), from "${snip}"`,
      });
    } else pushAll(out, mine.slice(i, j));
    i = j;
  }
  ctx.diagnostics.length = from; // `mine` was the whole tail
  pushAll(ctx.diagnostics, out);
}

/**
 * A translation that fell out of its list (2023/06/25/common-bugs-in-writing, line 193: the last
 * item's Chinese lost its indentation; 2023/07/02/being-rockstars, line 337: a footnote list):
 * when the list's last item ends with an untranslated original and the next paragraph reads as
 * its translation, the paragraph goes back into the item as the translation.
 */
function giveBackToList(units: Unit[], t: Unit[], ctx: PairContext): boolean {
  const prev = units[units.length - 1];
  const lastItem =
    prev?.kind === 'block' && prev.block.kind === 'list'
      ? prev.block.items[prev.block.items.length - 1]
      : undefined;
  const lastBlock = lastItem?.blocks[lastItem.blocks.length - 1];
  const O = languageGroup(ctx.originalLang);
  const T = languageGroup(ctx.translationLang);
  if (
    !lastItem ||
    !lastBlock ||
    lastBlock.kind !== 'single' ||
    lastBlock.type !== 'paragraph' ||
    O === T ||
    T === 'none'
  )
    return false;
  // the item must hold words (not only a URL), the paragraph must not be a pair by itself
  if (
    languageGroup(lastBlock.segment.lang) !== O ||
    languageGroup(detectLanguage(lastBlock.segment.text)) !== O
  )
    return false;
  const only = t.length === 1 ? t[0] : undefined;
  if (only?.kind !== 'text' || only.group !== T || selfPaired(only, O, T)) return false;
  if (!fitsText(lastBlock.segment.text, plainText(leavesToXhtml(only.leaves)))) return false;
  lastItem.blocks[lastItem.blocks.length - 1] = {
    kind: 'pair',
    type: 'paragraph',
    line: lastBlock.line,
    original: lastBlock.segment,
    translation: segment(only.leaves, only.lang),
  };
  dropWarnings(ctx, [lastBlock.line]);
  return true;
}

function htmlType(html: string): SingleBlock['type'] {
  return /^\s*<table\b/.test(html)
    ? 'table'
    : /^\s*(<a\b[^>]*>\s*)?<img\b[^>]*\/>\s*(<\/a>)?\s*$/.test(html)
      ? 'image'
      : 'html';
}

function langOr(text: string, fallback: string): string {
  const l = detectLanguage(text);
  return l === 'und' ? fallback : l;
}

/** `- tokenization` / `- 代币化`: an item holding only an original, then one holding its translation. */
function mergeItems(items: ListItem[], ctx: PairContext): ListItem[] {
  const O = languageGroup(ctx.originalLang);
  const T = languageGroup(ctx.translationLang);
  if (O === T || T === 'none') return items;
  const out: ListItem[] = [];
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    const b = items[i + 1];
    const sa = a.blocks.length === 1 ? a.blocks[0] : undefined;
    const sb = b?.blocks[0];
    // `-   EN` / `-   EN␣␣ ZH`: the item repeated untranslated before its translated copy
    const originalOf = (x: Block | undefined) =>
      x?.kind === 'pair'
        ? x.original.text
        : x?.kind === 'single' && x.type === 'paragraph'
          ? x.segment.text
          : undefined;
    if (
      b &&
      sa &&
      sa.kind === 'single' &&
      sa.type === 'paragraph' &&
      languageGroup(sa.segment.lang) === O &&
      sa.segment.text.trim() &&
      sa.segment.text === originalOf(sb)
    ) {
      dropWarnings(ctx, [sa.line]);
      continue;
    }
    if (
      b &&
      sa &&
      sb &&
      sa.kind === 'single' &&
      sb.kind === 'single' &&
      sa.type === 'paragraph' &&
      sb.type === 'paragraph' &&
      languageGroup(sa.segment.lang) === O &&
      languageGroup(sb.segment.lang) === T &&
      fitsText(sa.segment.text, sb.segment.text)
    ) {
      const pair: PairBlock = {
        kind: 'pair',
        type: 'paragraph',
        line: sa.line,
        original: sa.segment,
        translation: sb.segment,
      };
      out.push({ line: a.line, blocks: [pair, ...b.blocks.slice(1)] });
      dropWarnings(ctx, [sa.line, sb.line]);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function fitsText(o: string, t: string): boolean {
  const c1 = countScripts(stripNonLanguage(o));
  const c2 = countScripts(stripNonLanguage(t));
  const so = c1.latin + 3 * c1.han;
  const st = c2.latin + 3 * c2.han;
  if (so < 40 && st < 40) return true;
  const r = st / Math.max(1, so);
  return r >= 0.2 && r <= 5;
}

function dropWarnings(ctx: PairContext, lines: number[]): void {
  for (let k = ctx.diagnostics.length - 1; k >= 0; k--) {
    const d = ctx.diagnostics[k]!;
    if (d.file === ctx.file && d.line !== undefined && lines.includes(d.line) && d.severity === 'warning')
      ctx.diagnostics.splice(k, 1);
  }
}

// ---------------------------------------------------------------- article languages

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
