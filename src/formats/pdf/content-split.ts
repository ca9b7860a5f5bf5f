/**
 * A page's content stream cut in two at a vertical line: what is painted left of it and what is
 * painted right of it, each a content stream of its own. Used to cut a printed spread (a page two
 * pages wide, which is how Chromium can set the original and its translation side by side with
 * rows that break across pages together) into its left and right pages.
 *
 * Every operator that only changes state (q, Q, cm, colours, fonts, clipping paths) goes to both
 * halves, so each half draws exactly as the whole did; every operator that paints (a text object,
 * a path that is filled or stroked, an image) goes to the half where it is drawn, judged by where
 * its first glyph, its path's centre or its image's centre lands in the page's space. A marked
 * content sequence (`/P <</MCID 3>> BDC ... EMC`, the tagged PDF's link from text to structure) goes
 * with what it paints, whole, so every MCID is in one half only (both when it paints in both).
 * Chromium (Skia) draws a line of text as one text object, so no line is ever cut.
 */

import { literalStringEnd } from './pdf-file.js';

/** A 2D affine matrix [a b c d e f], as PDF's `cm` and `Tm` write it. */
type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m × n: first m, then n (PDF's `cm` makes the new CTM = m × CTM). */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

function xOf(m: Matrix, x: number, y: number): number {
  return m[0] * x + m[2] * y + m[4];
}

/** Operators that paint a path (and end it). */
const PAINT_PATH = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*']);
/** Operators that build a path: their operands are points (re: x y w h). */
const BUILD_PATH = new Set(['m', 'l', 'c', 'v', 'y', 're', 'h']);
/** Text-state operators with their operands: they outlive the text object they are in. */
const TEXT_STATE_OPERATORS = /(?:\/[^\s/<>[\]()]+\s+)?[-+\d.]+\s+(?:Tf|Tc|Tw|Tz|TL|Tr|Ts)(?=\s|$)/g;
const TEXT_STATE = new Set(['Tf', 'Tc', 'Tw', 'Tz', 'TL', 'Tr', 'Ts']);
/** A cheap test for a text-state operator in a text object's rest, before the full search. */
const MAYBE_TEXT_STATE = /\sT[fcwzLrs](?=\s|$)/;

export interface SplitContent {
  left: string;
  right: string;
  /** MCIDs whose marked content went to the right half. */
  rightMcids: Set<number>;
  /** Whether anything is painted in each half. */
  painted: { left: boolean; right: boolean };
}

type Side = 'left' | 'right' | 'both';

/** One operator with its operands, as its source text, and what half it belongs to. */
interface Piece {
  text: string;
  side: Side;
  /** A marked-content start or end, placed once what it encloses is known. */
  mark?: 'begin' | 'end';
  mcid?: number;
  /** State for one half only (the text state a text object of the other half set): paints nothing. */
  stateOnly?: boolean;
  /** The MCIDs of the marked content inside a text object. */
  mcids?: number[];
}

/**
 * Cut `content` (a decoded content stream, latin1) at x = `at` in the page's default space.
 * Throws on what it cannot place (an inline image, an unbalanced marked content or q/Q).
 */
export function splitContent(content: string, at: number): SplitContent {
  const lexer = new Lexer(content);
  const pieces: Piece[] = [];
  let ctm: Matrix = IDENTITY;
  const stack: Matrix[] = [];
  // the path being built: its points' x, and its operators, placed when it is painted
  let pathX: number[] = [];
  let pathPieces: Piece[] = [];
  let clipping = false;
  const painted = { left: false, right: false };

  const sideOfX = (x: number): 'left' | 'right' => (x < at ? 'left' : 'right');
  const push = (from: number, to: number, side: Side) => pieces.push({ text: content.slice(from, to), side });

  while (lexer.nextOperator()) {
    const { from, end: to, text: op, operands } = lexer;
    const nums = () => operands.map(Number);

    if (op === 'BT') {
      // A text object goes whole to the half of its first glyph.
      const { x, end: endedAt, state } = firstGlyph(lexer, ctm);
      const glyph = lexer.end;
      const end = endedAt ?? lexer.skipToEndOfText();
      const side: Side = x === undefined ? 'both' : sideOfX(x);
      const text = content.slice(from, end);
      // marked content inside the text object (a link's words in a line) goes with it
      const inner = text.includes('MCID')
        ? [...text.matchAll(/\/MCID\s+(\d+)/g)].map((m) => Number(m[1]))
        : undefined;
      pieces.push({ text, side, mcids: inner });
      if (side !== 'both') {
        painted[side] = true;
        // the text state set inside (a font, a size) lasts after ET: the other half keeps it too
        // (Chromium sets it before the first glyph; later changes are looked for only where there are any)
        const rest = endedAt === undefined ? content.slice(glyph, end) : '';
        if (MAYBE_TEXT_STATE.test(rest)) state.push(...(rest.match(TEXT_STATE_OPERATORS) ?? []));
        if (state.length)
          pieces.push({
            text: `BT ${state.join(' ')} ET`,
            side: side === 'left' ? 'right' : 'left',
            stateOnly: true,
          });
      }
      continue;
    }

    switch (op) {
      case 'q':
        stack.push(ctm);
        push(from, to, 'both');
        break;
      case 'Q':
        if (!stack.length) throw new Error('unbalanced Q in a content stream');
        ctm = stack.pop()!;
        push(from, to, 'both');
        break;
      case 'cm':
        ctm = multiply(nums() as Matrix, ctm);
        push(from, to, 'both');
        break;
      case 'W':
      case 'W*':
        // a clip is state: its path goes to both halves
        clipping = true;
        push(from, to, 'both');
        break;
      case 'n':
        push(from, to, 'both');
        clipping = false;
        pathX = [];
        pathPieces = [];
        break;
      case 'Do': {
        const side = sideOfX(xOf(ctm, 0.5, 0.5));
        painted[side] = true;
        push(from, to, side);
        break;
      }
      case 'BDC':
      case 'BMC': {
        const mcid = op === 'BDC' ? /\/MCID\s+(\d+)/.exec(content.slice(from, to))?.[1] : undefined;
        pieces.push({
          text: content.slice(from, to),
          side: 'both',
          mark: 'begin',
          mcid: mcid === undefined ? undefined : Number(mcid),
        });
        break;
      }
      case 'EMC':
        pieces.push({ text: content.slice(from, to), side: 'both', mark: 'end' });
        break;
      case 'BI':
        throw new Error('an inline image in a content stream');
      default:
        if (BUILD_PATH.has(op)) {
          const n = nums();
          if (op === 're') pathX.push(xOf(ctm, n[0]! + n[2]! / 2, n[1]! + n[3]! / 2));
          else for (let i = 0; i + 1 < n.length; i += 2) pathX.push(xOf(ctm, n[i]!, n[i + 1]!));
          const piece: Piece = { text: content.slice(from, to), side: 'both' };
          pieces.push(piece);
          pathPieces.push(piece);
        } else if (PAINT_PATH.has(op)) {
          let low = Infinity;
          let high = -Infinity;
          for (const x of pathX) {
            low = Math.min(low, x);
            high = Math.max(high, x);
          }
          const side: Side = clipping || !pathX.length ? 'both' : sideOfX((low + high) / 2);
          // the path's building operators go where its painting goes
          for (const piece of pathPieces) piece.side = side;
          if (side !== 'both') painted[side] = true;
          push(from, to, side);
          pathX = [];
          pathPieces = [];
          clipping = false;
        } else {
          push(from, to, 'both'); // state: colours, line widths, graphics states, shading (sh) and the rest
        }
    }
  }
  return assemble(pieces, painted);
}

/** The two streams, each marked-content sequence placed with what it encloses. */
function assemble(pieces: Piece[], painted: SplitContent['painted']): SplitContent {
  const left: string[] = [];
  const right: string[] = [];
  const rightMcids = new Set<number>();
  // For each sequence's start and end, the halves its content paints in (one pass, a stack of open sequences).
  const halves = new Map<number, { left: boolean; right: boolean }>();
  const open: Array<{ index: number; left: boolean; right: boolean }> = [];
  pieces.forEach((piece, index) => {
    if (piece.mark === 'begin') open.push({ index, left: false, right: false });
    else if (piece.mark === 'end') {
      const sequence = open.pop();
      if (!sequence) throw new Error('unbalanced EMC in a content stream');
      halves.set(index, sequence);
      halves.set(sequence.index, sequence);
      const outer = open[open.length - 1];
      if (outer) {
        outer.left ||= sequence.left;
        outer.right ||= sequence.right;
      }
    } else if (piece.side !== 'both' && !piece.stateOnly) {
      for (const sequence of open) sequence[piece.side] = true;
    }
  });
  if (open.length) throw new Error('unbalanced BDC in a content stream');
  for (const [index, piece] of pieces.entries()) {
    if (piece.mark) {
      const h = halves.get(index)!;
      // an empty sequence stays on the left, where the structure tree says it is
      const toLeft = h.left || !h.right;
      if (toLeft) left.push(piece.text);
      if (h.right) {
        right.push(piece.text);
        if (piece.mcid !== undefined) rightMcids.add(piece.mcid);
      }
      continue;
    }
    if (piece.side !== 'right') left.push(piece.text);
    if (piece.side !== 'left') right.push(piece.text);
    if (piece.side === 'right') for (const mcid of piece.mcids ?? []) rightMcids.add(mcid);
  }
  return { left: left.join('\n'), right: right.join('\n'), rightMcids, painted };
}

/**
 * One token after optional whitespace: a number, an operator (or true/false/null), a hex string,
 * a name, or the first character of what is read by hand (a literal string, an array, a
 * dictionary, a comment).
 */
const TOKEN =
  /[ \t\r\n\f\0]*(?:([+-]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'"*][A-Za-z0-9'"*]*)|(<[0-9A-Fa-f \t\r\n\f]*>)|(\/[^ \t\r\n\f\0()<>[\]{}/%]*)|([([<%]))/y;
/** The end of a text object: `ET` as an operator (a text object's strings are checked apart). */
const END_OF_TEXT = /[ \t\r\n\f\0>\]]ET(?=[ \t\r\n\f\0]|$)/g;

/**
 * The tokens of a content stream, one at a time: operators, and operands (numbers, names,
 * strings, arrays and dictionaries, each one token). Comments are skipped.
 */
class Lexer {
  text = '';
  start = 0;
  end = 0;
  isOperator = false;
  private at = 0;

  /** After nextOperator(): its operands, and where the first of them (or the operator) starts. */
  operands: string[] = [];
  from = 0;

  constructor(private readonly content: string) {}

  /** The next operator with its operands; false at the end. */
  nextOperator(): boolean {
    this.operands = [];
    this.from = -1;
    while (this.next()) {
      if (this.from < 0) this.from = this.start;
      if (this.isOperator) return true;
      this.operands.push(this.text);
    }
    return false;
  }

  /** The last operator with its operands, as written. */
  operation(): string {
    return this.content.slice(this.from, this.end);
  }

  private next(): boolean {
    const { content } = this;
    for (;;) {
      TOKEN.lastIndex = this.at;
      const m = TOKEN.exec(content);
      if (!m) {
        if (/\S/.test(content.slice(this.at, this.at + 64)))
          throw new Error(
            `a content stream cannot be read at byte ${this.at}: ${JSON.stringify(content.slice(this.at, this.at + 20))}`,
          );
        return false;
      }
      const token = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5])!;
      this.end = TOKEN.lastIndex;
      this.start = this.end - token.length;
      if (m[5] === undefined) {
        this.text = token;
        this.isOperator = m[2] !== undefined && token !== 'true' && token !== 'false' && token !== 'null';
        this.at = this.end;
        return true;
      }
      if (m[5] === '%') {
        const line = /[\r\n]/.exec(content.slice(this.start));
        this.at = line ? this.start + line.index : content.length;
        continue;
      }
      this.end = m[5] === '(' ? literalStringEnd(content, this.start) : nestedEnd(content, this.start);
      this.text = content.slice(this.start, this.end);
      this.isOperator = false;
      this.at = this.end;
      return true;
    }
  }

  /** After `BT`: the index just after its `ET`, the lexer moved there. */
  skipToEndOfText(): number {
    const { content } = this;
    END_OF_TEXT.lastIndex = Math.max(0, this.at - 1);
    const found = END_OF_TEXT.exec(content);
    const literal = content.indexOf('(', this.at);
    if (found && (literal < 0 || literal > found.index)) {
      this.at = found.index + 3;
      return this.at;
    }
    // a literal string before the ET (it may hold "ET"): read operator by operator
    while (this.nextOperator()) if (this.text === 'ET') return this.end;
    throw new Error('a text object without ET in a content stream');
  }
}

/**
 * Where the first glyph of a text object (just after its `BT`) is drawn, in the page's x; the
 * lexer stops at that glyph's show operator, or after ET when it shows none (then `end` is set).
 */
function firstGlyph(lexer: Lexer, ctm: Matrix): { x?: number; end?: number; state: string[] } {
  let lineMatrix: Matrix = IDENTITY;
  const state: string[] = [];
  while (lexer.nextOperator()) {
    const op = lexer.text;
    const n = lexer.operands.map(Number);
    if (TEXT_STATE.has(op)) state.push(lexer.operation());
    if (op === 'Tm') lineMatrix = n as Matrix;
    else if (op === 'Td' || op === 'TD') lineMatrix = multiply([1, 0, 0, 1, n[0]!, n[1]!], lineMatrix);
    else if (op === 'Tj' || op === 'TJ' || op === "'" || op === '"')
      return { x: xOf(multiply(lineMatrix, ctm), 0, 0), state };
    else if (op === 'ET') return { end: lexer.end, state };
  }
  throw new Error('a text object without ET in a content stream');
}

/** The end of an array `[...]` or a dictionary `<<...>>` starting at `from`, strings inside skipped. */
function nestedEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '(') i = literalStringEnd(text, i) - 1;
    else if (c === '[') depth++;
    else if (c === ']') {
      if (--depth === 0) return i + 1;
    } else if (c === '<' && text[i + 1] === '<') {
      depth++;
      i++;
    } else if (c === '>' && text[i + 1] === '>') {
      i++;
      if (--depth === 0) return i + 1;
    } else if (c === '<') i = text.indexOf('>', i);
  }
  return text.length;
}
