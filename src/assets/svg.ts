/**
 * The SVG sanitiser. An SVG is a document, not a picture: it can hold scripts, event handlers,
 * HTML inside `foreignObject`, and references that make a reader fetch from the network or read
 * a local file. Every SVG of the book goes through here, in every image mode and every format,
 * before it goes anywhere: parsed (parse5, as a browser parses inline SVG), kept only for the
 * elements on an allow-list, with attributes that are neither event handlers nor references out
 * of the image, and written back as well-formed XML.
 */
import type { DefaultTreeAdapterMap } from 'parse5';
import { lazyPackage } from '../lazy.js';
import { escapeAttr, escapeText } from '../markdown/xhtml.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Loaded on first use (27 ms): most books have no SVG image. */
const parse5 = lazyPackage<typeof import('parse5')>('parse5');

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * Static SVG: shapes, text, paint servers, clipping, masking and filters. Not on the list, and
 * dropped with everything inside: script, foreignObject (HTML, iframes), animation (`<set>` can
 * write a `javascript:` href), metadata, and anything unknown. An `<a>` is unwrapped.
 */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'title',
  'desc',
  'switch',
  'view',
  'style',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'image',
  'text',
  'tspan',
  'textPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'pattern',
  'clipPath',
  'mask',
  'marker',
  'filter',
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feComposite',
  'feConvolveMatrix',
  'feDiffuseLighting',
  'feDisplacementMap',
  'feDistantLight',
  'feDropShadow',
  'feFlood',
  'feFuncA',
  'feFuncB',
  'feFuncG',
  'feFuncR',
  'feGaussianBlur',
  'feImage',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
  'fePointLight',
  'feSpecularLighting',
  'feSpotLight',
  'feTile',
  'feTurbulence',
]);

/** Attributes whose value is a reference: only `#fragment`s (and inline raster images) stay. */
const REFERENCE_ATTRIBUTES = new Set(['href', 'src']);

/** An inline raster image is self-contained; an inline SVG or HTML could carry anything. */
const SAFE_DATA_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/i;

export interface SanitizedSvg {
  /** The clean SVG, as UTF-8 XML; undefined when nothing like an SVG image was found. */
  svg?: string;
  /** What was taken out, one short phrase each, without repeats (empty: the file was clean). */
  removed: string[];
}

/**
 * The SVG in `source` with everything that could run, fetch or read removed. Linear in the size
 * of the input (parse5 is a streaming tokenizer; the tree is walked once).
 */
export function sanitizeSvg(source: string | Uint8Array): SanitizedSvg {
  const text =
    typeof source === 'string' ? source : new TextDecoder('utf-8', { fatal: false }).decode(source);
  const removed = new Set<string>();
  const body = stripPrologue(text, removed);
  const fragment = parse5().parseFragment(body);
  const root = fragment.childNodes.find(
    (n): n is Element => isElement(n) && n.namespaceURI === SVG_NS && n.tagName === 'svg',
  );
  if (!root) return { removed: [...removed] };
  const out: string[] = [];
  writeElement(root, out, removed, true);
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${out.join('')}\n`, removed: [...removed] };
}

/**
 * Drops the XML declaration, comments, processing instructions and the DOCTYPE before the root:
 * a DOCTYPE's internal subset can declare entities (the "billion laughs" and external entities),
 * which nothing here expands, so it goes entirely. A plain scan, linear in the input.
 */
function stripPrologue(text: string, removed: Set<string>): string {
  const start = text.search(/<svg[\s>/]/i);
  if (start <= 0) return text;
  if (/<!DOCTYPE[^>]*\[/i.test(text.slice(0, start))) removed.add('DOCTYPE with entity declarations');
  return text.slice(start);
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function writeElement(element: Element, out: string[], removed: Set<string>, isRoot = false): void {
  const name = element.tagName;
  if (name === 'a' && element.namespaceURI === SVG_NS) {
    // A link out of an image goes; what it showed stays.
    removed.add('a link');
    for (const child of element.childNodes) writeChild(child, out, removed);
    return;
  }
  if (element.namespaceURI !== SVG_NS || !ELEMENTS.has(name)) {
    removed.add(name === 'script' ? 'script' : `<${name}>`);
    return;
  }
  const attrs: string[] = isRoot ? [`xmlns="${SVG_NS}"`, `xmlns:xlink="${XLINK_NS}"`] : [];
  for (const attr of element.attrs) {
    const kept = keepAttribute(name, attr, removed);
    if (kept) attrs.push(`${kept}="${escapeAttr(attr.value)}"`);
  }
  if (name === 'style') {
    const css = element.childNodes
      .map((n) => ('value' in n && n.nodeName === '#text' ? n.value : ''))
      .join('');
    if (!safeCss(css)) {
      removed.add('a stylesheet that loads from outside');
      return;
    }
  }
  // The image element may show only an inline raster image; anything else it would fetch.
  if (name === 'image' || name === 'feImage') {
    const href = element.attrs.find((a) => a.name === 'href')?.value.trim() ?? '';
    if (!(SAFE_DATA_URL.test(href) || (name === 'feImage' && href.startsWith('#')))) {
      removed.add(href ? `a reference to ${shorten(href)}` : `<${name}> without an image`);
      return;
    }
  }
  out.push(`<${name}${attrs.length ? ` ${attrs.join(' ')}` : ''}`);
  const children = element.childNodes;
  if (children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of children) writeChild(child, out, removed);
  out.push(`</${name}>`);
}

function writeChild(child: Node, out: string[], removed: Set<string>): void {
  if (isElement(child)) writeElement(child, out, removed);
  else if (child.nodeName === '#text' && 'value' in child) out.push(escapeText(child.value));
  // comments are left out: nothing in them is for the reader
}

/** The attribute's name as written in the output, or undefined when it must go. */
function keepAttribute(
  element: string,
  attr: Element['attrs'][number],
  removed: Set<string>,
): string | undefined {
  const { name, value } = attr;
  if (attr.namespace === 'http://www.w3.org/2000/xmlns/' || name === 'xmlns') return undefined; // ours are written on the root
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) return undefined; // only names XML allows, no prefixes
  if (/^on/i.test(name)) {
    removed.add(`the ${name} event handler`);
    return undefined;
  }
  let written = name;
  if (attr.namespace === XLINK_NS) {
    if (name !== 'href') return undefined; // xlink:show, xlink:actuate and the like only matter to links
    written = 'xlink:href';
  } else if (attr.namespace === XML_NS) {
    if (name !== 'lang' && name !== 'space') {
      removed.add(`xml:${name}`); // xml:base would move every reference elsewhere
      return undefined;
    }
    written = `xml:${name}`;
  } else if (attr.namespace) {
    return undefined;
  }
  if (REFERENCE_ATTRIBUTES.has(name)) {
    const ref = value.trim();
    const inside =
      ref.startsWith('#') || ((element === 'image' || element === 'feImage') && SAFE_DATA_URL.test(ref));
    if (!inside) {
      removed.add(`a reference to ${shorten(ref)}`);
      return undefined;
    }
  } else if (!safeCss(value)) {
    // presentation attributes (fill="url(...)", style="...") may reference paint servers, but only inside
    removed.add(`a reference to ${shorten(value)}`);
    return undefined;
  }
  return written;
}

/** CSS that can reach nothing outside the image: no @import, every url() a `#fragment`. */
function safeCss(css: string): boolean {
  // Backslash escapes could spell anything (`u\\rl(`); SVG drawings do not need them.
  if (/@import|\\/i.test(css) || /expression\s*\(/i.test(css)) return false;
  const urls = css.match(/url\s*\(\s*(['"]?)[^)'"]*\1\s*\)/gi) ?? [];
  if (urls.some((u) => !/^url\s*\(\s*['"]?#/i.test(u))) return false;
  // A url( the pattern above did not match (escapes, odd quoting) is refused rather than parsed.
  return (css.match(/url\s*\(/gi) ?? []).length === urls.length;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
