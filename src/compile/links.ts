/**
 * The links pass. Links in clipped articles are messy: backticks, spaces, `%60`, two `#`,
 * non-ASCII, a sentence glued to a host name. Every href must be a valid URL (RFC 3986; an EPUB
 * with one fails epubcheck and some readers refuse it) and every internal link must reach a place
 * in the book. Each href is repaired (percent-encoded where needed) or, when it cannot be,
 * dropped: the link's text stays, as text. The article's source URL is checked the same way.
 */

import { basename, dirname, resolve } from 'node:path';
import { getAttr, rewriteXhtml, withAttr } from '../markdown/xhtml-tree.js';
import type { Article } from '../model.js';
import { mapArticles, mapBookSegments } from '../walk.js';
import type { Pass } from './pass.js';

export interface LinkRepair {
  /** The href to write, or undefined to drop the link (keep its text). */
  href?: string;
  /** Why it was dropped or changed, for a diagnostic; undefined when the href was fine as it was. */
  note?: string;
  code?: 'link/dropped' | 'link/retargeted' | 'link/repaired';
}

/** Characters RFC 3986 allows in a URI outside the host, besides `%` of an escape. */
const URI_CHAR = /[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/;
const SCHEMES = new Set([
  'http',
  'https',
  'mailto',
  'ftp',
  'tel',
  'urn',
  'doi',
  'news',
  'irc',
  'gopher',
  'data',
]);

/** Where an internal link may lead: the book's articles and the anchors in each. */
export interface LinkTargets {
  /** The article a relative path (resolved against the linking article's folder) names, if any. */
  articleAt(path: string): { id: string; anchors: ReadonlySet<string> } | undefined;
}

/**
 * Repairs one href of an article: an absolute URL is percent-encoded where RFC 3986 wants it or
 * dropped; a relative one must reach an article of the book (or an anchor in it) and becomes
 * `#<id>` (ids are unique in the book; each format maps them to its own files), else it is dropped.
 */
export function repairHref(
  raw: string,
  here: { id: string; anchors: ReadonlySet<string> },
  targets: LinkTargets,
): LinkRepair {
  const href = raw.trim();
  if (href === '') return { code: 'link/dropped', note: 'empty link' };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(href)?.[1]?.toLowerCase();
  if (scheme) return repairAbsolute(href, scheme);
  if (href.startsWith('//')) return repairAbsolute(`https:${href}`, 'https');
  const hash = href.indexOf('#');
  const path = hash < 0 ? href : href.slice(0, hash);
  const fragment = hash < 0 ? '' : safeDecode(href.slice(hash + 1));
  const target = path === '' ? here : targets.articleAt(safeDecode(path.split('?')[0]!));
  if (!target) return { code: 'link/dropped', note: `link to a file that is not in the book: ${raw}` };
  if (fragment && !target.anchors.has(fragment)) {
    return path === ''
      ? { code: 'link/dropped', note: `link to a missing anchor: ${raw}` }
      : {
          href: `#${target.id}`,
          code: 'link/retargeted',
          note: `anchor not found, linking the article: ${raw}`,
        };
  }
  const resolved = `#${encodeFragment(fragment || target.id)}`;
  // A link to another article is resolved, not repaired: only a fragment that needed encoding is.
  return resolved === href || path !== ''
    ? { href: resolved }
    : { href: resolved, code: 'link/repaired', note: `link repaired: ${raw}` };
}

function repairAbsolute(href: string, scheme: string): LinkRepair {
  if (!SCHEMES.has(scheme))
    return { code: 'link/dropped', note: `link with an unknown scheme dropped: ${href}` };
  if (scheme === 'data') return { code: 'link/dropped', note: 'data: link dropped' };
  if (scheme === 'http' || scheme === 'https' || scheme === 'ftp') {
    const authority = /^[A-Za-z]+:\/\/([^/?#]*)/.exec(href)?.[1];
    const host = authority?.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
    // A host name must look like one: letters (any script), digits, dots and hyphens, a dot inside.
    if (
      !host ||
      !/^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+\.?$|^\[[0-9A-Fa-f:.]+\]$/u.test(
        host,
      )
    ) {
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
    const fixed =
      encodeUri(serialised) + (url.hash ? `#${encodeFragment(safeDecode(url.hash.slice(1)))}` : '');
    return fixed === href ? { href } : { href: fixed, code: 'link/repaired', note: `link repaired: ${href}` };
  }
  // mailto:, tel:, urn:, ...: percent-encode what must be.
  const hash = href.indexOf('#');
  const fixed =
    hash < 0
      ? encodeUri(href)
      : `${encodeUri(href.slice(0, hash))}#${encodeFragment(safeDecode(href.slice(hash + 1)))}`;
  return fixed === href ? { href } : { href: fixed, code: 'link/repaired', note: `link repaired: ${href}` };
}

/** Percent-encodes every character RFC 3986 does not allow (UTF-8), and `%` not followed by two hex digits. */
function encodeUri(s: string): string {
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

export const resolveLinks: Pass = (book, ctx) => {
  const { bookDir } = ctx.config;
  const byPath = new Map<string, { id: string; anchors: ReadonlySet<string> }>();
  for (const article of ctx.articles) {
    const target = { id: article.id, anchors: anchorsOf(article) };
    const file = resolve(bookDir, article.source);
    byPath.set(file, target);
    // A page bundle (`<slug>/index.md`) is also reached by its folder.
    if (basename(file) === 'index.md') byPath.set(dirname(file), target);
  }
  const withSources = mapArticles(book, (article) => {
    const source = article.meta.source;
    if (!source) return article;
    const repair = repairHref(source, { id: article.id, anchors: new Set() }, { articleAt: () => undefined });
    if (repair.code && repair.code !== 'link/repaired') {
      ctx.report({
        code: repair.code,
        severity: 'warning',
        file: article.source,
        line: 1,
        message: `source: ${repair.note}`,
      });
    }
    return { ...article, sourceLink: repair.href ?? undefined };
  });
  return mapBookSegments(withSources, (segment, article, { line }) => {
    if (!segment.html.includes('<a ')) return segment;
    const here = byPath.get(resolve(bookDir, article.source))!;
    const targets: LinkTargets = {
      articleAt: (path) => byPath.get(resolve(article.dir, path).replace(/[\\/]+$/, '')),
    };
    const html = rewriteXhtml(segment.html, (element) => {
      const href = element.name === 'a' ? getAttr(element, 'href') : undefined;
      if (href === undefined) return element;
      const repair = repairHref(href, here, targets);
      if (repair.code === 'link/repaired')
        ctx.report({
          code: repair.code,
          severity: 'info',
          file: article.source,
          line,
          message: repair.note!,
        });
      else if (repair.code)
        ctx.report({
          code: repair.code,
          severity: 'warning',
          file: article.source,
          line,
          message: repair.note!,
        });
      return repair.href === href ? element : withAttr(element, 'href', repair.href);
    });
    return html === segment.html ? segment : { ...segment, html };
  });
};

/** The places in an article a link may name: the article itself (more to come: headings, notes). */
function anchorsOf(article: Article): ReadonlySet<string> {
  return new Set([article.id]);
}
