/**
 * Inline Markdown as a flat run of leaves, so a paragraph can be cut anywhere (at a hard break,
 * between lines, inside a line where the script changes) and each piece rebuilt into
 * well-formed markup. A leaf remembers the containers (links, emphasis) around it; a piece
 * that holds part of a link gets a copy of the link, so `[Exercise␣␣\n锻炼身体](url)` becomes
 * two links and no side shows a literal `[` or `](`. Pure.
 */
import type { Token, Tokens } from 'marked';
import { renderInlineTokens } from '../markdown/parse.js';
import { toXhtml, xhtmlText } from '../markdown/xhtml.js';
import { pushAll } from '../text.js';
import {
  addCode,
  countScripts,
  languageOfCounts,
  type ScriptCounts,
  scriptOfCode,
  stripNonLanguage,
} from './language.js';

export type Group = 'cjk' | 'alpha' | 'none';

export interface Leaf {
  kind: 'char' | 'atom' | 'br' | 'nl';
  /** The character, for `char` leaves. */
  ch: string;
  /** The token(s) an atom renders (code span, image, inline HTML element). */
  tokens?: Token[];
  /** Is the atom an image (or a link holding only an image)? */
  image?: boolean;
  /** Containers from the outside in (link, em, strong, del). */
  path: Token[];
  line: number;
  group: Group;
  /** A character the author escaped (`\*`, `\_`, `\[`): meant literally, never debris. */
  escaped?: boolean;
}

/**
 * Every leaf is made here, its fields always in the same order: the functions that walk leaves
 * (nearly every one in this file and pair.ts) then see objects of two shapes (a character; an
 * atom, which adds its tokens), which V8 reads fastest. An article has a leaf per character:
 * character leaves carry no atom fields, so they are smaller to make and to collect.
 */
export function makeLeaf(
  kind: Leaf['kind'],
  ch: string,
  path: Token[],
  line: number,
  group: Group,
  escaped = false,
  tokens?: Token[],
  image = false,
): Leaf {
  if (kind !== 'atom' && tokens === undefined && !image) return { kind, ch, path, line, group, escaped };
  return { kind, ch, path, line, group, escaped, tokens, image };
}

/**
 * The one-character strings of the BMP, made once: `text[k]` makes a new string for each
 * character outside Latin-1 (every Han character of every article), and leaves keep them.
 */
const CHAR_STRINGS = new Array<string | undefined>(0x10000).fill(undefined);

function charString(c: number): string {
  if (c < 0x100) return String.fromCharCode(c); // V8 keeps these already
  return (CHAR_STRINGS[c] ??= String.fromCharCode(c));
}

const VOID_TAGS = new Set([
  'br',
  'hr',
  'img',
  'wbr',
  'col',
  'input',
  'source',
  'area',
  'embed',
  'meta',
  'link',
  'base',
  'param',
  'track',
]);
const OPEN_TAG = /^<([a-zA-Z][\w-]*)\b[^>]*>$/;
/**
 * Is `ch` one space character (what `/^[\s\u00A0\u3000]$/` matches: JavaScript's white space and
 * line terminators)? Without a regex: it is asked for nearly every leaf of every line.
 */
function isSpaceChar(ch: string): boolean {
  if (ch.length !== 1) return false;
  const c = ch.charCodeAt(0);
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function groupOfCode(c: number): Group {
  const s = scriptOfCode(c);
  if (s === 'han' || s === 'kana') return 'cjk';
  if (s === 'none') return 'none';
  return 'alpha';
}

function hasVisibleContent(tokens: Token[] | undefined): boolean {
  if (!tokens) return false;
  for (const t of tokens) {
    if (t.type === 'image') return true;
    if (t.type === 'html') return true;
    if ('tokens' in t && t.tokens && hasVisibleContent(t.tokens)) return true;
    if ((t.type === 'text' || t.type === 'escape' || t.type === 'codespan') && (t as Tokens.Text).text.trim())
      return true;
  }
  return false;
}

function isOnlyImage(tokens: Token[] | undefined): boolean {
  if (!tokens) return false;
  const real = tokens.filter((t) => !(t.type === 'text' && !(t as Tokens.Text).text.trim()));
  return real.length === 1 && real[0]!.type === 'image';
}

/** Flatten inline tokens into leaves. `line` is the line of the first token. */
/**
 * For each inline HTML opening tag among `toks`, the index of the tag that closes it, tags of the
 * same name nesting; one pass with a stack per name (a scan ahead from every opening tag was
 * quadratic: `a<div><div>…` of 64 KB took 48 s).
 */
function closingTags(toks: Token[]): Map<number, number> {
  const closing = new Map<number, number>();
  const open = new Map<string, number[]>();
  for (let j = 0; j < toks.length; j++) {
    const u = toks[j]!;
    if (u.type !== 'html') continue;
    const raw = u.raw.trim().toLowerCase();
    const m = OPEN_TAG.exec(raw);
    if (m) {
      const name = m[1]!.toLowerCase();
      if (VOID_TAGS.has(name) || raw.endsWith('/>')) continue;
      const stack = open.get(name) ?? [];
      stack.push(j);
      open.set(name, stack);
    } else {
      const close = /^<\/([a-z][a-z0-9-]*)/.exec(raw);
      const opener = close ? open.get(close[1]!)?.pop() : undefined;
      if (opener !== undefined) closing.set(opener, j);
    }
  }
  return closing;
}

export function flatten(tokens: Token[], line: number): Leaf[] {
  const leaves: Leaf[] = [];
  let ln = line;
  const walk = (toks: Token[], path: Token[]) => {
    let closing: Map<number, number> | undefined;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      switch (t.type) {
        case 'text':
        case 'escape': {
          const tt = t as Tokens.Text;
          if (t.type === 'text' && tt.tokens && tt.tokens.length) {
            walk(tt.tokens, path);
            break;
          }
          const text = tt.text;
          const escaped = t.type === 'escape';
          for (let k = 0; k < text.length; k++) {
            // one leaf per character (a surrogate pair is one), as `for (const ch of text)` gives them
            const c = text.codePointAt(k)!;
            const ch = c > 0xffff ? text.slice(k, k + 2) : charString(c);
            if (c > 0xffff) k++;
            if (c === 0x0a) {
              leaves.push(makeLeaf('nl', ch, path, ln, 'none'));
              ln++;
            } else leaves.push(makeLeaf('char', ch, path, ln, groupOfCode(c), escaped));
          }
          break;
        }
        case 'br':
          leaves.push(makeLeaf('br', '', path, ln, 'none'));
          ln++;
          break;
        case 'link': {
          const lt = t as Tokens.Link;
          if (!hasVisibleContent(lt.tokens)) break; // an empty anchor `[](url)` shows nothing
          if (isOnlyImage(lt.tokens)) {
            leaves.push(makeLeaf('atom', '', path, ln, 'none', false, [t], true));
            ln += countNl(t.raw);
            break;
          }
          walk(lt.tokens, [...path, t]);
          break;
        }
        case 'em':
        case 'strong':
        case 'del':
          walk((t as Tokens.Em).tokens, [...path, t]);
          break;
        case 'html': {
          // Group an opening tag with its closing tag (`<sup>…</sup>`) so a cut never separates them.
          closing ??= closingTags(toks);
          const end = closing.get(i) ?? i;
          const group = toks.slice(i, end + 1);
          leaves.push(makeLeaf('atom', '', path, ln, 'none', false, group));
          for (const g of group) ln += countNl(g.raw);
          i = end;
          break;
        }
        case 'image':
          leaves.push(makeLeaf('atom', '', path, ln, 'none', false, [t], true));
          ln += countNl(t.raw);
          break;
        default:
          // codespan and anything else: one piece that is never cut and tells no language
          leaves.push(makeLeaf('atom', '', path, ln, 'none', false, [t]));
          ln += countNl(t.raw);
      }
    }
  };
  walk(tokens, []);
  return leaves;
}

function countNl(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}

/** Rebuild inline tokens from leaves: containers cut by a piece are cloned around what it holds. */
function rebuild(leaves: Leaf[], depth = 0): Token[] {
  const out: Token[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', raw: text, text, escaped: false } as Tokens.Text);
    text = '';
  };
  for (let i = 0; i < leaves.length; ) {
    const leaf = leaves[i]!;
    if (leaf.path.length > depth) {
      const container = leaf.path[depth]!;
      let j = i;
      while (j < leaves.length && leaves[j]!.path.length > depth && leaves[j]!.path[depth] === container) j++;
      flush();
      const inner = rebuild(leaves.slice(i, j), depth + 1);
      out.push({ ...container, tokens: inner } as Token);
      i = j;
      continue;
    }
    if (leaf.kind === 'char' || leaf.kind === 'nl') text += leaf.ch;
    else if (leaf.kind === 'br') {
      flush();
      out.push({ type: 'br', raw: '  \n' } as Tokens.Br);
    } else {
      flush();
      pushAll(out, leaf.tokens ?? []);
    }
    i++;
  }
  flush();
  return out;
}

/** Render leaves to an XHTML fragment, without hard breaks or spaces at its ends. */
export function leavesToXhtml(leaves: Leaf[]): string {
  return trimBlankMarkup(toXhtml(renderInlineTokens(rebuild(trimLeaves(leaves)))));
}

/**
 * `html.replace(/^(?:\s|<br\/>)+/, '').replace(/(?:\s|<br\/>)+$/, '')` without the regexes: the
 * end-anchored one is tried at every position of the fragment.
 */
function trimBlankMarkup(html: string): string {
  let a = 0;
  let b = html.length;
  for (;;) {
    if (a < b && isSpaceChar(html[a]!)) a++;
    else if (html.startsWith('<br/>', a)) a += 5;
    else break;
  }
  for (;;) {
    if (b > a && isSpaceChar(html[b - 1]!)) b--;
    else if (b - 5 >= a && html.startsWith('<br/>', b - 5)) b -= 5;
    else break;
  }
  return a === 0 && b === html.length ? html : html.slice(a, b);
}

export function isBlankLeaf(l: Leaf): boolean {
  return l.kind === 'br' || l.kind === 'nl' || (l.kind === 'char' && isSpaceChar(l.ch));
}

/** Drop blank leaves (spaces, breaks) at both ends. */
export function trimLeaves(leaves: Leaf[]): Leaf[] {
  let a = 0;
  let b = leaves.length;
  while (a < b && isBlankLeaf(leaves[a]!)) a++;
  while (b > a && isBlankLeaf(leaves[b - 1]!)) b--;
  return leaves.slice(a, b);
}

/** The visible text of leaves, for language detection (code and HTML atoms left out). */
function leavesLanguageText(leaves: Leaf[]): string {
  let s = '';
  for (const l of leaves) {
    if (l.kind === 'char') s += l.ch;
    else if (l.kind === 'br' || l.kind === 'nl') s += '\n';
    else s += ' ';
  }
  return s;
}

export function leavesLanguage(leaves: Leaf[]): string {
  return languageOfCounts(leavesScriptCounts(leaves, leavesLanguageText));
}

/**
 * `countScripts(stripNonLanguage(textOf(leaves)))`, where `textOf` puts each character leaf's
 * character in the text and a space or a line break for the others. Most lines hold nothing
 * stripNonLanguage removes (code, a link target, a tag, a URL, an e-mail address): their
 * characters are counted straight from the leaves, without making the text. A character that
 * may start such a thing (a backtick, `](`, `<`, `:`, `@`, the dot of `www.`) falls back to the
 * text.
 */
export function leavesScriptCounts(leaves: Leaf[], textOf: (leaves: Leaf[]) => string): ScriptCounts {
  const counts = countScripts('');
  for (let i = 0; i < leaves.length; i++) {
    const l = leaves[i]!;
    if (l.kind !== 'char') continue; // a space or a line break in the text: no script
    const c = l.ch.charCodeAt(0);
    if (l.ch.length !== 1 || (MAY_START_NON_LANGUAGE[c] && mayStartNonLanguage(leaves, i)))
      return countScripts(stripNonLanguage(textOf(leaves)));
    addCode(counts, c);
  }
  return counts;
}

/** The characters mayStartNonLanguage looks at, by code. */
const MAY_START_NON_LANGUAGE = new Uint8Array(128);
for (const ch of '`<:@].') MAY_START_NON_LANGUAGE[ch.charCodeAt(0)] = 1;

function mayStartNonLanguage(leaves: Leaf[], i: number): boolean {
  switch (leaves[i]!.ch) {
    case '`':
    case '<':
    case ':':
    case '@':
      return true;
    case ']':
      return leaves[i + 1]?.kind === 'char' && leaves[i + 1]!.ch.startsWith('(');
    case '.':
      return i >= 3 && isW(leaves[i - 1]!) && isW(leaves[i - 2]!) && isW(leaves[i - 3]!);
    default:
      return false;
  }
}

export function languageGroup(lang: string): Group {
  if (lang === 'und') return 'none';
  return lang === 'zh' || lang === 'ja' ? 'cjk' : 'alpha';
}

/** How many lines splitLines would make. */
export function lineCount(leaves: Leaf[]): number {
  let n = 1;
  for (const l of leaves) if (l.kind === 'br' || l.kind === 'nl') n++;
  return n;
}

/** Cut leaves into lines at hard and soft breaks; the break leaf is kept at the start of the next line. */
export function splitLines(leaves: Leaf[]): Leaf[][] {
  const lines: Leaf[][] = [];
  let cur: Leaf[] = [];
  for (const l of leaves) {
    if (l.kind === 'br' || l.kind === 'nl') {
      lines.push(cur);
      cur = [l];
    } else cur.push(l);
  }
  lines.push(cur);
  return lines;
}

/**
 * Zeroed per-position arrays for one call of a function below. A typed array of a long line
 * lives outside the JS heap, slow to make and to collect, and these are made for every line and
 * every side: each use gets its own buffer (a slot), kept and grown. A slot's array is valid
 * until the next call that asks for the same slot; no function here calls another that uses its slots.
 */
const byteSlots: Uint8Array[] = [];
const intSlots: Int32Array[] = [];
const enum Slot {
  ScrubGuarded,
  ScrubDrop,
  CutSpace,
  CutBracketed,
  CutCjk,
  CutAlpha,
  CutLetterAt,
}

function scratchBytes(slot: Slot, n: number): Uint8Array {
  let buf = byteSlots[slot];
  if (!buf || buf.length < n) buf = byteSlots[slot] = new Uint8Array(Math.max(n, 256) * 2);
  else buf.fill(0, 0, n);
  return buf.subarray(0, n);
}

function scratchInts(slot: Slot, n: number): Int32Array {
  let buf = intSlots[slot];
  if (!buf || buf.length < n) buf = intSlots[slot] = new Int32Array(Math.max(n, 256) * 2);
  else buf.fill(0, 0, n);
  return buf.subarray(0, n);
}

export interface Cut {
  at: number;
  /** Language of the left and right pieces. */
  left: Group;
  right: Group;
}

const OPENERS: Record<string, string> = {
  '(': ')',
  '（': '）',
  '[': ']',
  '《': '》',
  '“': '”',
  '「': '」',
  '『': '』',
  '【': '】',
};
const CLOSERS = new Set(Object.values(OPENERS));

/** Can `ch` be one of OPENERS or CLOSERS? A test by code, before looking the character up. */
function mayBeBracket(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (
    c === 0x28 ||
    c === 0x29 ||
    c === 0x5b ||
    c === 0x5d ||
    c === 0x201c ||
    c === 0x201d ||
    (c >= 0x300a && c <= 0x3011) ||
    c === 0xff08 ||
    c === 0xff09
  );
}

/**
 * For every cut position `p` of a line: does a bracket opened left of `p` close right of it? Then
 * `p` is inside a parenthesis, not between languages. One pass keeps the stack of closers
 * awaited; a closer is awaited right of `p` when it occurs at or after `p`.
 */
function bracketedPositions(line: Leaf[]): Uint8Array {
  const n = line.length;
  const lastAt = new Map<string, number>();
  for (let i = 0; i < n; i++)
    if (line[i]!.kind === 'char' && mayBeBracket(line[i]!.ch) && CLOSERS.has(line[i]!.ch))
      lastAt.set(line[i]!.ch, i);
  const inside = scratchBytes(Slot.CutBracketed, n + 1);
  const stack: string[] = [];
  for (let p = 0; p <= n; p++) {
    if (p > 0) {
      const l = line[p - 1]!;
      if (l.kind === 'char' && mayBeBracket(l.ch)) {
        const closer = OPENERS[l.ch];
        if (closer) stack.push(closer);
        else if (stack.length && stack[stack.length - 1] === l.ch) stack.pop();
      }
    }
    if (stack.length && stack.some((c) => (lastAt.get(c) ?? -1) >= p)) inside[p] = 1;
  }
  return inside;
}

function allNeutral(line: Leaf[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (line[i]!.group !== 'none') return false;
  return true;
}

const SENTENCE_END = /[.!?:;)\]"'”’。！？：；）」』]/;

/** At least one leaf of Han or kana and two of another script: a line findScriptCut may cut. */
function hasBothScripts(line: Leaf[]): boolean {
  let cjk = 0;
  let alpha = 0;
  for (const l of line) {
    if (l.group === 'cjk') cjk++;
    else if (l.group === 'alpha') alpha++;
    if (cjk >= 1 && alpha >= 2) return true;
  }
  return false;
}

/**
 * Where does one line change script for good? Looks for a cut with (nearly) only one script
 * left of it and mostly the other right of it, the second about as long as a translation of
 * the first would be. Returns undefined when the line does not read as "original translation".
 */
export function findScriptCut(line: Leaf[], originalFirst?: Group): Cut | undefined {
  const n = line.length;
  if (!hasBothScripts(line)) return undefined;
  const cjkPre = scratchInts(Slot.CutCjk, n + 1);
  const alphaPre = scratchInts(Slot.CutAlpha, n + 1);
  for (let i = 0; i < n; i++) {
    const l = line[i]!;
    cjkPre[i + 1] = cjkPre[i]! + (l.group === 'cjk' ? 1 : 0);
    alphaPre[i + 1] = alphaPre[i]! + (l.group === 'alpha' ? 1 : 0);
  }
  const cjkT = cjkPre[n]!;
  const alphaT = alphaPre[n]!;
  const space = scratchBytes(Slot.CutSpace, n);
  for (let i = 0; i < n; i++) if (isSpaceChar(line[i]!.ch)) space[i] = 1;
  // the first leaf of a script at or after each position (n when none)
  const letterAt = scratchInts(Slot.CutLetterAt, n + 1);
  letterAt[n] = n;
  for (let i = n - 1; i >= 0; i--) letterAt[i] = line[i]!.group === 'none' ? letterAt[i + 1]! : i;
  let bracketed: Uint8Array | undefined;
  let best: { at: number; cost: number; left: Group; right: Group } | undefined;
  const orders = (
    [
      ['alpha', 'cjk'],
      ['cjk', 'alpha'],
    ] as const
  ).filter(([l]) => !originalFirst || l === originalFirst);
  for (const [left, right] of orders) {
    for (let p = 1; p < n; p++) {
      const prev = line[p - 1]!;
      const next = line[p]!;
      const boundary =
        space[p - 1] ||
        prev.kind === 'atom' ||
        next.kind === 'atom' ||
        (next.group !== 'none' && prev.group !== next.group);
      if (!boundary) continue;
      // the first letter on the right must be of the right-hand script, or the cut follows a sentence end
      const k = letterAt[p]!;
      if (k >= n) continue;
      let q = p - 1;
      while (q >= 0 && line[q]!.kind === 'char' && space[q]) q--;
      const afterSentence = q >= 0 && (line[q]!.kind === 'atom' || SENTENCE_END.test(line[q]!.ch));
      if (line[k]!.group !== right && !afterSentence) continue;
      const [wrongL, okL, okR, wrongR] =
        left === 'alpha'
          ? [cjkPre[p]!, alphaPre[p]!, cjkT - cjkPre[p]!, alphaT - alphaPre[p]!]
          : [alphaPre[p]!, cjkPre[p]!, alphaT - alphaPre[p]!, cjkT - cjkPre[p]!];
      const cost =
        (left === 'alpha' ? 4 : 1) * wrongL +
        (right === 'cjk' ? 1 : 4) * wrongR -
        (afterSentence ? 6 : 0) -
        (space[p - 1] && prev.ch !== ' ' ? 6 : 0);
      if (okL < 1 || okR < 1) continue;
      if ((bracketed ??= bracketedPositions(line))[p]) continue;
      // on a tie, footnote markers and spaces between two cuts stay with the left side
      // (`…Auschwitz.[2]: 66 [3][4][5]` / `Pilecki 呼吁…`, 2023/01/26/witold-pilecki)
      if (
        !best ||
        cost < best.cost ||
        (cost === best.cost && best.left === left && allNeutral(line, best.at, p))
      )
        best = { at: p, cost, left, right };
    }
  }
  if (!best) return undefined;
  const p = best.at;
  const alphaL = best.left === 'alpha' ? alphaPre[p]! : alphaT - alphaPre[p]!;
  const alphaR = alphaT - alphaL;
  // the Latin side must be essentially free of Han, the Han side may hold names
  const cjkInAlpha = best.left === 'alpha' ? cjkPre[p]! : cjkT - cjkPre[p]!;
  const cjkOnCjkSide = cjkT - cjkInAlpha;
  if (cjkInAlpha > Math.max(0, 0.02 * cjkT)) return undefined;
  if (alphaL < 2) return undefined;
  const ratio = cjkOnCjkSide / alphaL;
  if (ratio < 0.04 || ratio > 1.6) return undefined;
  if (alphaR > alphaL) return undefined;
  return { at: p, left: best.left, right: best.right };
}

// ---------------------------------------------------------------- debris

const WORD_CH = /^[\p{L}\p{N}]$/u;
const OPEN_EDGE = /^[\s"'“‘(（「『]$/u;
const CLOSE_EDGE = /^[\s"'”’)）」』.,;:!?。，；：！？、…]$/u;
const URL_IN_TEXT = /\b(?:https?|ftp|mailto):[^\s<>"'）]+|\bwww\.[^\s<>"'）]+/gi;

/** Can the text of these leaves hold what URL_IN_TEXT finds (`scheme:` or `www.`)? */
function mayHoldUrl(leaves: Leaf[]): boolean {
  for (let i = 0; i < leaves.length; i++) {
    const ch = leaves[i]!.ch;
    if (ch === ':') return true;
    if (ch === '.' && i >= 3 && isW(leaves[i - 1]!) && isW(leaves[i - 2]!) && isW(leaves[i - 3]!))
      return true;
  }
  return false;
}

const isW = (l: Leaf) => l.kind === 'char' && (l.ch === 'w' || l.ch === 'W');

/**
 * The last repair of one side of a pair (or a single text): Markdown delimiters that reached the
 * text as literal characters because the source's own markup is broken (`_“_Yeah`, `…com_._`,
 * `\[For those … (2021)(url)`, `\[10\](关于…)`) are removed, so a reader never sees markup
 * debris. Only what cannot be meant as text goes:
 * - at the edges of the side, a run of `_` or `*` stuck to the text (an opener or closer whose
 *   partner is missing) and a `[` never closed (a `]` never opened);
 * - inside, a `_` or `__` that is not inside a word (`snake_case`), not alone between spaces
 *   (`Every good ____`), not the start of a word (`_config.yml`), and a `**` stuck to a word on
 *   one side only;
 * - a literal `](` gets a space (`[10] (About his Apple II)`): it is a footnote and a remark.
 * Characters the author escaped (`only\*`, `\_`) and URLs written as text are kept.
 */
export function scrubDebris(leaves: Leaf[]): Leaf[] {
  const n = leaves.length;
  const chOf = (i: number): string => {
    const l = leaves[i];
    if (!l) return ' ';
    return l.kind === 'char' ? l.ch : l.kind === 'atom' ? '\uFFFC' : '\n';
  };
  // characters inside URLs written as text are never touched
  const guarded = scratchBytes(Slot.ScrubGuarded, n);
  if (mayHoldUrl(leaves)) {
    let s = '';
    const at: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = chOf(i);
      for (let k = 0; k < c.length; k++) at.push(i);
      s += c;
    }
    // as GFM autolinks do, trailing punctuation is not part of a URL (`…offload.com_.`)
    for (const m of s.matchAll(URL_IN_TEXT)) {
      const len = m[0].replace(/[?!.,:*_~]+$/, '').length;
      for (let k = m.index!; k < m.index! + len; k++) guarded[at[k]!] = 1;
    }
  }
  const literal = (i: number, chars: string) => {
    const l = leaves[i];
    return !!l && l.kind === 'char' && !l.escaped && !guarded[i] && chars.includes(l.ch);
  };
  const blank = (i: number) => i < 0 || i >= n || /^\s$/.test(chOf(i));
  const drop = scratchBytes(Slot.ScrubDrop, n);
  const runEnd = (i: number) => {
    let j = i;
    while (j < n && leaves[j]!.kind === 'char' && leaves[j]!.ch === leaves[i]!.ch && literal(j, '_*')) j++;
    return j;
  };
  // Where the first `[` and the last `]` are, found once: asking "is there one before/after i?"
  // by scanning for each of 100,000 brackets was quadratic (issue 12).
  const firstOpen = leaves.findIndex((l) => l.kind === 'char' && l.ch === '[');
  let lastClose = n - 1;
  while (
    lastClose >= 0 &&
    !(leaves[lastClose]!.kind === 'char' && (leaves[lastClose] as { ch: string }).ch === ']')
  )
    lastClose--;
  const hasCloseAfter = (i: number) => lastClose > i;
  const hasOpenBefore = (i: number) => firstOpen !== -1 && firstOpen < i;

  // 1. the start of the side
  let i = 0;
  for (;;) {
    while (i < n && leaves[i]!.kind !== 'atom' && OPEN_EDGE.test(chOf(i))) i++;
    if (i >= n) break;
    if (literal(i, '_*')) {
      const j = runEnd(i);
      if (j - i > 3 || blank(j)) break;
      for (let k = i; k < j; k++) drop[k] = 1;
      i = j;
      continue;
    }
    if (leaves[i]!.kind === 'char' && leaves[i]!.ch === '[' && !guarded[i] && !hasCloseAfter(i)) {
      drop[i] = 1;
      i++;
      continue;
    }
    break;
  }
  const start = i;
  // 2. the end of the side
  let e = n - 1;
  for (;;) {
    while (e >= start && leaves[e]!.kind !== 'atom' && CLOSE_EDGE.test(chOf(e))) e--;
    if (e < start) break;
    if (literal(e, '_*')) {
      let b = e;
      while (
        b > start &&
        leaves[b - 1]!.kind === 'char' &&
        leaves[b - 1]!.ch === leaves[e]!.ch &&
        literal(b - 1, '_*')
      )
        b--;
      if (e - b + 1 > 3 || blank(b - 1)) break;
      for (let k = b; k <= e; k++) drop[k] = 1;
      e = b - 1;
      continue;
    }
    if (leaves[e]!.kind === 'char' && leaves[e]!.ch === ']' && !guarded[e] && !hasOpenBefore(e)) {
      drop[e] = 1;
      e--;
      continue;
    }
    break;
  }
  // 3. inside
  for (let k = start; k <= e; ) {
    if (!isStarOrUnderscore(leaves[k]!) || !literal(k, '_*') || drop[k]) {
      k++;
      continue;
    }
    const j = runEnd(k);
    const len = j - k;
    const before = chOf(k - 1);
    const after = chOf(j);
    const wordL = k > 0 && WORD_CH.test(before);
    const wordR = j < n && WORD_CH.test(after);
    const blankL = blank(k - 1);
    const blankR = blank(j);
    if (leaves[k]!.ch === '_') {
      const keep = len > 2 || (wordL && wordR) || (blankL && blankR) || (blankL && wordR);
      if (!keep) for (let x = k; x < j; x++) drop[x] = 1;
    } else if (len >= 2 && len <= 3) {
      const keep = (wordL && wordR) || (blankL && blankR);
      if (!keep) for (let x = k; x < j; x++) drop[x] = 1;
    }
    k = j;
  }
  const out: Leaf[] = [];
  for (let k = 0; k < n; k++) {
    if (drop[k]) continue;
    const l = leaves[k]!;
    out.push(l);
    // `\[10\](关于他的Apple II)`: a footnote, then a remark
    const next = leaves[k + 1];
    if (l.kind === 'char' && l.ch === ']' && next && next.kind === 'char' && next.ch === '(' && !guarded[k]) {
      out.push(makeLeaf(l.kind, ' ', l.path, l.line, 'none', false, l.tokens, l.image));
    }
  }
  return out;
}

const isStarOrUnderscore = (l: Leaf) => l.ch === '_' || l.ch === '*';

const FW_PUNCT = /^[，。、；：！？（）「」『』【】《》〈〉“”‘’]$/u;
const FW_OPEN = /^[（「『【《〈“‘]$/u;

/**
 * Chinese and Japanese text: spaces next to full-width punctuation are debris of markup too (a
 * translation tool writes `影响力： _零评论_ 。` so that the emphasis parses); the punctuation
 * carries its own space, and a space before `。` lets it start a line. Spaces after a closing or
 * pausing mark and before an opening one go; spaces between Han and Latin stay.
 */
export function tidyCjkSpacing(leaves: Leaf[]): Leaf[] {
  const isSpace = (l: Leaf | undefined) =>
    !!l && l.kind === 'char' && (l.ch.includes(' ') || l.ch.includes('\u00A0')) && !l.escaped;
  const punct = (l: Leaf | undefined) => !!l && l.kind === 'char' && FW_PUNCT.test(l.ch);
  const out: Leaf[] = [];
  for (let i = 0; i < leaves.length; i++) {
    const l = leaves[i]!;
    if (isSpace(l)) {
      let j = i;
      while (isSpace(leaves[j])) j++;
      const before = out[out.length - 1];
      const after = leaves[j];
      // `影响力： _零评论_ 。`: after a full-width mark (but not an opening one), or before one (but not before an opening one)
      if ((punct(before) && !FW_OPEN.test(before!.ch)) || (punct(after) && !FW_OPEN.test(after!.ch))) {
        i = j - 1;
        continue;
      }
    }
    out.push(l);
  }
  return out;
}

/** Plain text of an XHTML fragment. */
export function plainText(xhtml: string): string {
  return xhtmlText(xhtml)
    .replace(/[ \t\u00A0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}
