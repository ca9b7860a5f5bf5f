/**
 * The bilingual layouts: blocks -> one well-formed XHTML fragment. Pure.
 *
 * Markup (every element holding text carries `lang` and `xml:lang`):
 *   pair, interleaved   <div class="pair"><p class="original" lang="en" xml:lang="en">…</p>
 *                                         <p class="translation" lang="zh" xml:lang="zh">…</p></div>
 *   pair, side-by-side  the same inside <div class="pair side-by-side"> (CSS makes two columns)
 *   pair, facing        the same inside <div class="pair facing"> (print CSS puts each side on its own page of a spread)
 *   pair heading        <hN class="pair-heading"><span class="original" …>…</span>
 *                       <span class="translation" …>…</span></hN>   (CSS puts the translation on its own line)
 *   pair holding block HTML (a raw table and its translated copy): <div class="original|translation"> instead of <p>
 *   original / translation layouts: only that side, `<p class="original" …>` or `<hN class="translation" …>`
 *   single              <p class="single" …>, <hN class="single" …>, <pre class="single code" …>,
 *                       <div class="single image|table|html" …>, <hr class="single"/>
 *   list                <ul>/<ol start="n"> with the blocks of each item inside <li>
 *   quote               <blockquote> with its blocks inside
 *   note                <aside class="note" id="…" role="doc-footnote" epub:type="footnote"> (epub:type in
 *                       XHTML only): its blocks, the first paragraph led by its number, a way back to the
 *                       reference (<span class="note-label"><a role="doc-backlink">); a note that starts
 *                       with no paragraph (code, an image) has the number on a line of its own
 *                       (<p class="note-label">); the notes pass puts notes at their article's end
 * `translation-first` swaps the two sides of every pair (and shows the translation in `original`'s place).
 */
import { escapeAttr, escapeText } from '../markdown/xhtml.js';
import type { Block, LayoutName, NoteBlock, PairBlock, PairOrder, Segment, SingleBlock } from '../model.js';

export interface LayoutOptions {
  layout: LayoutName;
  order: PairOrder;
  /** The h-level an article's `#` becomes (e.g. 3); deeper levels follow, clamped at 6. */
  headingBase: number;
  /**
   * Marks for the leaf blocks (pairs and singles), numbered from 0 in reading order, depth first:
   * the same numbers in every layout, so that a place found in one rendering (where a printed page
   * begins) can be marked in another (the EPUB's page list).
   */
  marks?: BlockMarks;
  /** Wraps each top-level block's markup (the preview marks its source line and its problems). */
  wrap?: (block: Block, html: string) => string;
  /** True for the EPUB's XHTML: notes carry `epub:type`, which reading systems pop up. */
  xml?: boolean;
}

export interface BlockMarks {
  /** The id for the block's element, given the id it has of its own (a heading's anchor), if any. */
  id?(index: number, own: string | undefined): string | undefined;
  /** Markup to put just before the block's element. */
  before?(index: number): string;
}

/** The options and the running count of leaf blocks. */
interface Rendering extends LayoutOptions {
  next: number;
  /**
   * A note's number, for its first leaf block to start with: `taken` by a paragraph; a leaf that
   * cannot hold it (code, an image, a heading) leaves it `refused`, and the note sets it alone.
   */
  lead?: { html: string; state: 'waiting' | 'taken' | 'refused' };
}

/** The markup of a note's number that leads its first paragraph, once; '' when there is none. */
function takeLead(options: Rendering): string {
  if (options.lead?.state !== 'waiting') return '';
  options.lead.state = 'taken';
  return options.lead.html;
}

function langAttrs(lang: string): string {
  const l = escapeAttr(lang || 'und');
  return ` lang="${l}" xml:lang="${l}"`;
}

const BLOCK_HTML = /^\s*<(table|div|p|ul|ol|pre|blockquote|figure|h[1-6]|dl|section|hr)\b/;

const idAttr = (id: string | undefined) => (id ? ` id="${escapeAttr(id)}"` : '');

function level(l: number | undefined, options: LayoutOptions): number {
  return Math.min(6, Math.max(1, options.headingBase + (l ?? 1) - 1));
}

function sides(
  b: PairBlock,
  options: LayoutOptions,
): [Segment, 'original' | 'translation', Segment, 'original' | 'translation'] {
  return options.order === 'translation-first'
    ? [b.translation, 'translation', b.original, 'original']
    : [b.original, 'original', b.translation, 'translation'];
}

function renderPair(b: PairBlock, options: Rendering, id: string): string {
  const [first, firstClass, second, secondClass] = sides(b, options);
  if (b.type === 'heading') {
    const h = `h${level(b.level, options)}`;
    if (options.layout === 'original')
      return `<${h}${id} class="original"${langAttrs(b.original.lang)}>${b.original.html}</${h}>`;
    if (options.layout === 'translation')
      return `<${h}${id} class="translation"${langAttrs(b.translation.lang)}>${b.translation.html}</${h}>`;
    const cls =
      options.layout === 'side-by-side' || options.layout === 'facing'
        ? `pair-heading ${options.layout}`
        : 'pair-heading';
    return `<${h}${id} class="${cls}"><span class="${firstClass}"${langAttrs(first.lang)}>${first.html}</span> <span class="${secondClass}"${langAttrs(second.lang)}>${second.html}</span></${h}>`;
  }
  const el = (seg: Segment, cls: string, attrs = '') => {
    const block = BLOCK_HTML.test(seg.html);
    const tag = block ? 'div' : 'p';
    // a note's number leads the first side shown (the only one, in a one-language layout)
    const lead = block ? '' : takeLead(options);
    if (block && options.lead?.state === 'waiting') options.lead.state = 'refused';
    return `<${tag}${attrs} class="${cls}"${langAttrs(seg.lang)}>${lead}${seg.html}</${tag}>`;
  };
  // the original layout shows the original whatever the order; the order only swaps bilingual layouts
  if (options.layout === 'original') return el(b.original, 'original', id);
  if (options.layout === 'translation') return el(b.translation, 'translation', id);
  const cls =
    options.layout === 'side-by-side' || options.layout === 'facing' ? `pair ${options.layout}` : 'pair';
  return `<div${id} class="${cls}">${el(first, firstClass)}${el(second, secondClass)}</div>`;
}

/** A leaf block with its marks: the markup before it, its element with the id. */
function renderLeaf(b: PairBlock | SingleBlock, options: Rendering): string {
  const index = options.next++;
  const own = 'id' in b ? b.id : undefined;
  const id = options.marks?.id ? options.marks.id(index, own) : own;
  const before = options.marks?.before?.(index) ?? '';
  const html = b.kind === 'pair' ? renderPair(b, options, idAttr(id)) : renderSingle(b, options, idAttr(id));
  // only the note's first leaf may hold its number
  if (options.lead?.state === 'waiting') options.lead.state = 'refused';
  return before + html;
}

function renderBlock(b: Block, options: Rendering): string {
  switch (b.kind) {
    case 'pair':
    case 'single':
      return renderLeaf(b, options);
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      const start = b.ordered && b.start !== undefined && b.start !== 1 ? ` start="${b.start}"` : '';
      const items = b.items
        .map((it) => `<li>${it.blocks.map((x) => renderBlock(x, options)).join('')}</li>`)
        .join('');
      return `<${tag}${start}>${items}</${tag}>`;
    }
    case 'quote':
      return `<blockquote>${b.blocks.map((x) => renderBlock(x, options)).join('')}</blockquote>`;
    case 'note':
      return renderNote(b, options);
  }
}

function renderSingle(b: SingleBlock, options: Rendering, id: string): string {
  const s = b.segment;
  switch (b.type) {
    case 'heading': {
      const h = `h${level(b.level, options)}`;
      return `<${h}${id} class="single"${langAttrs(s.lang)}>${s.html}</${h}>`;
    }
    case 'paragraph':
      return BLOCK_HTML.test(s.html)
        ? `<div${id} class="single"${langAttrs(s.lang)}>${s.html}</div>`
        : `<p${id} class="single"${langAttrs(s.lang)}>${takeLead(options)}${s.html}</p>`;
    case 'code':
      // codeHtml gives <pre><code>…</code></pre>: put the class and language on the <pre>
      return s.html.replace(/^<pre>/, `<pre${id} class="single code"${langAttrs(s.lang)}>`);
    case 'rule':
      return `<hr${id} class="single"/>`;
    default:
      return `<div${id} class="single ${b.type}"${langAttrs(s.lang)}>${s.html}</div>`;
  }
}

/**
 * A note: its label leads back to the reference the reader came from, in the language shown first
 * (the translation layout has only the translation's references); without one, the label is text.
 */
function renderNote(b: NoteBlock, options: Rendering): string {
  const shown =
    options.layout === 'original'
      ? [b.backlinks.original]
      : options.layout === 'translation'
        ? [b.backlinks.translation]
        : options.order === 'translation-first'
          ? [b.backlinks.translation, b.backlinks.original]
          : [b.backlinks.original, b.backlinks.translation];
  const back = shown.find((id) => id !== undefined);
  const label = escapeText(b.label);
  const link = back ? `<a href="#${escapeAttr(back)}" role="doc-backlink">${label}</a>` : label;
  const type = options.xml ? ' epub:type="footnote"' : '';
  // The number leads the note's first paragraph, so that it never ends a page alone, the text on
  // the next (a reader following the reference would land on the number only). It is a number or
  // a name, no language's words: `zxx` (no linguistic content).
  const lead: Rendering['lead'] = {
    html: `<span class="note-label"${langAttrs('zxx')}>${link}</span> `,
    state: 'waiting',
  };
  options.lead = lead;
  const blocks = b.blocks.map((x) => renderBlock(x, options)).join('');
  options.lead = undefined;
  const alone = lead.state === 'taken' ? '' : `<p class="note-label"${langAttrs('zxx')}>${link}</p>`;
  return `<aside class="note" id="${escapeAttr(b.id)}" role="doc-footnote"${type}>${alone}${blocks}</aside>`;
}

/** Render an article's blocks in a layout, as a well-formed XHTML fragment. */
export function renderBlocks(blocks: Block[], options: LayoutOptions): string {
  const rendering: Rendering = { ...options, next: 0 };
  return blocks
    .map((b) => {
      const html = renderBlock(b, rendering);
      return options.wrap ? options.wrap(b, html) : html;
    })
    .join('\n');
}
