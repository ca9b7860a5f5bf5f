/**
 * Links in clipped articles are messy: backticks, spaces, `%60`, two `#`, non-ASCII, a sentence
 * glued to a host name. In an EPUB every href must be a valid URL (RFC 3986) and every internal
 * link must reach a document and an id of the book, or epubcheck fails and some readers refuse the
 * book. Each href is repaired (percent-encoded where needed) or, when it cannot be, dropped: the
 * link's text stays, as text.
 */
import { decodeXml, escapeAttr } from '../markdown/xhtml.js';

export interface LinkRepair {
  /** The href to write, or undefined to drop the link (keep its text). */
  href?: string;
  /** Why it was dropped or changed, for a diagnostic; undefined when the href was fine as it was. */
  note?: string;
  code?: 'link/dropped' | 'link/retargeted' | 'link/repaired';
}

/** Characters RFC 3986 allows in a URI outside the host, besides `%` of an escape. */
const URI_CHAR = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/;
const SCHEMES = new Set(['http', 'https', 'mailto', 'ftp', 'tel', 'urn', 'doi', 'news', 'irc', 'gopher', 'data']);

/**
 * Repairs one href found in a content document. `documents` is the set of document hrefs of the
 * book; `ids` gives the ids of a document (for `#fragment` links).
 */
export function repairHref(raw: string, here: string, documents: Set<string>, ids: (doc: string) => Set<string>): LinkRepair {
  const href = raw.trim();
  if (href === '') return { code: 'link/dropped', note: 'empty link' };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(href)?.[1]?.toLowerCase();
  if (scheme) return repairAbsolute(href, scheme);
  if (href.startsWith('//')) return repairAbsolute(`https:${href}`, 'https');
  // A link inside the book: a document of ours, optionally with a fragment that exists there.
  const hash = href.indexOf('#');
  const path = hash < 0 ? href : href.slice(0, hash);
  const fragment = hash < 0 ? '' : safeDecode(href.slice(hash + 1));
  const doc = path === '' ? here : safeDecode(path);
  if (!documents.has(doc)) return { code: 'link/dropped', note: `link to a file that is not in the book: ${raw}` };
  if (fragment && !ids(doc).has(fragment)) {
    return path === '' ? { code: 'link/dropped', note: `link to a missing anchor: ${raw}` } : { href: encodeUri(doc), code: 'link/retargeted', note: `anchor not found, linking the article: ${raw}` };
  }
  const repaired = encodeUri(doc === here && path === '' ? '' : doc) + (fragment ? `#${encodeFragment(fragment)}` : '');
  return repaired === href ? { href } : { href: repaired, code: 'link/repaired', note: `link repaired: ${raw}` };
}

function repairAbsolute(href: string, scheme: string): LinkRepair {
  if (!SCHEMES.has(scheme)) return { code: 'link/dropped', note: `link with an unknown scheme dropped: ${href}` };
  if (scheme === 'data') return { code: 'link/dropped', note: 'data: link dropped' };
  if (scheme === 'http' || scheme === 'https' || scheme === 'ftp') {
    const authority = /^[A-Za-z]+:\/\/([^/?#]*)/.exec(href)?.[1];
    const host = authority?.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
    // A host name must look like one: letters (any script), digits, dots and hyphens, a dot inside.
    if (!host || !/^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+\.?$|^\[[0-9A-Fa-f:.]+\]$/u.test(host)) {
      return { code: 'link/dropped', note: `link with a broken host name dropped: ${href}` };
    }
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return { code: 'link/dropped', note: `link that is not a URL dropped: ${href}` };
    }
    // WHATWG serialisation encodes spaces and non-ASCII; then whatever RFC 3986 still refuses.
    const serialised = url.href.slice(0, url.href.length - url.hash.length);
    const fixed = encodeUri(serialised) + (url.hash ? `#${encodeFragment(safeDecode(url.hash.slice(1)))}` : '');
    return fixed === href ? { href } : { href: fixed, code: 'link/repaired', note: `link repaired: ${href}` };
  }
  // mailto:, tel:, urn:, ...: percent-encode what must be.
  const hash = href.indexOf('#');
  const fixed = hash < 0 ? encodeUri(href) : encodeUri(href.slice(0, hash)) + `#${encodeFragment(safeDecode(href.slice(hash + 1)))}`;
  return fixed === href ? { href } : { href: fixed, code: 'link/repaired', note: `link repaired: ${href}` };
}

/** Percent-encodes every character RFC 3986 does not allow (UTF-8), and `%` not followed by two hex digits. */
export function encodeUri(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '%') {
      out += /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3)) ? '%' : '%25';
    } else if (URI_CHAR.test(ch)) {
      out += ch;
    } else {
      const cp = s.codePointAt(i)!;
      const char = String.fromCodePoint(cp);
      out += encodeURIComponent(char.replace(/[\uD800-\uDFFF]/, '\uFFFD'));
      if (cp > 0xffff) i++;
    }
  }
  return out;
}

/** A fragment: like encodeUri, and a `#` inside it is encoded too. */
function encodeFragment(s: string): string {
  return encodeUri(s).replace(/#/g, '%23').replace(/\[/g, '%5B').replace(/\]/g, '%5D');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const A_TAG = /<a\b([^>]*)>/g;
const ID_ATTR = /\sid="([^"]*)"/g;

export function idsOf(xhtml: string): Set<string> {
  return new Set([...xhtml.matchAll(ID_ATTR)].map((m) => decodeXml(m[1]!)));
}

/**
 * Rewrites every `<a href>` of a rendered document: repaired, or the href removed (an `<a>`
 * without href is plain text to a reader). Calls `warn` for each change.
 */
export function repairLinks(xhtml: string, here: string, documents: Set<string>, ids: (doc: string) => Set<string>, warn: (repair: LinkRepair) => void): string {
  return xhtml.replace(A_TAG, (tag, attrs: string) => {
    const m = /\shref="([^"]*)"/.exec(attrs);
    if (!m) return tag;
    const repair = repairHref(decodeXml(m[1]!), here, documents, ids);
    if (repair.note) warn(repair);
    const replacement = repair.href === undefined ? '' : ` href="${escapeAttr(repair.href)}"`;
    return `<a${attrs.replace(m[0], replacement)}>`;
  });
}


