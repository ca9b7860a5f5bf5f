/**
 * What `anthology pairs FILE [--json]` prints: what the compiler understood of one article.
 * The JSON shape (PairsReport) is stable; the human format is two aligned columns.
 */

import { articleBlocks } from '../bilingual/index.js';
import type { ArticleSource, Block, Diagnostic, Segment } from '../model.js';
import { pushAll } from '../text.js';

/** One side of a pair, or the content of a single: its language (BCP 47) and its plain text. */
interface PairsSide {
  lang: string;
  text: string;
}

/** One block as the compiler understood it. Text inside lists is `list-item`, inside quotes `quote`. */
export type PairsEntry =
  | {
      line: number;
      kind: 'pair';
      type: 'paragraph' | 'heading' | 'list-item' | 'quote';
      level?: number;
      original: PairsSide;
      translation: PairsSide;
    }
  | { line: number; kind: 'single'; type: PairsType; level?: number; lang: string; text: string };

type PairsType =
  | 'paragraph'
  | 'heading'
  | 'list-item'
  | 'quote'
  | 'code'
  | 'image'
  | 'table'
  | 'html'
  | 'rule';

/** What `anthology pairs FILE --json` prints. Documented in README.md; `version` changes only if the shape does. */
export interface PairsReport {
  version: 1;
  file: string;
  /** The article's two languages, detected (the front matter is not trusted); `und` when there is no second language. */
  originalLang: string;
  translationLang: string;
  blocks: PairsEntry[];
  diagnostics: Diagnostic[];
}

const PAIRS_REPORT_VERSION = 1;

const side = (s: Segment): PairsSide => ({ lang: s.lang, text: s.text });

/** Flatten blocks into report entries; text inside lists is `list-item`, inside quotes `quote`. */
function describeBlocks(
  blocks: Block[],
  context: 'list-item' | 'quote' | undefined = undefined,
): PairsEntry[] {
  const out: PairsEntry[] = [];
  for (const b of blocks) {
    if (b.kind === 'list') {
      for (const item of b.items) pushAll(out, describeBlocks(item.blocks, 'list-item'));
    } else if (b.kind === 'quote' || b.kind === 'note') {
      pushAll(out, describeBlocks(b.blocks, context ?? 'quote'));
    } else if (b.kind === 'pair') {
      const type = b.type === 'heading' ? 'heading' : (context ?? 'paragraph');
      out.push({
        line: b.line,
        kind: 'pair',
        type,
        ...(b.type === 'heading' && b.level ? { level: b.level } : {}),
        original: side(b.original),
        translation: side(b.translation),
      });
    } else {
      const type = b.type === 'paragraph' ? (context ?? 'paragraph') : b.type;
      out.push({
        line: b.line,
        kind: 'single',
        type,
        ...(b.type === 'heading' && b.level ? { level: b.level } : {}),
        lang: b.segment.lang,
        text: b.segment.text,
      });
    }
  }
  return out;
}

export function describeArticle(source: ArticleSource, file?: string): PairsReport {
  const name = file ?? source.relPath;
  const r = articleBlocks(source, { file: name });
  return {
    version: PAIRS_REPORT_VERSION,
    file: name,
    originalLang: r.originalLang,
    translationLang: r.translationLang,
    blocks: describeBlocks(r.blocks),
    diagnostics: r.diagnostics,
  };
}

// ---------------------------------------------------------------- terminal columns

/** Columns a character takes in a terminal: East Asian wide and full-width characters take two. */
function charWidth(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return 0;
  if (c >= 0x300 && c <= 0x36f) return 0; // combining marks
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0x303e) ||
    (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1faff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  )
    return 2;
  return 1;
}

export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

const NO_LINE_START = /^[，。、；：！？）」』】》〉”’·…,.;:!?)\]]/u;

/** Wrap a text to a width in terminal columns (breaks at spaces for Latin text, anywhere for CJK). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    let curW = 0;
    const tokens =
      para.match(
        /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]+|\s+/gu,
      ) ?? [];
    for (const tok of tokens) {
      if (/^\s+$/.test(tok)) {
        if (curW > 0 && curW < width) {
          cur += ' ';
          curW++;
        }
        continue;
      }
      let t = tok;
      while (t) {
        const w = textWidth(t);
        if (curW + w <= width) {
          cur += t;
          curW += w;
          t = '';
        } else if (curW > 0 && w <= width) {
          // a closing mark (，。、」) never starts a line: the character before it comes along
          let carry = '';
          if (NO_LINE_START.test(t)) {
            const chars = [...cur.trimEnd()];
            if (chars.length > 1 && charWidth(chars[chars.length - 1]!) === 2) carry = chars.pop()!;
            cur = chars.join('');
          }
          lines.push(cur.trimEnd());
          cur = carry;
          curW = textWidth(carry);
        } else {
          // a word longer than the column: cut it
          let head = '';
          let hw = 0;
          for (const ch of t) {
            const cw = charWidth(ch);
            if (curW + hw + cw > width) break;
            head += ch;
            hw += cw;
          }
          if (!head) {
            lines.push(cur.trimEnd());
            cur = '';
            curW = 0;
            continue;
          }
          cur += head;
          lines.push(cur.trimEnd());
          cur = '';
          curW = 0;
          t = t.slice(head.length);
        }
      }
    }
    lines.push(cur.trimEnd());
  }
  return lines.length ? lines : [''];
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - textWidth(s)));
}

const TYPE_MARK: Record<PairsEntry['type'], string> = {
  paragraph: 'P',
  heading: 'H',
  'list-item': 'L',
  quote: 'Q',
  code: 'C',
  image: 'I',
  table: 'T',
  html: 'X',
  rule: '-',
};

/**
 * Two aligned columns: line number and type at the left, the original, then the translation.
 * A single spans both columns. `columns` is the terminal width.
 */
export function formatPairsHuman(report: PairsReport, columns: number): string {
  const total = Math.max(40, columns);
  const gutter = 8; // "  1234 P "
  const sep = ' │ ';
  const col = Math.max(10, Math.floor((total - gutter - sep.length) / 2));
  const out: string[] = [];
  out.push(`${report.file}  (original ${report.originalLang}, translation ${report.translationLang})`);
  out.push(
    `${' '.repeat(gutter)}${pad(`original [${report.originalLang}]`, col)}${sep}translation [${report.translationLang}]`,
  );
  out.push('─'.repeat(Math.min(total, gutter + 2 * col + sep.length)));
  const clip = (s: string, n: number) => {
    const lines = wrap(s.replace(/\s+/g, ' ').trim(), n);
    return lines;
  };
  for (const e of report.blocks) {
    const head = `${String(e.line).padStart(5)} ${TYPE_MARK[e.type]} `;
    if (e.kind === 'pair') {
      const a = clip(e.original.text, col);
      const b = clip(e.translation.text, col);
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++)
        out.push(
          `${i === 0 ? head : ' '.repeat(gutter)}${pad(a[i] ?? '', col)}${sep}${b[i] ?? ''}`.trimEnd(),
        );
    } else {
      const text = e.type === 'rule' ? '———' : e.text;
      const label =
        e.type === 'code' || e.type === 'image' || e.type === 'table' || e.type === 'html'
          ? `[${e.type}] `
          : e.type === 'rule'
            ? ''
            : `[single ${e.lang}] `;
      const lines = clip(
        label + (e.type === 'code' ? text.split('\n')[0] + (text.includes('\n') ? ' …' : '') : text),
        2 * col + sep.length,
      );
      for (const [i, l] of lines.entries()) out.push(`${i === 0 ? head : ' '.repeat(gutter)}${l}`.trimEnd());
    }
  }
  if (report.diagnostics.length) {
    out.push('');
    for (const d of report.diagnostics)
      out.push(`${d.file}${d.line ? `:${d.line}` : ''}: ${d.severity}: ${d.message}`);
  }
  const pairs = report.blocks.filter((b) => b.kind === 'pair').length;
  out.push('');
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.push(
    `${count(pairs, 'pair')}, ${count(report.blocks.length - pairs, 'single')}, ${count(report.diagnostics.length, 'warning')}`,
  );
  out.push('P paragraph  H heading  L list item  Q quote  C code  I image  T table  X HTML');
  return `${out.join('\n')}\n`;
}
