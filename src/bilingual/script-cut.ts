/**
 * The cut inside one line where its script changes for good (`## Fake names 伪造姓名`, a whole
 * English paragraph followed by its Chinese on the same line). Pure.
 */
import { type Group, isSpaceChar, type Leaf } from './leaf.js';
import { Slot, scratchBytes, scratchInts } from './state.js';

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
  const p = beforeRepeatedNumber(line, best.at);
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

/** A leading number (`1`, `1.`, `2.3)`, `4、`): a numbered heading's or item's. */
const LEADING_NUMBER = /^[ \t]*(\d{1,3}(?:\.\d{1,3})*[.)、．]?)/;

/**
 * `1. Welcome 1. 欢迎`, `3. Notes 3.笔记`: where the line starts with a number and that number
 * stands again right before the cut (after a space), the cut goes before it: each side keeps its
 * number (the translation's `1.` ends no sentence, though the cost above counts it as one).
 */
function beforeRepeatedNumber(line: Leaf[], at: number): number {
  // one character per leaf, so that indexes are the leaves'
  const chars = line.map((l) => (l.kind === 'char' && l.ch.length === 1 ? l.ch : '\u0000')).join('');
  const number = LEADING_NUMBER.exec(chars)?.[1];
  if (!number) return at;
  let end = at;
  while (end > 0 && isSpaceChar(chars[end - 1]!)) end--;
  const start = end - number.length;
  if (start <= number.length || chars.slice(start, end) !== number || !isSpaceChar(chars[start - 1]!))
    return at;
  return start;
}
