/**
 * The parse stage: an article's Markdown -> a tree of Markdown blocks with their source lines.
 * Pure. marked (GitHub-flavoured) does the lexing; lines are computed from the tokens' `raw`
 * lengths (a container's children lex its text with the markers removed, line for line).
 *
 * The tree keeps each text block's inline tokens (not HTML yet): the pair stage needs them to
 * cut a paragraph where its language changes and to mend links and emphasis that span the cut.
 */
import { Lexer, Marked, Parser, type Token, type TokenizerExtension, type Tokens } from 'marked';
import { toXhtml } from './xhtml.js';
import { writeXhtml } from './xhtml-tree.js';

export type Links = Record<string, { href: string | null; title: string | null }>;

export interface MdText {
  type: 'text';
  role: 'paragraph' | 'heading';
  /** Heading level (1-6) for headings. */
  level?: number;
  line: number;
  /** The inline Markdown source (what marked calls the token's text). */
  md: string;
  tokens: Token[];
}
interface MdCode {
  type: 'code';
  line: number;
  lang?: string;
  text: string /** An indented code block (no fence). */;
  indented?: boolean;
}
interface MdHtml {
  type: 'html';
  line: number;
  raw: string;
  html: string;
}
interface MdTable {
  type: 'table';
  line: number;
  html: string;
}
interface MdRule {
  type: 'rule';
  line: number;
}
interface MdListItem {
  line: number;
  children: MdNode[];
}
interface MdList {
  type: 'list';
  line: number;
  ordered: boolean;
  start?: number;
  items: MdListItem[];
}
interface MdQuote {
  type: 'quote';
  line: number;
  children: MdNode[];
}
export type MdNode = MdText | MdCode | MdHtml | MdTable | MdRule | MdList | MdQuote;

export interface ParsedMarkdown {
  nodes: MdNode[];
  /** Reference-link definitions of the whole document, for lexing pieces of it later. */
  links: Links;
  /** Lines (of the file) whose quotes and lists nested deeper than the limit were flattened. */
  flattened: number[];
}

/**
 * GitHub's footnote definitions (`[^1]: text`) read as paragraphs, for the notes pass to find.
 * marked has no footnotes: it would read `[^1]: 注释` (no space in it) as a link definition, and
 * every `[^1]` as a link to `注释`. A definition runs to the next blank line.
 */
const footnoteDefinition: TokenizerExtension = {
  name: 'footnoteDefinition',
  level: 'block',
  start: (src) => /^ {0,3}\[\^/m.exec(src)?.index,
  tokenizer(src) {
    const m = /^ {0,3}(\[\^[^\]\s]+\]:[^\n]*(?:\n(?![ \t]*(?:\n|$))[^\n]*)*)(?:\n|$)/.exec(src);
    if (!m) return undefined;
    const text = m[1]!.trim();
    // its own type: marked would join a following paragraph onto a token typed 'paragraph'
    return { type: 'footnoteDefinition', raw: m[0], text, tokens: this.lexer.inlineTokens(text) };
  },
};

const MARKED_OPTIONS = new Marked({ gfm: true, breaks: false }).use({
  extensions: [footnoteDefinition],
}).defaults;

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function convert(tokens: Token[], firstLine: number): MdNode[] {
  const out: MdNode[] = [];
  let line = firstLine;
  for (const tok of tokens) {
    const here = line + leadingNewlines(tok.raw);
    line += countNewlines(tok.raw);
    switch (tok.type) {
      case 'paragraph':
      case 'footnoteDefinition':
      case 'text': {
        const t = tok as Tokens.Paragraph | Tokens.Text;
        const inline = t.tokens ?? [{ type: 'text', raw: t.text, text: t.text } as Tokens.Text];
        out.push({ type: 'text', role: 'paragraph', line: here, md: t.text, tokens: inline });
        break;
      }
      case 'heading': {
        const t = tok as Tokens.Heading;
        out.push({ type: 'text', role: 'heading', level: t.depth, line: here, md: t.text, tokens: t.tokens });
        break;
      }
      case 'code': {
        const t = tok as Tokens.Code;
        out.push({
          type: 'code',
          line: here,
          lang: t.lang || undefined,
          text: t.text,
          ...(t.codeBlockStyle === 'indented' ? { indented: true } : {}),
        });
        break;
      }
      case 'html': {
        const t = tok as Tokens.HTML;
        out.push({ type: 'html', line: here, raw: t.text, html: toXhtml(t.text) });
        break;
      }
      case 'table': {
        out.push({ type: 'table', line: here, html: toXhtml(Parser.parse([tok], MARKED_OPTIONS)) });
        break;
      }
      case 'hr':
        out.push({ type: 'rule', line: here });
        break;
      case 'blockquote': {
        const t = tok as Tokens.Blockquote;
        out.push({ type: 'quote', line: here, children: convert(t.tokens, here) });
        break;
      }
      case 'list': {
        const t = tok as Tokens.List;
        const items: MdListItem[] = [];
        let itemLine = here;
        for (const item of t.items) {
          const start = itemLine + leadingNewlines(item.raw);
          items.push({ line: start, children: convert(item.tokens, start) });
          itemLine += countNewlines(item.raw);
        }
        const start = typeof t.start === 'number' ? t.start : undefined;
        out.push({
          type: 'list',
          line: here,
          ordered: t.ordered,
          start: t.ordered ? (start ?? 1) : undefined,
          items,
        });
        break;
      }
      default:
        // space, def (link definitions, kept in `links`), checkbox, anything an extension adds
        break;
    }
  }
  return out;
}

/** Newlines before the first visible character of a raw chunk (a token may start with blank lines). */
function leadingNewlines(raw: string): number {
  const m = /^(?:[ \t]*\n)*/.exec(raw);
  return m ? countNewlines(m[0]) : 0;
}

/**
 * Parse Markdown into blocks. `firstLine` is the line of the body's first line in its file,
 * so every `line` in the result is a line of the file.
 */
export function parseMarkdown(body: string, firstLine = 1): ParsedMarkdown {
  const { text: src, flattened } = boundNesting(body.replace(/\r\n?/g, '\n'));
  const tokens = Lexer.lex(src, MARKED_OPTIONS);
  const links: Links = {};
  for (const [k, v] of Object.entries(tokens.links ?? {}))
    links[k] = { href: v.href ?? null, title: v.title ?? null };
  return { nodes: convert(tokens, firstLine), links, flattened: flattened.map((i) => i + firstLine) };
}

/** Quote and list markers one line may open, after its indentation (`> > - > 1. ` is five). */
export const MAX_MARKERS_PER_LINE = 16;
/** Indentation, in columns, of a line that opens a quote or list item (64 levels of two spaces). */
export const MAX_MARKER_INDENT = 128;

/** A line's indentation, then its quote and list markers, each followed by a space or the end. */
const CONTAINER_PREFIX = /^([ \t]*)((?:>[ \t]*|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))*)/;
const MARKER = />[ \t]*|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/g;
const FENCE = /^(`{3,}|~{3,})/;

/**
 * marked lexes a quote or a list item by lexing its inside again: 5,000 `>` or `- ` on one line
 * overflow the stack, and 5,000 list items each indented two spaces more than the last take
 * minutes (each level re-lexes the rest). Nesting comes only from a line's own markers and its
 * indentation, so bounding both bounds the depth (about 64 + 16 levels): markers past the 16th
 * are dropped (their text stays) and a marker line indented deeper than 128 columns is brought
 * back to 128. Lines inside fenced code are left alone: their indentation is the code's.
 * Linear: one pass, and the prefix pattern cannot backtrack (markers hold no spaces).
 * Returns the text and the 0-based lines that changed.
 */
export function boundNesting(text: string): { text: string; flattened: number[] } {
  if (text.length < 2 * MAX_MARKERS_PER_LINE) return { text, flattened: [] };
  const lines = text.split('\n');
  const flattened: number[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = CONTAINER_PREFIX.exec(line)!;
    const [, indent, markers] = m as unknown as [string, string, string];
    const rest = line.slice(m[0].length);
    const fenceMark = FENCE.exec(rest)?.[1];
    if (fence !== undefined) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = undefined;
      continue;
    }
    if (fenceMark) fence = fenceMark;
    if (!markers) continue;
    const parts = markers.match(MARKER)!;
    const width = columns(indent);
    if (parts.length <= MAX_MARKERS_PER_LINE && width <= MAX_MARKER_INDENT) continue;
    const keptIndent = width > MAX_MARKER_INDENT ? ' '.repeat(MAX_MARKER_INDENT) : indent;
    lines[i] = keptIndent + parts.slice(0, MAX_MARKERS_PER_LINE).join('') + rest;
    flattened.push(i);
  }
  return flattened.length ? { text: lines.join('\n'), flattened } : { text, flattened };
}

/** Columns of leading whitespace, a tab reaching the next multiple of four (CommonMark). */
function columns(indent: string): number {
  let n = 0;
  for (const c of indent) n = c === '\t' ? n + 4 - (n % 4) : n + 1;
  return n;
}

/** Lex inline Markdown, knowing the document's reference links. */
export function lexInline(md: string, links: Links): Token[] {
  const lexer = new Lexer(MARKED_OPTIONS);
  Object.assign(lexer.tokens.links, links);
  return lexer.inlineTokens(md);
}

/** Render inline tokens to HTML with marked (not yet XHTML). */
export function renderInlineTokens(tokens: Token[]): string {
  return Parser.parseInline(tokens, MARKED_OPTIONS);
}

/** Render a code block as XHTML. */
export function codeHtml(text: string, lang?: string): string {
  const cls = lang && /^[\w+#.-]+$/.test(lang) ? `language-${lang}` : '';
  return writeXhtml([
    {
      type: 'element',
      name: 'pre',
      attrs: [],
      children: [
        {
          type: 'element',
          name: 'code',
          attrs: cls ? [['class', cls]] : [],
          children: text ? [{ type: 'text', value: text }] : [],
        },
      ],
    },
  ]);
}
