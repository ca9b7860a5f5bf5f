/**
 * Markup debris: the last repair of a side's leaves before they are rendered (delimiters of
 * broken markup that reached the text, spaces around full-width punctuation). Pure.
 */
import { isW, type Leaf, makeLeaf } from './leaf.js';
import { Slot, scratchBytes } from './state.js';

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
