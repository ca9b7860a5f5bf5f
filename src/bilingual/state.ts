/**
 * Every piece of state the bilingual stage keeps at module level, in one place. The stage is
 * pure: what is kept here never changes a result, so an article pairs the same whatever was
 * paired before it. There are three kinds:
 * - caches keyed by an object that nothing changes once made (`WeakMap`s: an entry goes when its
 *   key does), so two steps that read the same thing compute it once;
 * - a table of one-character strings, filled as characters are met;
 * - scratch buffers reused by one function at a time within one synchronous call.
 * And one side table that is not a cache: `quoted`, the text a pairing warning quotes.
 */
import type { Token } from 'marked';
import type { Links, MdNode } from '../markdown/parse.js';
import type { Diagnostic } from '../model.js';
import type { Leaf } from './leaf.js';

/**
 * articleLanguages and pairNodes both read the mended blocks of the same arrays of nodes (the
 * article's and every list item's and quote's): the mended blocks of an array are made once per
 * set of reference links and shared. Nothing changes a node or its tokens once made.
 */
export const mendedOf = new WeakMap<MdNode[], { links: Links; nodes: MdNode[] }>();

/**
 * The leaves of a text block: several steps (mend, the article's languages, the cut into runs)
 * read them, so they are flattened once per array of tokens and first line. Shared: read only.
 */
export const leavesOfTokens = new WeakMap<Token[], { line: number; leaves: Leaf[] }>();

/** The text a warning quotes, kept beside it so a run of warnings can be summed up without reading messages. */
export const quoted = new WeakMap<Diagnostic, string>();

/**
 * The one-character strings of the BMP, made once: `text[k]` makes a new string for each
 * character outside Latin-1 (every Han character of every article), and leaves keep them.
 */
const CHAR_STRINGS = new Array<string | undefined>(0x10000).fill(undefined);

export function charString(c: number): string {
  if (c < 0x100) return String.fromCharCode(c); // V8 keeps these already
  return (CHAR_STRINGS[c] ??= String.fromCharCode(c));
}

/**
 * Zeroed per-position arrays for one call of a function that asks for them (scrubDebris,
 * findScriptCut). A typed array of a long line lives outside the JS heap, slow to make and to
 * collect, and these are made for every line and every side: each use gets its own buffer (a
 * slot), kept and grown. A slot's array is valid until the next call that asks for the same
 * slot; no function that uses slots calls another that uses its slots.
 */
const byteSlots: Uint8Array[] = [];
const intSlots: Int32Array[] = [];
export const enum Slot {
  ScrubGuarded,
  ScrubDrop,
  CutSpace,
  CutBracketed,
  CutCjk,
  CutAlpha,
  CutLetterAt,
}

export function scratchBytes(slot: Slot, n: number): Uint8Array {
  let buf = byteSlots[slot];
  if (!buf || buf.length < n) buf = byteSlots[slot] = new Uint8Array(Math.max(n, 256) * 2);
  else buf.fill(0, 0, n);
  return buf.subarray(0, n);
}

export function scratchInts(slot: Slot, n: number): Int32Array {
  let buf = intSlots[slot];
  if (!buf || buf.length < n) buf = intSlots[slot] = new Int32Array(Math.max(n, 256) * 2);
  else buf.fill(0, 0, n);
  return buf.subarray(0, n);
}
