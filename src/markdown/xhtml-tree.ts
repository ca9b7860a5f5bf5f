/**
 * The tree of a sanitised XHTML fragment (a Segment's html), as passes and formats read and
 * rewrite it; written back with the one escaper of xhtml.ts.
 */
import { decodeXml, escapeAttr, escapeText, VOID } from './xhtml.js';

/** A node of a sanitised XHTML fragment, as passes and formats read and rewrite it. */
export type XNode = XText | XElement;
interface XText {
  type: 'text';
  value: string;
}
export interface XElement {
  type: 'element';
  name: string;
  /** In document order; values decoded. */
  attrs: [string, string][];
  children: XNode[];
}

/**
 * HTML's phrasing elements that hold text (the void ones, `br`, `img`, `wbr`, aside): text flows
 * through them within one paragraph. `code`, `kbd`, `samp` and `var` among them hold code.
 */
export const PHRASING = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'i',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
]);

const OWN_TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z][A-Za-z0-9:-]*="[^"]*")*)\s*(\/?)>/y;
const OWN_ATTR = /\s+([A-Za-z][A-Za-z0-9:-]*)="([^"]*)"/g;

/**
 * The tree of a fragment that `toXhtml` wrote (every Segment's html is one). Not an HTML parser:
 * it reads exactly what our serialiser writes (well-formed XML, double-quoted attributes, the XML
 * entities), in one pass, so `writeXhtml(readXhtml(s)) === s`. Anything else is a bug upstream.
 */
export function readXhtml(fragment: string): XNode[] {
  const root: XElement = { type: 'element', name: '#fragment', attrs: [], children: [] };
  const open: XElement[] = [root];
  let at = 0;
  while (at < fragment.length) {
    const lt = fragment.indexOf('<', at);
    const end = lt === -1 ? fragment.length : lt;
    if (end > at)
      open[open.length - 1]!.children.push({ type: 'text', value: decodeXml(fragment.slice(at, end)) });
    if (lt === -1) break;
    OWN_TAG.lastIndex = lt;
    const m = OWN_TAG.exec(fragment);
    if (!m) throw new Error(`not anthology's XHTML at ${lt}: ${fragment.slice(lt, lt + 40)}`);
    const [tag, closing, name, attrSource, selfClosing] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    at = lt + tag.length;
    if (closing) {
      if (open.length === 1 || open[open.length - 1]!.name !== name)
        throw new Error(`unbalanced </${name}> in anthology's XHTML`);
      open.pop();
      continue;
    }
    const attrs: [string, string][] = [...attrSource.matchAll(OWN_ATTR)].map((a) => [
      a[1]!,
      decodeXml(a[2]!),
    ]);
    const element: XElement = { type: 'element', name, attrs, children: [] };
    open[open.length - 1]!.children.push(element);
    if (!selfClosing) open.push(element);
  }
  if (open.length !== 1) throw new Error(`unclosed <${open[open.length - 1]!.name}> in anthology's XHTML`);
  return root.children;
}

/** Serialises a tree as `toXhtml` does: void elements self-closed, the same escapes. */
export function writeXhtml(nodes: readonly XNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') {
      out += escapeText(node.value);
      continue;
    }
    const attrs = node.attrs.map(([name, value]) => ` ${name}="${escapeAttr(value)}"`).join('');
    out += VOID.has(node.name)
      ? `<${node.name}${attrs}/>`
      : `<${node.name}${attrs}>${writeXhtml(node.children)}</${node.name}>`;
  }
  return out;
}

/** An element's attribute, or undefined. */
export function getAttr(element: XElement, name: string): string | undefined {
  return element.attrs.find(([n]) => n === name)?.[1];
}

/** The element with one attribute set (replaced in place, or added at the end), or removed when `value` is undefined. */
export function withAttr(element: XElement, name: string, value: string | undefined): XElement {
  const has = element.attrs.some(([n]) => n === name);
  const attrs: [string, string][] =
    value === undefined
      ? element.attrs.filter(([n]) => n !== name)
      : has
        ? element.attrs.map(([n, v]) => [n, n === name ? value : v])
        : [...element.attrs, [name, value]];
  return { ...element, attrs };
}

/**
 * Rewrites a fragment: `visit` sees every element, depth first, and returns its replacement
 * (nodes; the element itself when unchanged). Children are visited before their parent.
 * Returns the fragment unchanged (the same string) when nothing was replaced.
 */
export function rewriteXhtml(fragment: string, visit: (element: XElement) => XNode | XNode[]): string {
  let changed = false;
  const walk = (nodes: XNode[]): XNode[] =>
    nodes.flatMap((node) => {
      if (node.type === 'text') return [node];
      const children = walk(node.children);
      const self =
        children.every((c, i) => c === node.children[i]) && children.length === node.children.length
          ? node
          : { ...node, children };
      const result = visit(self);
      if (result !== node) changed = true;
      return Array.isArray(result) ? result : [result];
    });
  const nodes = walk(readXhtml(fragment));
  return changed ? writeXhtml(nodes) : fragment;
}
