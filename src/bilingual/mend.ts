/**
 * Step 1 of the pair stage (pair.ts): small repairs inside a block, then a paragraph whose
 * markup the next one closes is joined to it.
 */
import { lexInline, type MdNode, type MdText } from '../markdown/parse.js';
import { xhtmlText } from '../markdown/xhtml.js';
import { flatten, leavesToXhtml } from './inline.js';
import type { Leaf } from './leaf.js';
import { markupLeaks } from './leaks.js';
import { mendedOf } from './state.js';
import { leavesOf, type PairContext } from './units.js';

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

export function mend(input: MdNode[], ctx: PairContext): MdNode[] {
  const known = mendedOf.get(input);
  if (known && known.links === ctx.links) return known.nodes;
  const nodes = mendNodes(input, ctx);
  mendedOf.set(input, { links: ctx.links, nodes });
  return nodes;
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
