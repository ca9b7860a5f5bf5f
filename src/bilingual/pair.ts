/**
 * The pair stage: Markdown blocks (from the parse stage) -> model blocks, where an original and
 * its translation are one PairBlock. Pure: the only output besides the blocks is a list of
 * diagnostics.
 *
 * How a careful editor reads a clipped bilingual article, step by step:
 * 1. Mend: a paragraph that opens a link or emphasis closed only by the next paragraph (the
 *    translation was pasted inside the markup, `[EN␣␣` / blank / `ZH](url)`), or a paragraph of a
 *    lone footnote bracket (`\[` / blank / `1\] ...`), is joined to the next one.
 * 2. Cut: each text block is cut into runs of one language at its line breaks (hard or soft);
 *    links and emphasis cut in two are cloned on both sides. Leading and trailing images leave
 *    the text and become image blocks of their own.
 * 3. Pair: an original run followed by a translation run becomes a pair (two headings; a
 *    heading and a short paragraph; two list items; two paragraphs). When the sides do not line
 *    up (two originals then one translation; an untranslated paragraph) the lengths decide, and
 *    a warning names the file and line.
 * 4. A block still unpaired is cut inside a line where its script changes for good
 *    (`## Fake names 伪造姓名`, `-   By Edmond Lau⍽作者：Edmond Lau`, a whole English paragraph
 *    followed by its Chinese on the same line), and paired.
 * Code, tables, images and rules stay single. The front matter's language is not trusted.
 *
 * This file holds the walk over an article's blocks, lists and quotes included; the steps are in
 * mend.ts (1), runs.ts (2) and pair-units.ts (3 and 4), the units they pass in units.ts; the
 * article's two languages, decided before pairing, in article-languages.ts; the module state of
 * them all in state.ts.
 */
import { codeHtml, lexInline, type MdNode } from '../markdown/parse.js';
import type { Block, Diagnostic, ListItem, PairBlock, SingleBlock } from '../model.js';
import { pushAll } from '../text.js';
import { leavesToXhtml, plainText } from './inline.js';
import { countScripts, detectLanguage, stripNonLanguage } from './language.js';
import { languageGroup } from './leaf-language.js';
import { mend } from './mend.js';
import { pairUnits, selfPaired } from './pair-units.js';
import { textUnits } from './runs.js';
import { quoted } from './state.js';
import { type PairContext, segment, single, type Unit } from './units.js';

const COPIED = /data-translationmark=["']?copiedNode/;

function htmlText(html: string): string {
  return plainText(html);
}

export function pairNodes(nodes: MdNode[], ctx: PairContext): Block[] {
  const units: Unit[] = [];
  const mended = mend(nodes, ctx);
  for (let i = 0; i < mended.length; i++) {
    const node = mended[i]!;
    switch (node.type) {
      case 'text': {
        const t = textUnits(node, ctx);
        if (node.role === 'paragraph' && giveBackToList(units, t, ctx)) break;
        pushAll(units, t);
        break;
      }
      case 'code':
        if (node.indented && languageGroup(detectLanguage(node.text)) === 'cjk') {
          // a translation indented one step too far inside a list item reads as an indented code
          // block; code is never written in Han, so it is prose
          const md = node.text
            .split('\n')
            .map((l) => l.trim())
            .join('\n');
          // `12.  EN␣␣` / blank / four spaces then ZH: the list ended one line early
          const t = textUnits(
            { type: 'text', role: 'paragraph', line: node.line, md, tokens: lexInline(md, ctx.links) },
            ctx,
          );
          if (giveBackToList(units, t, ctx)) break;
          pushAll(units, t);
          break;
        }
        units.push({
          kind: 'block',
          block: single('code', node.line, {
            lang: 'zxx',
            html: codeHtml(node.text, node.lang),
            text: node.text,
          }),
        });
        break;
      case 'rule':
        units.push({
          kind: 'block',
          block: single('rule', node.line, { lang: 'und', html: '<hr/>', text: '' }),
        });
        break;
      case 'table': {
        const text = htmlText(node.html);
        units.push({
          kind: 'block',
          block: single('table', node.line, { lang: langOr(text, ctx.originalLang), html: node.html, text }),
        });
        break;
      }
      case 'html': {
        if (!node.html.trim() || (!htmlText(node.html) && !/<(img|hr|table)\b/.test(node.html))) break;
        const next = mended[i + 1];
        if (COPIED.test(node.raw) && next && next.type === 'html') {
          // immersive-translate keeps the original as a copy marked copiedNode, then the translated node
          const o = htmlText(node.html);
          const t = htmlText(next.html);
          const lo = detectLanguage(o);
          const lt = detectLanguage(t);
          i++;
          if (lo !== lt && lo !== 'und' && lt !== 'und') {
            units.push({
              kind: 'block',
              block: {
                kind: 'pair',
                type: 'paragraph',
                line: node.line,
                original: { lang: lo, html: node.html, text: o },
                translation: { lang: lt, html: next.html, text: t },
              },
            });
          } else {
            units.push({
              kind: 'block',
              block: single(htmlType(next.html), next.line, {
                lang: langOr(t, ctx.originalLang),
                html: next.html,
                text: t,
              }),
            });
          }
          break;
        }
        const text = htmlText(node.html);
        units.push({
          kind: 'block',
          block: single(htmlType(node.html), node.line, {
            lang: langOr(text, ctx.originalLang),
            html: node.html,
            text,
          }),
        });
        break;
      }
      case 'quote':
        units.push({
          kind: 'block',
          block: { kind: 'quote', line: node.line, blocks: pairNodes(node.children, ctx) },
        });
        break;
      case 'list': {
        const firstWarning = ctx.diagnostics.length;
        const items: ListItem[] = node.items.map((it) => ({
          line: it.line,
          blocks: pairNodes(it.children, ctx),
        }));
        const list: Block = {
          kind: 'list',
          ordered: node.ordered,
          line: node.line,
          items: mergeItems(items, ctx),
        };
        collapseWarnings(ctx, firstWarning);
        if (node.ordered && node.start !== undefined) list.start = node.start;
        units.push({ kind: 'block', block: list });
        break;
      }
    }
  }
  const out: Block[] = [];
  pairUnits(units, ctx, out);
  return out;
}

/**
 * An untranslated reference list (2022/11/24/world-passport: 66 references) would give one
 * warning per item; a run of three or more items without translation gives one warning for the run.
 */
function collapseWarnings(ctx: PairContext, from: number): void {
  const mine = ctx.diagnostics.slice(from);
  const out: Diagnostic[] = [];
  const kindOf = (d: Diagnostic) =>
    d.code === 'pair/untranslated' || d.code === 'pair/orphan' ? d.code : '';
  for (let i = 0; i < mine.length; ) {
    const kind = kindOf(mine[i]!);
    let j = i + 1;
    while (kind && j < mine.length && kindOf(mine[j]!) === kind) j++;
    if (j - i >= 3) {
      const first = mine[i]!;
      const what =
        kind === 'pair/untranslated'
          ? 'list items have no translation'
          : 'list items are translations without an original';
      const snip = quoted.get(first) ?? '';
      out.push({
        ...first,
        message: `${j - i} ${what} (lines ${first.line}-${mine[j - 1]!.line}), from "${snip}"`,
      });
    } else pushAll(out, mine.slice(i, j));
    i = j;
  }
  ctx.diagnostics.length = from; // `mine` was the whole tail
  pushAll(ctx.diagnostics, out);
}

/**
 * A translation that fell out of its list (2023/06/25/common-bugs-in-writing, line 193: the last
 * item's Chinese lost its indentation; 2023/07/02/being-rockstars, line 337: a footnote list):
 * when the list's last item ends with an untranslated original and the next paragraph reads as
 * its translation, the paragraph goes back into the item as the translation.
 */
function giveBackToList(units: Unit[], t: Unit[], ctx: PairContext): boolean {
  const prev = units[units.length - 1];
  const lastItem =
    prev?.kind === 'block' && prev.block.kind === 'list'
      ? prev.block.items[prev.block.items.length - 1]
      : undefined;
  const lastBlock = lastItem?.blocks[lastItem.blocks.length - 1];
  const O = languageGroup(ctx.originalLang);
  const T = languageGroup(ctx.translationLang);
  if (
    !lastItem ||
    !lastBlock ||
    lastBlock.kind !== 'single' ||
    lastBlock.type !== 'paragraph' ||
    O === T ||
    T === 'none'
  )
    return false;
  // the item must hold words (not only a URL), the paragraph must not be a pair by itself
  if (
    languageGroup(lastBlock.segment.lang) !== O ||
    languageGroup(detectLanguage(lastBlock.segment.text)) !== O
  )
    return false;
  const only = t.length === 1 ? t[0] : undefined;
  if (only?.kind !== 'text' || only.group !== T || selfPaired(only, O, T)) return false;
  if (!fitsText(lastBlock.segment.text, plainText(leavesToXhtml(only.leaves)))) return false;
  lastItem.blocks[lastItem.blocks.length - 1] = {
    kind: 'pair',
    type: 'paragraph',
    line: lastBlock.line,
    original: lastBlock.segment,
    translation: segment(only.leaves, only.lang),
  };
  dropWarnings(ctx, [lastBlock.line]);
  return true;
}

function htmlType(html: string): SingleBlock['type'] {
  return /^\s*<table\b/.test(html)
    ? 'table'
    : /^\s*(<a\b[^>]*>\s*)?<img\b[^>]*\/>\s*(<\/a>)?\s*$/.test(html)
      ? 'image'
      : 'html';
}

function langOr(text: string, fallback: string): string {
  const l = detectLanguage(text);
  return l === 'und' ? fallback : l;
}

/** `- tokenization` / `- 代币化`: an item holding only an original, then one holding its translation. */
function mergeItems(items: ListItem[], ctx: PairContext): ListItem[] {
  const O = languageGroup(ctx.originalLang);
  const T = languageGroup(ctx.translationLang);
  if (O === T || T === 'none') return items;
  const out: ListItem[] = [];
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    const b = items[i + 1];
    const sa = a.blocks.length === 1 ? a.blocks[0] : undefined;
    const sb = b?.blocks[0];
    // `-   EN` / `-   EN␣␣ ZH`: the item repeated untranslated before its translated copy
    const originalOf = (x: Block | undefined) =>
      x?.kind === 'pair'
        ? x.original.text
        : x?.kind === 'single' && x.type === 'paragraph'
          ? x.segment.text
          : undefined;
    if (
      b &&
      sa &&
      sa.kind === 'single' &&
      sa.type === 'paragraph' &&
      languageGroup(sa.segment.lang) === O &&
      sa.segment.text.trim() &&
      sa.segment.text === originalOf(sb)
    ) {
      dropWarnings(ctx, [sa.line]);
      continue;
    }
    if (
      b &&
      sa &&
      sb &&
      sa.kind === 'single' &&
      sb.kind === 'single' &&
      sa.type === 'paragraph' &&
      sb.type === 'paragraph' &&
      languageGroup(sa.segment.lang) === O &&
      languageGroup(sb.segment.lang) === T &&
      fitsText(sa.segment.text, sb.segment.text)
    ) {
      const pair: PairBlock = {
        kind: 'pair',
        type: 'paragraph',
        line: sa.line,
        original: sa.segment,
        translation: sb.segment,
      };
      out.push({ line: a.line, blocks: [pair, ...b.blocks.slice(1)] });
      dropWarnings(ctx, [sa.line, sb.line]);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function fitsText(o: string, t: string): boolean {
  const c1 = countScripts(stripNonLanguage(o));
  const c2 = countScripts(stripNonLanguage(t));
  const so = c1.latin + 3 * c1.han;
  const st = c2.latin + 3 * c2.han;
  if (so < 40 && st < 40) return true;
  const r = st / Math.max(1, so);
  return r >= 0.2 && r <= 5;
}

function dropWarnings(ctx: PairContext, lines: number[]): void {
  for (let k = ctx.diagnostics.length - 1; k >= 0; k--) {
    const d = ctx.diagnostics[k]!;
    if (d.file === ctx.file && d.line !== undefined && lines.includes(d.line) && d.severity === 'warning')
      ctx.diagnostics.splice(k, 1);
  }
}
