/**
 * HTML fragment -> well-formed, sanitised XHTML (for EPUB 3 content documents and the print HTML).
 *
 * parse5 parses the fragment the way a browser would (mis-nesting repaired, entities resolved);
 * we then walk the tree with an allow-list of elements and attributes and serialise it as XML:
 * void elements self-closed, only `&amp; &lt; &gt; &quot;` escaped, attributes double-quoted.
 * Pure: no I/O, no state.
 */
import { lazyPackage } from '../lazy.js';

/** Loaded on first use: 45 ms to import, and most fragments never need it (parseSimpleFragment). */
const parse5 = lazyPackage<typeof import('parse5')>('parse5');

/** Elements dropped together with everything inside them (a <form> is not listed: it is unwrapped, its controls dropped). */
const DROP = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'input',
  'link',
  'meta',
  'base',
  'noscript',
  'template',
  'svg',
  'math',
  'textarea',
  'select',
  'option',
  'optgroup',
  'button',
  'frame',
  'frameset',
  'applet',
  'title',
  'head',
  'param',
  'canvas',
  'audio',
  'video',
  'source',
  'track',
  'map',
  'area',
  'dialog',
  'portal',
  'slot',
]);

/** Elements without content, written `<br/>` (by the serialiser here and writeXhtml in xhtml-tree.ts). */
export const VOID = new Set(['br', 'hr', 'img', 'col', 'wbr']);

/**
 * `id` is not kept: clipped pages repeat the same ids on both sides of a pair (Wikipedia's
 * `cite_ref-*`), and a duplicate id makes the EPUB invalid. The renderer makes its own ids.
 */
const GLOBAL_ATTRS = ['class', 'title', 'lang', 'dir'];

/** Allowed elements and their own attributes (besides the global ones). */
const ALLOWED: Record<string, string[]> = {
  p: [],
  a: ['href', 'title'],
  em: [],
  strong: [],
  b: [],
  i: [],
  u: [],
  code: [],
  pre: [],
  img: ['src', 'alt', 'width', 'height', 'title'],
  table: [],
  caption: [],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope'],
  colgroup: ['span'],
  col: ['span'],
  ul: [],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  br: [],
  hr: [],
  sup: [],
  sub: [],
  s: [],
  span: [],
  div: [],
  figure: [],
  figcaption: [],
  dl: [],
  dt: [],
  dd: [],
  abbr: [],
  kbd: [],
  mark: [],
  small: [],
  cite: [],
  samp: [],
  var: [],
  dfn: [],
  bdi: [],
  bdo: [],
  time: ['datetime'],
  address: [],
  wbr: [],
  ruby: [],
  rt: [],
  rp: [],
  section: [],
  article: [],
  aside: [],
  header: [],
  footer: [],
  nav: [],
  main: [],
  details: [],
  summary: [],
};

const INTEGER = /^\d+$/;

interface P5Node {
  nodeName: string;
  tagName?: string;
  namespaceURI?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: P5Node[];
  value?: string;
}

/** Characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/FFFF). */
const XML_BAD =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any character XML_BAD may remove: a quick test (no lookaround) before running it. */
const MAYBE_XML_BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeText(s: string): string {
  const valid = MAYBE_XML_BAD.test(s) ? s.replace(XML_BAD, '') : s;
  return valid.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

const XML_NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of serialized XHTML (ours, which writes only these entities and numeric references). */
export function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    const named = XML_NAMED[entity.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(
      entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10),
    );
  });
}

/** Is this URL safe for href/src? Relative URLs, http(s), mailto, fragments; data: only for raster images in src. */
function safeUrl(url: string, attr: 'href' | 'src'): boolean {
  // Browsers ignore whitespace and control characters inside a scheme: strip them before looking.
  const compact = url.replace(/[\u0000-\u0020\u007F-\u009F]/g, '').toLowerCase();
  const m = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  if (!m) return true; // relative, fragment or query
  const scheme = m[1];
  if (scheme === 'http' || scheme === 'https' || scheme === 'mailto' || scheme === 'ftp' || scheme === 'tel')
    return true;
  if (scheme === 'data') return attr === 'src' && /^data:image\/(png|jpe?g|gif|webp|avif)[;,]/.test(compact);
  return false;
}

function cleanAttrs(tag: string, attrs: { name: string; value: string }[]): string {
  const own = ALLOWED[tag] ?? [];
  let out = '';
  let hasAlt = false;
  const seen = new Set<string>();
  for (const { name, value } of attrs) {
    const n = name.toLowerCase();
    if (seen.has(n)) continue;
    if (!GLOBAL_ATTRS.includes(n) && !own.includes(n)) continue;
    let v = value;
    if (n === 'href' || n === 'src' || n === 'cite') {
      v = v.trim();
      if (!safeUrl(v, n === 'src' ? 'src' : 'href')) continue;
    }
    if (
      (n === 'width' ||
        n === 'height' ||
        n === 'colspan' ||
        n === 'rowspan' ||
        n === 'span' ||
        n === 'start' ||
        n === 'value') &&
      !/^-?\d+$/.test(v.trim())
    )
      continue;
    if (
      (n === 'width' || n === 'height' || n === 'span' || n === 'colspan' || n === 'rowspan') &&
      !INTEGER.test(v.trim())
    )
      continue;
    if (n === 'reversed') v = 'reversed';
    if (n === 'type' && !/^[1aAiI]$/.test(v)) continue;
    if (n === 'dir' && !/^(ltr|rtl|auto)$/.test(v)) continue;
    if (n === 'lang' && !/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(v)) continue;
    if (n === 'scope' && !/^(row|col|rowgroup|colgroup)$/.test(v)) continue;
    if (n === 'alt') hasAlt = true;
    seen.add(n);
    out += ` ${n}="${escapeAttr(v)}"`;
    if (n === 'lang') out += ` xml:lang="${escapeAttr(v)}"`;
  }
  if (tag === 'img' && !hasAlt) out += ' alt=""';
  return out;
}

/**
 * Elements nested deeper than this keep only their text: 13,000 `<div>` overflowed the stack of
 * this recursive writer and of every pass that reads the tree again (issue 12).
 */
const MAX_HTML_DEPTH = 64;

/** The text of a subtree, without recursion (it may be thousands of elements deep). */
function textOf(root: P5Node): string {
  const parts: string[] = [];
  const stack: P5Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeName === '#text') parts.push(node.value ?? '');
    else if (
      !node.nodeName.startsWith('#') &&
      !DROP.has((node.tagName ?? node.nodeName).toLowerCase()) &&
      node.childNodes
    ) {
      for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
    }
  }
  return parts.join('');
}

function serialize(nodes: P5Node[] | undefined, out: string[], depth = 0): void {
  if (!nodes) return;
  for (const node of nodes) {
    if (depth >= MAX_HTML_DEPTH && !node.nodeName.startsWith('#')) {
      out.push(escapeText(textOf(node)));
      continue;
    }
    if (node.nodeName === '#text') {
      out.push(escapeText(node.value ?? ''));
      continue;
    }
    if (node.nodeName.startsWith('#')) continue; // comments, doctype
    const tag = (node.tagName ?? node.nodeName).toLowerCase();
    if (node.namespaceURI && node.namespaceURI !== 'http://www.w3.org/1999/xhtml') continue; // svg, math
    if (DROP.has(tag)) continue;
    if (!(tag in ALLOWED)) {
      serialize(node.childNodes, out, depth + 1); // unknown element: unwrap
      continue;
    }
    if (tag === 'img') {
      const src = node.attrs?.find((a) => a.name === 'src');
      if (!src || !safeUrl(src.value.trim(), 'src')) continue; // an image without a usable source is nothing
    }
    const attrs = cleanAttrs(tag, node.attrs ?? []);
    if (VOID.has(tag)) {
      out.push(`<${tag}${attrs}/>`);
      continue;
    }
    out.push(`<${tag}${attrs}>`);
    serialize(node.childNodes, out, depth + 1);
    out.push(`</${tag}>`);
  }
}

/** Parse an HTML fragment and serialise it as sanitised, well-formed XHTML. */
export function toXhtml(html: string): string {
  if (!/[<&]/.test(html)) return escapeText(html);
  const nodes = parseSimpleFragment(html) ?? (parse5().parseFragment(html) as unknown as P5Node).childNodes;
  const out: string[] = [];
  serialize(nodes, out);
  return out.join('');
}

// ---------------------------------------------------------------- fast path

/**
 * Most fragments are marked's rendering of inline Markdown without raw HTML: text escaped with
 * the entities marked writes, and a few phrasing elements, properly nested. For such a fragment
 * parse5 builds exactly the tree the markup spells (no repair, nothing reopened), so it is read
 * here directly, and parse5 runs only for the others (raw HTML, other entities, misnesting).
 */
const SIMPLE_ELEMENTS = new Set(['a', 'em', 'strong', 'del', 'code', 'br', 'img']);
const SIMPLE_VOID = new Set(['br', 'img']);
/** A tag as marked writes it: lower-case name, double-quoted attributes. */
const SIMPLE_TAG = /<(\/?)([a-z]+)((?:[ ]+[a-z]+="[^"]*")*)>/y;
const SIMPLE_ATTR = /[ ]+([a-z]+)="([^"]*)"/g;
/** The entities marked writes; parse5 decodes them the same in text and in attributes. */
const SIMPLE_ENTITY = /&(amp|lt|gt|quot|#39);/g;
const OTHER_ENTITY = /&(?!(?:amp|lt|gt|quot|#39);)/;
const SIMPLE_ENTITY_CHAR: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
/** What the HTML tokenizer changes (CR, NUL) and characters XML forbids: left to parse5. */
function mayNeedTokenizer(html: string): boolean {
  return (
    html.includes('\r') ||
    html.includes('\0') ||
    (MAYBE_XML_BAD.test(html) && new RegExp(XML_BAD.source).test(html))
  );
}

function decodeSimple(s: string): string | undefined {
  if (!s.includes('&')) return s;
  if (OTHER_ENTITY.test(s)) return undefined;
  return s.replace(SIMPLE_ENTITY, (_, e: string) => SIMPLE_ENTITY_CHAR[e]!);
}

function simpleAttrs(src: string): { name: string; value: string }[] | undefined {
  const attrs: { name: string; value: string }[] = [];
  for (const m of src.matchAll(SIMPLE_ATTR)) {
    const value = decodeSimple(m[2]!);
    if (value === undefined) return undefined;
    if (!attrs.some((a) => a.name === m[1])) attrs.push({ name: m[1]!, value }); // parse5 keeps the first of two
  }
  return attrs;
}

/** The tree of a fragment in the simple subset, or undefined when parse5 is needed. */
function parseSimpleFragment(html: string): P5Node[] | undefined {
  if (mayNeedTokenizer(html)) return undefined;
  const root: P5Node = { nodeName: '#document-fragment', childNodes: [] };
  const open: P5Node[] = [root];
  let inLink = false;
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    const end = lt === -1 ? html.length : lt;
    if (end > at) {
      const value = decodeSimple(html.slice(at, end));
      if (value === undefined) return undefined;
      open[open.length - 1]!.childNodes!.push({ nodeName: '#text', value });
    }
    if (lt === -1) break;
    SIMPLE_TAG.lastIndex = lt;
    const m = SIMPLE_TAG.exec(html);
    if (!m || !SIMPLE_ELEMENTS.has(m[2]!)) return undefined;
    const [tag, closing, name, attrSrc] = m as unknown as [string, string, string, string];
    at = lt + tag.length;
    if (closing) {
      const top = open[open.length - 1]!;
      if (open.length === 1 || top.nodeName !== name) return undefined;
      open.pop();
      if (name === 'a') inLink = false;
      continue;
    }
    const attrs = simpleAttrs(attrSrc);
    if (!attrs) return undefined;
    const node: P5Node = { nodeName: name, tagName: name, attrs, childNodes: [] };
    open[open.length - 1]!.childNodes!.push(node);
    if (SIMPLE_VOID.has(name)) continue;
    if (name === 'a') {
      if (inLink) return undefined; // parse5 closes the outer link first
      inLink = true;
    }
    open.push(node);
  }
  return open.length === 1 ? root.childNodes : undefined;
}

/** The text a reader sees in an XHTML fragment made by toXhtml (tags removed, the four escapes undone). */
export function xhtmlText(xhtml: string, options: { skipCode?: boolean } = {}): string {
  let s = xhtml;
  if (options.skipCode) s = s.replace(/<code\b[^>]*>[\s\S]*?<\/code>/g, ' ');
  s = s
    .replace(/<br\/>/g, '\n')
    .replace(/<img\b[^>]*?\balt="([^"]*)"[^>]*\/>/g, '$1')
    .replace(/<[^>]+>/g, '');
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
