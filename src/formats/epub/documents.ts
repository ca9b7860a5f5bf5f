/**
 * The book as an EPUB package (pure): one XHTML document per article and per chapter opener, the
 * title page, the contents, nested navigation, landmarks and metadata. Images and the cover come
 * prepared (images.ts, cover.ts); the packer (package.ts) writes the OPF, nav, NCX and the zip.
 */
import { AnthologyError } from '../../errors.js';
import { escapeAttr } from '../../markdown/xhtml.js';
import type { Book, Chapter } from '../../model.js';
import { articleTitles, renderArticle } from '../../theme/article.js';
import { contentsOf } from '../../theme/contents.js';
import type { Theme } from '../../theme/index.js';
import { articlesOf, subjectsOf } from '../../walk.js';
import type { PrintedPage } from '../format.js';
import type { CoverImage } from './cover.js';
import type { EpubImage } from './images.js';
import type { Creator, EpubDocument, EpubPackage, EpubResource, NavPoint, PageList } from './manifest.js';

/** What the EPUB carries besides its documents, prepared (with I/O) before rendering. */
export interface EpubExtras {
  /** The book's images after the e-reader profile, with the hrefs the book's documents use. */
  images: EpubImage[];
  cover?: CoverImage;
  /** Where the pages of the PDF of the same build begin: marked, and listed in a page list. */
  printedPages?: PrintedPage[];
}

export const EPUB_CSS_HREF = 'css/book.css';
const CSS_HREF = EPUB_CSS_HREF;

/** The XHTML document of a chapter or an article (by its id). */
export const documentHref = (id: string): string => `${id}.xhtml`;

export function renderEpub(book: Book, theme: Theme, extras: EpubExtras): EpubPackage {
  const { strings, templates } = theme;
  const page = (title: string, content: string, bodyClass: string) =>
    templates.render('epub-page', {
      lang: book.meta.language,
      title,
      content,
      bodyClass,
      stylesheets: [CSS_HREF],
    });

  const documents: EpubDocument[] = [
    {
      id: 'title-page',
      href: 'title-page.xhtml',
      xhtml: page(
        book.meta.title,
        templates.render('title-page', { book: book.meta, xml: true }),
        'title-page',
      ),
    },
    {
      id: 'contents',
      href: 'contents.xhtml',
      xhtml: page(
        strings.contents,
        templates.render('contents', { chapters: contentsOf(book, documentHref, 'epub'), xml: true }),
        'contents',
      ),
    },
  ];
  const breaks = pageBreaks(extras.printedPages ?? []);
  for (const chapter of book.chapters) {
    const opener = breaks.at(chapter.id) + templates.render('chapter', { chapter, xml: true });
    documents.push({
      id: chapter.id,
      href: documentHref(chapter.id),
      xhtml: page(chapter.title, opener, 'chapter-opener'),
    });
    for (const article of chapter.articles) {
      const { layout, order } = article.layouts.epub;
      const marks = { before: (block: number) => breaks.at(article.id, block) };
      const content =
        breaks.at(article.id) +
        renderArticle(article, templates, { layout, order, xml: true, titleTag: 'h1', marks });
      documents.push({
        id: article.id,
        href: documentHref(article.id),
        xhtml: page(articleTitles(article, layout).title, content, `article layout-${layout}`),
      });
    }
  }

  const landmarks: EpubPackage['landmarks'] = [];
  if (extras.cover) {
    const alt = `${strings.cover}: ${book.meta.title}`;
    documents.unshift({ id: 'cover', href: 'cover.xhtml', xhtml: coverPage(book, theme, alt, extras.cover) });
    landmarks.push({ type: 'cover', title: strings.cover, href: 'cover.xhtml' });
  }

  const resources: EpubResource[] = [
    { id: 'css', href: CSS_HREF, mediaType: 'text/css', data: theme.stylesheet('epub') },
    ...(extras.cover
      ? [
          {
            id: 'cover-image',
            href: extras.cover.href,
            mediaType: extras.cover.mediaType,
            data: extras.cover.data,
          },
        ]
      : []),
    ...extras.images.map((image, index) => ({
      id: `img-${index + 1}`,
      href: image.href,
      mediaType: image.mediaType,
      data: image.data,
    })),
  ];

  const firstChapter = book.chapters[0];
  return {
    metadata: {
      identifier: book.meta.identifier,
      title: book.meta.title,
      subtitle: book.meta.subtitle,
      languages: languagesOf(book),
      ...makers(book),
      date: book.meta.date,
      modified: modifiedDate(book),
      description: book.meta.description,
      publisher: book.meta.publisher,
      rights: book.meta.rights,
      subjects: subjectsOf(book),
      accessibility: { summary: accessibilitySummary(book, Boolean(extras.printedPages?.length)) },
    },
    documents,
    resources,
    toc: book.chapters.map(navOf),
    coverImage: extras.cover?.href,
    landmarks: [
      ...landmarks,
      { type: 'titlepage', title: strings.titlePage, href: 'title-page.xhtml' },
      { type: 'toc', title: strings.contents, href: 'contents.xhtml' },
      ...(firstChapter
        ? [{ type: 'bodymatter' as const, title: strings.start, href: documentHref(firstChapter.id) }]
        : []),
    ],
    tocTitle: strings.contents,
    pageList: pageListOf(extras.printedPages, strings, book),
  };
}

/**
 * The page-break markers at each place: the start of a chapter opener or an article document
 * (by its id), or just before a block of an article (`<id>#<block>`).
 */
function pageBreaks(pages: PrintedPage[]): { at(documentId: string, block?: number): string } {
  const byPlace = new Map<string, string>();
  const key = (id: string, block?: number) => (block === undefined ? id : `${id}#${block}`);
  for (const { label, at } of pages) {
    const place = 'chapter' in at ? key(at.chapter) : key(at.article, at.block);
    const marker = `<span epub:type="pagebreak" role="doc-pagebreak" id="${pageId(label)}" aria-label="${escapeAttr(label)}"></span>`;
    byPlace.set(place, (byPlace.get(place) ?? '') + marker);
  }
  return { at: (id, block) => byPlace.get(key(id, block)) ?? '' };
}

const pageId = (label: string): string => `page-${label.replace(/[^A-Za-z0-9]/g, '_')}`;

function pageListOf(
  pages: PrintedPage[] | undefined,
  strings: Theme['strings'],
  book: Book,
): PageList | undefined {
  if (!pages?.length) return undefined;
  return {
    title: strings.pages,
    source: `${book.meta.title}, ${strings.printEdition}`,
    pages: pages.map(({ label, at }) => ({
      label,
      href: `${documentHref('chapter' in at ? at.chapter : at.article)}#${pageId(label)}`,
    })),
  };
}

/** The cover page: the cover image scaled to the screen (SVG keeps its proportions on every reader). */
function coverPage(book: Book, theme: Theme, alt: string, cover: CoverImage): string {
  return theme.templates.render('epub-cover', {
    lang: book.meta.language,
    title: book.meta.title,
    alt,
    href: cover.href,
    width: cover.width,
    height: cover.height,
  });
}

function navOf(chapter: Chapter): NavPoint {
  return {
    title: chapter.title,
    href: documentHref(chapter.id),
    children: chapter.articles.map((article) => ({
      title: articleTitles(article, article.layouts.epub.layout).title,
      href: documentHref(article.id),
    })),
  };
}

/**
 * The book's creators are its editors and its own authors (book.toml), whom readers' libraries
 * show as the book's authors; the articles' authors are contributors, each name once. A book
 * with neither editors nor authors whose articles all have the same single author is that author's.
 */
function makers(book: Book): { creators: Creator[]; contributors: Creator[] } {
  const creators: Creator[] = [
    ...book.meta.editors.map((name) => ({ name, role: 'edt' as const })),
    ...book.meta.authors.map((name) => ({ name, role: 'aut' as const })),
  ];
  const writers = [...new Set(articlesOf(book).flatMap((article) => article.meta.authors))];
  if (
    creators.length === 0 &&
    writers.length === 1 &&
    articlesOf(book).every((a) => a.meta.authors.length === 1)
  )
    return { creators: [{ name: writers[0]!, role: 'aut' }], contributors: [] };
  const known = new Set(creators.map((c) => c.name));
  return {
    creators,
    contributors: writers.filter((name) => !known.has(name)).map((name) => ({ name, role: 'aut' as const })),
  };
}

/** Every language the book's text is in, the main one first. */
function languagesOf(book: Book): string[] {
  const langs = new Set<string>([book.meta.language]);
  for (const article of articlesOf(book)) {
    for (const lang of [article.translationLang, article.originalLang])
      if (lang && lang !== 'und') langs.add(lang);
  }
  return [...langs];
}

function accessibilitySummary(book: Book, hasPageList: boolean): string {
  const hasImages = book.assets.length > 0;
  return (
    'Each article shows its original text and its translation paragraph by paragraph, each marked with its language. ' +
    'Navigation by chapters and articles.' +
    (hasImages
      ? ' Images keep the alternative text of their source articles; an image whose article gave none is marked decorative, or, when it is the whole of a link, named after its file.'
      : '') +
    ' Headings are in order, without skipped levels.' +
    (hasPageList
      ? ' The page numbers of the print edition are marked where each page begins and listed for navigation.'
      : '') +
    ' Meets EPUB Accessibility 1.1 at WCAG 2.1 level AA as checked by DAISY Ace.'
  );
}

/**
 * dcterms:modified must not change between builds of the same input: SOURCE_DATE_EPOCH when set,
 * else the newest article date, else the book's date.
 */
function modifiedDate(book: Book, env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) {
    // Seconds since 1970; past the year 9999 it is no date an EPUB can hold (nor JavaScript, past 275760).
    const date = new Date(Number(epoch) * 1000);
    if (!(date.getUTCFullYear() <= 9999))
      throw new AnthologyError(
        `SOURCE_DATE_EPOCH=${epoch} is not a date before the year 10000 (it counts seconds since 1970)`,
      );
    return toUtcSeconds(date);
  }
  const times = book.chapters
    .flatMap((c) => c.articles.map((a) => (a.meta.date ? Date.parse(a.meta.date) : NaN)))
    .filter((t) => !Number.isNaN(t));
  if (book.meta.date && !Number.isNaN(Date.parse(book.meta.date))) times.push(Date.parse(book.meta.date));
  return toUtcSeconds(new Date(times.length ? Math.max(...times) : Date.UTC(2000, 0, 1)));
}

function toUtcSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
