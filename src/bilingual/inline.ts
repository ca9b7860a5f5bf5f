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
import { scriptOfCode } from './language.js';
import { type Group, isSpaceChar, type Leaf, makeLeaf, trimLeaves } from './leaf.js';
import { charString } from './state.js';

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

/** Flatten inline tokens into leaves. `line` is the line of the first token. */
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

/** Plain text of an XHTML fragment. */
export function plainText(xhtml: string): string {
  return xhtmlText(xhtml)
    .replace(/[ \t\u00A0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}
