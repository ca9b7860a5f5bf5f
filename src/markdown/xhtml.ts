/**
 * HTML fragment -> well-formed, sanitised XHTML (for EPUB 3 content documents and the print HTML).
 *
 * parse5 parses the fragment the way a browser would (mis-nesting repaired, entities resolved);
 * we then walk the tree with an allow-list of elements and attributes and serialise it as XML:
 * void elements self-closed, only `&amp; &lt; &gt; &quot;` escaped, attributes double-quoted.
 * Pure: no I/O, no state.
 */
import { parseFragment } from 'parse5';

/** Elements dropped together with everything inside them (a <form> is not listed: it is unwrapped, its controls dropped). */
const DROP = new Set([
  'script', 'style', 'iframe', 'object', 'embed', 'input', 'link', 'meta', 'base',
  'noscript', 'template', 'svg', 'math', 'textarea', 'select', 'option', 'optgroup', 'button',
  'frame', 'frameset', 'applet', 'title', 'head', 'param', 'canvas', 'audio', 'video', 'source',
  'track', 'map', 'area', 'dialog', 'portal', 'slot',
]);

const VOID = new Set(['br', 'hr', 'img', 'col', 'wbr']);

/**
 * `id` is not kept: clipped pages repeat the same ids on both sides of a pair (Wikipedia's
 * `cite_ref-*`), and a duplicate id makes the EPUB invalid. The renderer makes its own ids.
 */
const GLOBAL_ATTRS = ['class', 'title', 'lang', 'dir'];

/** Allowed elements and their own attributes (besides the global ones). */
const ALLOWED: Record<string, string[]> = {
  p: [], a: ['href', 'title'], em: [], strong: [], b: [], i: [], u: [], code: [], pre: [],
  img: ['src', 'alt', 'width', 'height', 'title'],
  table: [], caption: [], thead: [], tbody: [], tfoot: [], tr: [],
  td: ['colspan', 'rowspan', 'headers'], th: ['colspan', 'rowspan', 'headers', 'scope'],
  colgroup: ['span'], col: ['span'],
  ul: [], ol: ['start', 'reversed', 'type'], li: ['value'],
  blockquote: ['cite'], q: ['cite'], del: ['cite', 'datetime'], ins: ['cite', 'datetime'],
  h1: [], h2: [], h3: [], h4: [], h5: [], h6: [],
  br: [], hr: [], sup: [], sub: [], s: [], span: [], div: [], figure: [], figcaption: [],
  dl: [], dt: [], dd: [], abbr: [], kbd: [], mark: [], small: [], cite: [], samp: [], var: [],
  dfn: [], bdi: [], bdo: [], time: ['datetime'], address: [], wbr: [], ruby: [], rt: [], rp: [],
  section: [], article: [], aside: [], header: [], footer: [], nav: [], main: [],
  details: [], summary: [],
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
const XML_BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

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
    return String.fromCodePoint(entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

/** Is this URL safe for href/src? Relative URLs, http(s), mailto, fragments; data: only for raster images in src. */
export function safeUrl(url: string, attr: 'href' | 'src'): boolean {
  // Browsers ignore whitespace and control characters inside a scheme: strip them before looking.
  const compact = url.replace(/[\u0000-\u0020\u007F-\u009F]/g, '').toLowerCase();
  const m = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  if (!m) return true; // relative, fragment or query
  const scheme = m[1];
  if (scheme === 'http' || scheme === 'https' || scheme === 'mailto' || scheme === 'ftp' || scheme === 'tel') return true;
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
    if ((n === 'width' || n === 'height' || n === 'colspan' || n === 'rowspan' || n === 'span' || n === 'start' || n === 'value') && !/^-?\d+$/.test(v.trim())) continue;
    if ((n === 'width' || n === 'height' || n === 'span' || n === 'colspan' || n === 'rowspan') && !INTEGER.test(v.trim())) continue;
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

function serialize(nodes: P5Node[] | undefined, out: string[]): void {
  if (!nodes) return;
  for (const node of nodes) {
    if (node.nodeName === '#text') {
      out.push(escapeText(node.value ?? ''));
      continue;
    }
    if (node.nodeName.startsWith('#')) continue; // comments, doctype
    const tag = (node.tagName ?? node.nodeName).toLowerCase();
    if (node.namespaceURI && node.namespaceURI !== 'http://www.w3.org/1999/xhtml') continue; // svg, math
    if (DROP.has(tag)) continue;
    if (!(tag in ALLOWED)) {
      serialize(node.childNodes, out); // unknown element: unwrap
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
    serialize(node.childNodes, out);
    out.push(`</${tag}>`);
  }
}

/** Parse an HTML fragment and serialise it as sanitised, well-formed XHTML. */
export function toXhtml(html: string): string {
  if (!/[<&]/.test(html)) return escapeText(html);
  const frag = parseFragment(html) as unknown as P5Node;
  const out: string[] = [];
  serialize(frag.childNodes, out);
  return out.join('');
}

/** The text a reader sees in an XHTML fragment made by toXhtml (tags removed, the four escapes undone). */
export function xhtmlText(xhtml: string, options: { skipCode?: boolean } = {}): string {
  let s = xhtml;
  if (options.skipCode) s = s.replace(/<code\b[^>]*>[\s\S]*?<\/code>/g, ' ');
  s = s.replace(/<br\/>/g, '\n').replace(/<img\b[^>]*?\balt="([^"]*)"[^>]*\/>/g, '$1').replace(/<[^>]+>/g, '');
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}
