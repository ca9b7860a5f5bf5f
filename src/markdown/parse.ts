/**
 * The parse stage: an article's Markdown -> a tree of Markdown blocks with their source lines.
 * Pure. marked (GitHub-flavoured) does the lexing; lines are computed from the tokens' `raw`
 * lengths (a container's children lex its text with the markers removed, line for line).
 *
 * The tree keeps each text block's inline tokens (not HTML yet): the pair stage needs them to
 * cut a paragraph where its language changes and to mend links and emphasis that span the cut.
 */
import { Lexer, Marked, Parser, type Token, type TokenizerExtension, type Tokens } from 'marked';
import { toXhtml, writeXhtml } from './xhtml.js';

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
export interface MdCode { type: 'code'; line: number; lang?: string; text: string; /** An indented code block (no fence). */ indented?: boolean }
export interface MdHtml { type: 'html'; line: number; raw: string; html: string }
export interface MdTable { type: 'table'; line: number; html: string }
export interface MdRule { type: 'rule'; line: number }
export interface MdListItem { line: number; children: MdNode[] }
export interface MdList { type: 'list'; line: number; ordered: boolean; start?: number; items: MdListItem[] }
export interface MdQuote { type: 'quote'; line: number; children: MdNode[] }
export type MdNode = MdText | MdCode | MdHtml | MdTable | MdRule | MdList | MdQuote;

export interface ParsedMarkdown {
  nodes: MdNode[];
  /** Reference-link definitions of the whole document, for lexing pieces of it later. */
  links: Links;
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

export const MARKED_OPTIONS = new Marked({ gfm: true, breaks: false }).use({ extensions: [footnoteDefinition] }).defaults;

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
        out.push({ type: 'code', line: here, lang: t.lang || undefined, text: t.text, ...(t.codeBlockStyle === 'indented' ? { indented: true } : {}) });
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
        out.push({ type: 'list', line: here, ordered: t.ordered, start: t.ordered ? (start ?? 1) : undefined, items });
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
  const src = body.replace(/\r\n?/g, '\n');
  const tokens = Lexer.lex(src, MARKED_OPTIONS);
  const links: Links = {};
  for (const [k, v] of Object.entries(tokens.links ?? {})) links[k] = { href: v.href ?? null, title: v.title ?? null };
  return { nodes: convert(tokens, firstLine), links };
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
  return writeXhtml([{ type: 'element', name: 'pre', attrs: [], children: [{ type: 'element', name: 'code', attrs: cls ? [['class', cls]] : [], children: text ? [{ type: 'text', value: text }] : [] }] }]);
}
