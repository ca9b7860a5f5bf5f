/** The fixed names inside the archive, and the ids, hrefs, dates and language tags of an OPF. */
export const OPF_DIR = 'EPUB';
export const NAV_HREF = 'nav.xhtml';
export const NCX_HREF = 'toc.ncx';
export const NAV_ID = 'nav';
export const NCX_ID = 'ncx';

// XML 1.0 (5th edition) Name characters, without ':' (NCName).
const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');
const NOT_NAME_CHAR = new RegExp(`[^${NAME_CHAR}]`, 'gu');

export function isNCName(s: string): boolean {
  return NCNAME.test(s);
}

/** An NCName made from `s`: invalid characters become `_`, and `id-` goes before a bad first character. */
export function safeId(s: string): string {
  const cleaned = s.replace(NOT_NAME_CHAR, '_');
  return isNCName(cleaned) ? cleaned : `id-${cleaned}`;
}

/** Hands out manifest ids: the given one when it is an NCName, else a safe one made unique. */
export class IdAllocator {
  private readonly given = new Set<string>();
  private readonly used = new Set<string>([NAV_ID, NCX_ID, 'pub-id']);

  take(id: string, href: string): string {
    if (id && this.given.has(id))
      throw new Error(`EPUB: two items share the id '${id}' (the second is '${href}')`);
    this.given.add(id);
    if (isNCName(id)) {
      if (this.used.has(id))
        throw new Error(`EPUB: the id '${id}' of '${href}' is taken (reserved or derived from another id)`);
      this.used.add(id);
      return id;
    }
    const base = safeId(id || href);
    let candidate = base;
    for (let i = 2; this.used.has(candidate); i++) candidate = `${base}-${i}`;
    this.used.add(candidate);
    return candidate;
  }
}

export function checkHref(href: string, kind: string): void {
  const bad =
    !href ||
    href.startsWith('/') ||
    href.includes('\\') ||
    href.includes('#') ||
    href.includes('?') ||
    /^[a-z][a-z0-9+.-]*:/i.test(href) ||
    href.split('/').some((s) => s === '' || s === '.' || s === '..') ||
    href.startsWith('META-INF/') ||
    href === 'mimetype';
  if (bad) throw new Error(`EPUB: the ${kind} href '${href}' is not a plain relative path inside the book`);
}

/** Zip entry names must be unique after Unicode normalization and case folding. */
export function foldHref(href: string): string {
  return href.normalize('NFC').toLowerCase();
}

/** A plain path (plus optional fragment) as a URL: each segment percent-encoded where needed. */
export function encodeHref(href: string): string {
  const hash = href.indexOf('#');
  const path = hash < 0 ? href : href.slice(0, hash);
  const fragment = hash < 0 ? '' : href.slice(hash);
  const encoded = path
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%40/g, '@').replace(/%2B/g, '+').replace(/%2C/g, ','))
    .join('/');
  return encoded + fragment;
}

export function languageTag(tag: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    if (canonical) return canonical;
  } catch {
    // fall through
  }
  throw new Error(`EPUB: '${tag}' is not a BCP 47 language tag`);
}

const W3CDTF = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** A dc:date in W3CDTF; a date-time without a zone keeps only its date (never guess a zone). */
export function w3cDate(date: string): string {
  const d = date.trim();
  if (W3CDTF.test(d)) return d;
  const day = /^\d{4}-\d{2}-\d{2}/.exec(d);
  if (day) return day[0];
  throw new Error(`EPUB: metadata.date '${date}' is not an ISO 8601 date`);
}

/** dcterms:modified exactly as `YYYY-MM-DDThh:mm:ssZ`; a date-time with an offset is converted to UTC. */
export function modifiedDate(modified: string): string {
  const d = modified.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(d)) return d;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(d)) {
    const t = new Date(d);
    if (!Number.isNaN(t.getTime())) return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  throw new Error(`EPUB: metadata.modified '${modified}' must be a date-time like 2024-01-31T12:00:00Z`);
}
