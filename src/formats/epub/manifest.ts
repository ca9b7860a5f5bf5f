/**
 * The package the EPUB packer takes (documents, resources, metadata, table of contents), and the
 * same package checked: every href a plain path inside the book and unique, every id an NCName
 * and unique, the manifest properties each item needs, dates and languages in the forms the OPF
 * requires. A package that cannot make a valid EPUB throws here, before any file is opened.
 */
import {
  checkHref,
  foldHref,
  IdAllocator,
  languageTag,
  modifiedDate,
  NAV_HREF,
  NCX_HREF,
  w3cDate,
} from './ids.js';
import { DEFLATE, STORED_TYPES } from './zip.js';

export interface EpubResource {
  id: string;
  /** Relative to the OPF folder, a plain path (not percent-encoded), e.g. `images/ab12-fig.png`. */
  href: string;
  mediaType: string;
  data: Uint8Array | string;
  properties?: string;
}

export interface EpubDocument {
  id: string;
  /** Relative to the OPF folder, e.g. `text/ch01-a01.xhtml`. */
  href: string;
  /** A complete XHTML5 document (XML declaration optional, UTF-8). */
  xhtml: string;
  /** `false` puts `linear="no"` on the spine item. */
  linear?: boolean;
  /** Extra manifest properties; `svg`, `mathml`, `remote-resources` and `scripted` are also detected. */
  properties?: string;
}

export interface NavPoint {
  title: string;
  /** A document href, optionally with a `#fragment`. */
  href: string;
  children?: NavPoint[];
}

export interface Landmark {
  type: 'cover' | 'toc' | 'bodymatter' | 'titlepage' | 'frontmatter';
  title: string;
  href: string;
}

export interface Creator {
  name: string;
  role: 'aut' | 'edt' | 'trl';
}

interface EpubMetadata {
  identifier: string;
  title: string;
  subtitle?: string;
  /** BCP 47, main language first. */
  languages: string[];
  /** The book's makers: editors (edt), then the book's own authors (aut). Readers' libraries list them as the authors. */
  creators: Creator[];
  /** Who else wrote the book's text: the articles' authors (aut), as contributors. */
  contributors?: Creator[];
  /** Publication date, W3CDTF / ISO 8601 (`2023`, `2023-01-26`, `2023-01-26T10:00:00+08:00`). */
  date?: string;
  /** dcterms:modified, `YYYY-MM-DDThh:mm:ssZ`. */
  modified: string;
  description?: string;
  publisher?: string;
  rights?: string;
  subjects: string[];
  accessibility?: { summary: string };
}

export interface EpubPackage {
  metadata: EpubMetadata;
  /** Spine order. */
  documents: EpubDocument[];
  resources: EpubResource[];
  /** Nested: chapters, then their articles. */
  toc: NavPoint[];
  landmarks: Landmark[];
  /** Href of a resource that is the cover image. */
  coverImage?: string;
  /** Heading of the navigation document, e.g. `目录` or `Contents`. */
  tocTitle: string;
  pageProgressionDirection?: 'ltr' | 'rtl';
  /** Where each page of a print edition begins (page-break markers in the documents): a page list. */
  pageList?: PageList;
}

export interface PageList {
  /** The print edition the pages are of, as dc:source names it. */
  source: string;
  /** Heading of the list, e.g. `页码` or `Pages`. */
  title: string;
  /** In reading order: a page's label (its folio) and the href of its page-break marker. */
  pages: Array<{ label: string; href: string }>;
}

interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties: string[];
  data: Uint8Array;
  /** Zip compression level: 0 stores. */
  level: 0 | typeof DEFLATE;
}

export interface Checked {
  pkg: EpubPackage;
  languages: string[];
  date?: string;
  modified: string;
  documents: (ManifestItem & { linear: boolean })[];
  resources: ManifestItem[];
  coverId?: string;
  hasImages: boolean;
}

const encoder = new TextEncoder();
export const utf8 = (s: string): Uint8Array => encoder.encode(s);

export function check(pkg: EpubPackage): Checked {
  const m = pkg.metadata;
  if (!m.identifier.trim()) throw new Error('EPUB: metadata.identifier is empty');
  if (!m.title.trim()) throw new Error('EPUB: metadata.title is empty');
  if (pkg.documents.length === 0) throw new Error('EPUB: the package has no documents');
  if (pkg.toc.length === 0) throw new Error('EPUB: the table of contents is empty');

  const ids = new IdAllocator();
  const hrefs = new Map<string, string>(); // folded href -> href as given
  for (const reserved of [NAV_HREF, NCX_HREF, 'content.opf']) hrefs.set(foldHref(reserved), reserved);

  const item = (
    kind: string,
    id: string,
    href: string,
    mediaType: string,
    data: Uint8Array | string,
    props: string | undefined,
  ) => {
    checkHref(href, kind);
    const folded = foldHref(href);
    const clash = hrefs.get(folded);
    if (clash !== undefined) {
      throw new Error(
        `EPUB: two items share the href '${href}'${clash !== href ? ` (same as '${clash}' up to case)` : ''}`,
      );
    }
    hrefs.set(folded, href);
    const bytes = typeof data === 'string' ? utf8(data) : data;
    return {
      id: ids.take(id, href),
      href,
      mediaType,
      properties: words(props),
      data: bytes,
      level: STORED_TYPES.test(mediaType) ? (0 as const) : DEFLATE,
    };
  };

  const documents = pkg.documents.map((d) => {
    const it = item('document', d.id, d.href, 'application/xhtml+xml', d.xhtml, d.properties);
    it.properties = union(it.properties, documentProperties(d.xhtml));
    return { ...it, linear: d.linear !== false };
  });
  const resources = pkg.resources.map((r) => {
    const it = item('resource', r.id, r.href, r.mediaType, r.data, r.properties);
    if (
      r.mediaType === 'text/css' &&
      REMOTE_CSS.test(typeof r.data === 'string' ? r.data : new TextDecoder().decode(r.data))
    ) {
      it.properties = union(it.properties, ['remote-resources']);
    }
    return it;
  });

  let coverId: string | undefined;
  if (pkg.coverImage !== undefined) {
    const cover = resources.find((r) => r.href === pkg.coverImage);
    if (!cover) throw new Error(`EPUB: coverImage '${pkg.coverImage}' is not among the resources`);
    if (!cover.mediaType.startsWith('image/'))
      throw new Error(`EPUB: coverImage '${pkg.coverImage}' is not an image (${cover.mediaType})`);
    cover.properties = union(cover.properties, ['cover-image']);
    coverId = cover.id;
  }

  // Every navigation target must be a spine document (a nav or NCX link elsewhere is invalid).
  const docHrefs = new Set(documents.map((d) => d.href));
  const checkTarget = (href: string, where: string) => {
    const path = href.split('#')[0] ?? '';
    if (!docHrefs.has(path))
      throw new Error(`EPUB: ${where} '${href}' does not point to one of the documents`);
  };
  walk(pkg.toc, (p) => {
    if (!p.title.trim()) throw new Error(`EPUB: a table-of-contents entry for '${p.href}' has no title`);
    checkTarget(p.href, 'table-of-contents entry');
  });
  const seen = new Set<string>();
  for (const l of pkg.landmarks) {
    checkTarget(l.href, `landmark '${l.type}'`);
    if (seen.has(`${l.type} ${l.href}`))
      throw new Error(`EPUB: the landmark '${l.type}' -> '${l.href}' is listed twice`);
    seen.add(`${l.type} ${l.href}`);
  }

  const languages = [...new Set(m.languages.map(languageTag))];
  if (languages.length === 0) throw new Error('EPUB: metadata.languages is empty');

  return {
    pkg,
    languages,
    date: m.date === undefined ? undefined : w3cDate(m.date),
    modified: modifiedDate(m.modified),
    documents,
    resources,
    coverId,
    hasImages: resources.some((r) => r.mediaType.startsWith('image/')),
  };
}

const REMOTE_CSS = /url\(\s*["']?https?:/i;
const REMOTE_REF =
  /<(?:img|image|audio|video|source|track|link|iframe|embed|object|script)\b[^>]*\s(?:src|href|xlink:href|data|poster)\s*=\s*["']\s*https?:/i;

/** Manifest properties a content document needs, found by looking at its markup. */
export function documentProperties(xhtml: string): string[] {
  const markup = xhtml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const props: string[] = [];
  if (/<(?:svg:)?svg[\s>/]/.test(markup)) props.push('svg');
  if (/<(?:m:|mml:)?math[\s>/]/.test(markup)) props.push('mathml');
  if (/<script[\s>/]/i.test(markup) || /<form[\s>/]/i.test(markup)) props.push('scripted');
  if (REMOTE_REF.test(markup) || /<style[\s\S]*?url\(\s*["']?https?:[\s\S]*?<\/style>/i.test(markup))
    props.push('remote-resources');
  return props;
}

function words(s: string | undefined): string[] {
  return (s ?? '').split(/\s+/).filter(Boolean);
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

export function walk(points: NavPoint[], visit: (p: NavPoint) => void): void {
  for (const p of points) {
    visit(p);
    walk(p.children ?? [], visit);
  }
}
