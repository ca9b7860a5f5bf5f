/**
 * A leaf: one character, break or unbreakable piece (an atom: a code span, an image, inline HTML)
 * of an article's inline Markdown, with the containers around it; and what every step asks of a
 * run of leaves (blank ends, lines). flatten (inline.ts) makes them. Pure.
 */
import type { Token } from 'marked';

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
 * (nearly every one in bilingual/) then see objects of two shapes (a character; an
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
 * Is `ch` one space character (what `/^[\s\u00A0\u3000]$/` matches: JavaScript's white space and
 * line terminators)? Without a regex: it is asked for nearly every leaf of every line.
 */
export function isSpaceChar(ch: string): boolean {
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

export const isW = (l: Leaf) => l.kind === 'char' && (l.ch === 'w' || l.ch === 'W');
