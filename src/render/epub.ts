import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CoverImage } from '../assets/cover.js';
import type { EpubImage } from '../assets/epub-images.js';
import type { Config } from '../config/index.js';
import { layoutFor } from '../config/index.js';
import type { Article, Book, Chapter, LayoutName } from '../model.js';
import type { EpubDocument, EpubPackage, EpubResource, NavPoint } from '../output/epub.js';
import { articleTitles, renderArticle } from './article.js';
import { contentsOf } from './contents.js';
import { stringsFor } from './strings.js';
import { languagesOf, stylesheetFor } from './styles.js';
import { idsOf, repairLinks } from './epub-links.js';
import type { Templates } from './templates.js';

/** What the EPUB carries besides its documents, prepared (with I/O) before rendering. */
export interface EpubExtras {
  /** The book's images after the e-reader profile; without it, the assets go in as they are. */
  images?: EpubImage[];
  cover?: CoverImage;
}

export const EPUB_CSS_HREF = 'css/book.css';
const CSS_HREF = EPUB_CSS_HREF;

/** The book as an EPUB package: one XHTML document per article, chapter openers, nested navigation. */
export function renderEpub(book: Book, config: Config, templates: Templates, extras: EpubExtras = {}): EpubPackage {
  const strings = stringsFor(book.meta.language);
  const images: EpubImage[] =
    extras.images ?? book.assets.map((a) => ({ sourceHref: a.href, href: a.href, mediaType: a.mediaType, data: readFileSync(a.path) }));
  const renamed = new Map(images.filter((i) => i.href !== i.sourceHref).map((i) => [i.sourceHref, i.href]));
  const page = (title: string, content: string, bodyClass: string) =>
    templates.render('epub-page', { lang: book.meta.language, title, content, bodyClass, stylesheets: [CSS_HREF] });
  const hrefOf = (id: string) => `${id}.xhtml`;
  const layoutOf = (article: Article) => layoutFor(config, 'epub', article.meta).layout;

  const documents: EpubDocument[] = [
    { id: 'title-page', href: 'title-page.xhtml', xhtml: page(book.meta.title, templates.render('title-page', { book: book.meta, xml: true }), 'title-page') },
    { id: 'contents', href: 'contents.xhtml', xhtml: page(strings.contents, templates.render('contents', { chapters: contentsOf(book, hrefOf, layoutOf), xml: true }), 'contents') },
  ];
  for (const chapter of book.chapters) {
    documents.push({ id: chapter.id, href: hrefOf(chapter.id), xhtml: page(chapter.title, templates.render('chapter', { chapter, xml: true }), 'chapter-opener') });
    for (const article of chapter.articles) {
      const { layout, order } = layoutFor(config, 'epub', article.meta);
      const content = renderArticle(article, templates, { layout, order, xml: true, titleTag: 'h1' });
      documents.push({ id: article.id, href: hrefOf(article.id), xhtml: page(articleTitles(article, layout).title, content, `article layout-${layout}`) });
    }
  }

  // Images whose format changed (WebP -> JPEG) change name; links that cannot be valid URLs go.
  const documentHrefs = new Set(documents.map((d) => d.href));
  const idCache = new Map<string, Set<string>>();
  const xhtmlOf = new Map(documents.map((d) => [d.href, d.xhtml]));
  const ids = (href: string) => idCache.get(href) ?? idCache.set(href, idsOf(xhtmlOf.get(href) ?? '')).get(href)!;
  const sourceOf = new Map(book.chapters.flatMap((c) => c.articles.map((a) => [hrefOf(a.id), a.source] as const)));
  for (const doc of documents) {
    if (renamed.size) doc.xhtml = doc.xhtml.replace(/(<img\b[^>]*?\ssrc=")([^"]+)"/g, (m, head: string, src: string) => (renamed.has(src) ? `${head}${renamed.get(src)}"` : m));
    const file = sourceOf.get(doc.href) ?? doc.href;
    doc.xhtml = repairLinks(doc.xhtml, doc.href, documentHrefs, ids, ({ code, note }) => {
      if (code && code !== 'link/repaired') book.diagnostics.push({ code, file, severity: 'warning', message: note! });
    });
  }

  const landmarks: EpubPackage['landmarks'] = [];
  if (extras.cover) {
    const alt = `${strings.cover}: ${book.meta.title}`;
    documents.unshift({ id: 'cover', href: 'cover.xhtml', xhtml: coverPage(book, templates, alt, extras.cover) });
    landmarks.push({ type: 'cover', title: strings.cover, href: 'cover.xhtml' });
  }

  const css = stylesheetFor('epub', config);
  const resources: EpubResource[] = [
    { id: 'css', href: CSS_HREF, mediaType: 'text/css', data: css },
    ...(extras.cover ? [{ id: 'cover-image', href: extras.cover.href, mediaType: extras.cover.mediaType, data: extras.cover.data }] : []),
    ...images.map((image, index) => ({ id: `img-${index + 1}`, href: image.href, mediaType: image.mediaType, data: image.data })),
  ];

  const firstChapter = book.chapters[0];
  return {
    metadata: {
      identifier: book.meta.identifier,
      title: book.meta.title,
      subtitle: book.meta.subtitle,
      languages: languagesOf(book),
      creators: [...book.meta.editors.map((name) => ({ name, role: 'edt' as const })), ...book.meta.authors.map((name) => ({ name, role: 'aut' as const })), ...articleAuthors(book)],
      date: book.meta.date,
      modified: modifiedDate(book),
      description: book.meta.description,
      publisher: book.meta.publisher,
      rights: book.meta.rights,
      subjects: subjectsOf(book),
      accessibility: { summary: accessibilitySummary(book) },
    },
    documents,
    resources,
    toc: book.chapters.map((chapter) => navOf(chapter, hrefOf, layoutOf)),
    coverImage: extras.cover?.href,
    landmarks: [
      ...landmarks,
      { type: 'titlepage', title: strings.titlePage, href: 'title-page.xhtml' },
      { type: 'toc', title: strings.contents, href: 'contents.xhtml' },
      ...(firstChapter ? [{ type: 'bodymatter' as const, title: strings.start, href: hrefOf(firstChapter.id) }] : []),
    ],
    tocTitle: strings.contents,
  };
}

/** The cover page: the cover image scaled to the screen (SVG keeps its proportions on every reader). */
function coverPage(book: Book, templates: Templates, alt: string, cover: CoverImage): string {
  return templates.render('epub-cover', { lang: book.meta.language, title: book.meta.title, alt, href: cover.href, width: cover.width, height: cover.height });
}

function navOf(chapter: Chapter, hrefOf: (id: string) => string, layoutOf: (article: Article) => LayoutName): NavPoint {
  return {
    title: chapter.title,
    href: hrefOf(chapter.id),
    children: chapter.articles.map((article) => ({ title: articleTitles(article, layoutOf(article)).title, href: hrefOf(article.id) })),
  };
}

/** Authors of the articles, once each, in book order; the book's own creators are not repeated. */
function articleAuthors(book: Book): { name: string; role: 'aut' }[] {
  const known = new Set([...book.meta.editors, ...book.meta.authors]);
  const names: string[] = [];
  for (const chapter of book.chapters) {
    for (const article of chapter.articles) {
      const author = article.meta.author;
      if (author && !known.has(author)) {
        known.add(author);
        names.push(author);
      }
    }
  }
  return names.map((name) => ({ name, role: 'aut' }));
}

function subjectsOf(book: Book): string[] {
  const tags = new Set<string>();
  for (const chapter of book.chapters) for (const article of chapter.articles) article.meta.tags.forEach((t) => tags.add(t));
  return [...tags].sort();
}

function accessibilitySummary(book: Book): string {
  const hasImages = book.assets.length > 0;
  return (
    'Each article shows its original text and its translation paragraph by paragraph, each marked with its language. ' +
    'Navigation by chapters and articles.' +
    (hasImages ? ' Images keep the alternative text of their source articles, where it had one.' : '')
  );
}

/**
 * dcterms:modified must not change between builds of the same input: SOURCE_DATE_EPOCH when set,
 * else the newest article date, else the book's date.
 */
export function modifiedDate(book: Book, env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return toUtcSeconds(new Date(Number(epoch) * 1000));
  const times = book.chapters.flatMap((c) => c.articles.map((a) => (a.meta.date ? Date.parse(a.meta.date) : NaN))).filter((t) => !Number.isNaN(t));
  if (book.meta.date && !Number.isNaN(Date.parse(book.meta.date))) times.push(Date.parse(book.meta.date));
  return toUtcSeconds(new Date(times.length ? Math.max(...times) : Date.UTC(2000, 0, 1)));
}

function toUtcSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A stable identifier from the book's title and editors, in the form of a name-based UUID. */
export function derivedIdentifier(title: string, editors: string[]): string {
  const hex = createHash('sha1').update(JSON.stringify(['anthology', title, editors])).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
