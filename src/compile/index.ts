/**
 * The compile stage: the Book every format reads. Collects the articles, parses and pairs each,
 * decides each article's layout (the one place that does), then runs the passes, in order.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { cacheKey } from '../assets/cache.js';
import { type ArticleBlocks, articleBlocks } from '../bilingual/index.js';
import { collectBook } from '../collect/index.js';
import { type Config, layoutFor } from '../config/index.js';
import { bookRelative } from '../fs/paths.js';
import type { Article, ArticleSource, Asset, Block, Book, BookMeta, Diagnostic } from '../model.js';
import { describeImages } from './accessibility.js';
import { resolveOwnPageLinks } from './anchors.js';
import { removeCjkSpaces } from './cjk-spacing.js';
import { otherLanguageArticles } from './editions.js';
import { normalizeHeadings } from './headings.js';
import { imageFingerprint, localImageSources, localizeImages } from './images.js';
import { resolveLinks } from './links.js';
import { extractNotes } from './notes.js';
import type { Pass } from './pass.js';

/**
 * The passes, in the order they run: images are described while their file names are still the
 * articles' own, then localized (a remote image becomes a link, which the links pass checks).
 * Notes are found in links the links pass has made valid (and compares with the source it checked);
 * the links to the article's own page that are not note references are resolved after them.
 * Spaces between Chinese characters go last, once links that became text lie next to their words.
 */
export const PASSES: readonly Pass[] = [
  describeImages,
  localizeImages,
  resolveLinks,
  extractNotes,
  resolveOwnPageLinks,
  normalizeHeadings,
  removeCjkSpaces,
];

export interface CompileOptions {
  /** Parse and pair one article; default `articleBlocks`. The build and the preview pass a cached one (incremental/). */
  blocksOf?: (source: ArticleSource, file: string) => ArticleBlocks;
  /** Articles compiled by earlier builds, kept by the build and the preview (incremental/). */
  compiled?: CompiledStore;
}

/**
 * An article as the passes left it, with what they and the parser said of it: what an incremental
 * build keeps, so that an article that did not change is neither parsed nor passed again.
 */
export interface CompiledArticle {
  originalLang: string;
  translationLang: string;
  blocks: Block[];
  sourceLink?: string;
  /** What parsing and pairing reported, then what the passes reported, about this article. */
  parsed: Diagnostic[];
  passed: Diagnostic[];
  /** The images it shows, in the order the images pass met them. */
  assets: Asset[];
  /** Its local images' sources and what was found for them (images.ts imageFingerprint): checked on every build. */
  images: { sources: string[]; fingerprint: string };
}

/** Where compiled articles are kept: by a key compileBook makes of everything that shapes one. */
export interface CompiledStore {
  /** The version of the code that compiles (part of every key). */
  version: string;
  /** The kept result under `key` when `usable` says it still is (its images are where they were); `article` is whose it is. */
  get(
    key: string,
    article: { source: ArticleSource; file: string },
    usable: (kept: CompiledArticle) => boolean,
  ): CompiledArticle | undefined;
  put(key: string, article: CompiledArticle): void;
}

export function compileBook(config: Config, options: CompileOptions = {}): Book {
  const blocksOf =
    options.blocksOf ?? ((source: ArticleSource, file: string) => articleBlocks(source, { file }));
  const collected = collectBook(config);
  const contentDir = realpathSync(config.contentDir);
  const sources = collected.chapters.flatMap((chapter) => chapter.articles);
  const files = sources.map((source) => bookRelative(config.bookDir, source.file));
  const layouts = sources.map((source) => ({
    epub: layoutFor(config, 'epub', source.meta),
    pdf: layoutFor(config, 'pdf', source.meta),
  }));
  // Articles kept from an earlier build: the same text, settings and book around them, and the
  // same image files where they were. The others are parsed (or their parse kept) and passed.
  const keyOf =
    options.compiled && compiledKeys(config, contentDir, sources, files, layouts, options.compiled.version);
  const kept = sources.map((source, index) =>
    keyOf
      ? options.compiled!.get(
          keyOf(index),
          { source, file: files[index]! },
          (entry) =>
            imageFingerprint(entry.images.sources, source.dir, contentDir) === entry.images.fingerprint,
        )
      : undefined,
  );
  const parsed = sources.map((source, index) => (kept[index] ? undefined : blocksOf(source, files[index]!)));
  const articles = sources.map((source, index): Article => {
    const from = kept[index] ?? parsed[index]!;
    return {
      id: source.id,
      source: files[index]!,
      dir: source.dir,
      meta: source.meta,
      originalLang: from.originalLang,
      translationLang: from.translationLang,
      layouts: layouts[index]!,
      blocks: from.blocks,
    };
  });
  // The images' state taken before the passes read the files: one changed meanwhile (an editor
  // saving it during --watch) is then checked again by the next build, not kept with this verdict.
  const images = articles.map((article, index) => {
    if (kept[index] || !keyOf) return { sources: [], fingerprint: '' }; // nothing will be kept without a store
    const sources = localImageSources(article.blocks);
    return { sources, fingerprint: imageFingerprint(sources, article.dir, contentDir) };
  });
  const meta = bookMeta(config, collected.language);
  const passed = passArticles(
    config,
    meta,
    articles,
    (index) => !kept[index],
    kept.flatMap((entry) => entry?.assets ?? []),
  );
  const compiled = articles.map((_, index): CompiledArticle => {
    if (kept[index]) return kept[index];
    const entry = {
      ...passed.articles.get(index)!,
      parsed: parsed[index]!.diagnostics,
      images: images[index]!,
    };
    if (keyOf) options.compiled!.put(keyOf(index), entry);
    return entry;
  });

  const withBlocks = articles.map((article, index) => ({ ...article, blocks: compiled[index]!.blocks }));
  const editions = otherLanguageArticles(config, withBlocks);

  // Said by article, the same whether an article was kept or not: what its parse said, then
  // (after what is said of the book's layouts) what the passes said.
  const diagnostics = [
    ...collected.diagnostics,
    ...compiled.flatMap((entry) => entry.parsed),
    ...layoutDiagnostics(config, articles),
    ...compiled.flatMap((entry) => entry.passed),
    ...editions.diagnostics,
    ...passed.ofNoArticle,
  ];
  let next = 0;
  const chapters = collected.chapters
    .map((chapter) => ({
      id: chapter.id,
      title: chapter.title,
      articles: chapter.articles.flatMap(() => {
        const index = next++;
        if (editions.leftOut.has(index)) return [];
        const { sourceLink } = compiled[index]!;
        return [{ ...withBlocks[index]!, ...(sourceLink === undefined ? {} : { sourceLink }) }];
      }),
    }))
    // a chapter whose every article was left out goes too
    .filter((chapter, k) => chapter.articles.length > 0 || collected.chapters[k]!.articles.length === 0);
  const assets = compiled.flatMap((entry, index) => (editions.leftOut.has(index) ? [] : entry.assets));
  return { meta, chapters, assets: uniqueAssets(assets), diagnostics };
}

/**
 * Runs the passes on the articles `wanted` (all of them in a plain build), as one book in reading
 * order, with every article as a link target and the images of the others already named; returns
 * what they made of each, by index, and anything a pass said of no article (none does today).
 */
function passArticles(
  config: Config,
  meta: BookMeta,
  articles: Article[],
  wanted: (index: number) => boolean,
  otherAssets: Asset[],
): { articles: Map<number, Omit<CompiledArticle, 'parsed' | 'images'>>; ofNoArticle: Diagnostic[] } {
  const indexes = articles.map((_, index) => index).filter(wanted);
  const reported: Diagnostic[] = [];
  // One chapter: the passes work article by article, and chapters are the collector's business.
  let book: Book = {
    meta,
    chapters: [{ id: 'passed', title: '', articles: indexes.map((index) => articles[index]!) }],
    assets: uniqueAssets(otherAssets),
    diagnostics: [],
  };
  const ctx = { config, articles, report: (d: Diagnostic) => reported.push(d) };
  for (const pass of PASSES) book = pass(book, ctx);
  const done = book.chapters[0]!.articles;
  const byHref = new Map(book.assets.map((asset) => [asset.href, asset]));
  const out = new Map(
    indexes.map((index, at) => {
      const article = done[at]!;
      return [
        index,
        {
          originalLang: article.originalLang,
          translationLang: article.translationLang,
          blocks: article.blocks,
          sourceLink: article.sourceLink,
          passed: reported.filter((d) => d.file === article.source),
          // in the order the article shows them, whatever the other articles show: the book's order
          // of images (the EPUB's manifest) is then the same whichever articles were kept
          assets: localImageSources(article.blocks).flatMap((href) => byHref.get(href) ?? []),
        },
      ];
    }),
  );
  const named = new Set(articles.map((article) => article.source));
  return { articles: out, ofNoArticle: reported.filter((d) => !named.has(d.file)) };
}

/** What is said of the book's layouts as a whole: facing pages asked of an EPUB, once for the book. */
function layoutDiagnostics(config: Config, articles: Article[]): Diagnostic[] {
  const onScreens = config.formats.some((f) => f === 'epub' || f === 'kepub');
  const noSpreads = articles.filter((a) => a.layouts.epub.asked === 'facing');
  if (!onScreens || noSpreads.length === 0) return [];
  return [
    {
      code: 'layout/no-spreads',
      // a warning, not an info: the EPUB is not what was asked for, and the summary shows warnings
      severity: 'warning',
      file: noSpreads.length === 1 ? noSpreads[0]!.source : 'book.toml',
      message: `facing pages are for print: the EPUB shows ${noSpreads.length === 1 ? 'this article' : `${noSpreads.length} articles`} side by side where the screen is wide, one language after the other where it is narrow`,
    },
  ];
}

/** Each image once (the first article to show it names it), in reading order. */
function uniqueAssets(assets: Asset[]): Asset[] {
  const byPath = new Map<string, Asset>();
  for (const asset of assets) if (!byPath.has(asset.path)) byPath.set(asset.path, asset);
  return [...byPath.values()];
}

/**
 * The key of each article's compiled result: its text and file (what its parse is keyed by), its
 * front matter and layouts, and the book around it that the passes read (the content and book
 * folders; every article's file and id, which links lead to), under the version of the code.
 */
function compiledKeys(
  config: Config,
  contentDir: string,
  sources: ArticleSource[],
  files: string[],
  layouts: Article['layouts'][],
  version: string,
): (index: number) => string {
  const book = cacheKey(
    COMPILED_FORMAT,
    version,
    contentDir,
    config.bookDir,
    ...sources.flatMap((source, index) => [files[index]!, source.id]),
  );
  return (index) => {
    const source = sources[index]!;
    return cacheKey(
      book,
      files[index]!,
      source.dir,
      String(source.bodyLine),
      JSON.stringify(source.meta),
      JSON.stringify(layouts[index]),
      source.body,
    );
  };
}

/** Bumped when the shape of a compiled article changes. */
const COMPILED_FORMAT = 'compiled-article/1';

function bookMeta(config: Config, language: string): BookMeta {
  const { book } = config;
  return {
    title: book.title,
    subtitle: book.subtitle,
    editors: book.editors,
    authors: book.authors,
    language,
    description: book.description,
    date: book.date,
    publisher: book.publisher,
    rights: book.rights,
    identifier: book.identifier ?? derivedIdentifier(book.title, book.editors),
    cover: book.cover,
    slug: book.slug,
  };
}

/** A stable identifier from the book's title and editors, in the form of a name-based UUID. */
function derivedIdentifier(title: string, editors: string[]): string {
  const hex = createHash('sha1')
    .update(JSON.stringify(['anthology', title, editors]))
    .digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
