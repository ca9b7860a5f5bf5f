import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { DATE_EXAMPLE, isoDate } from '../config/dates.js';
import type { Config } from '../config/index.js';
import { AnthologyError } from '../errors.js';
import { bookRelative, slugify } from '../fs/paths.js';
import { lazyPackage } from '../lazy.js';
import type { ArticleMeta, ArticleSource, ChapterSource, Diagnostic } from '../model.js';
import { LAYOUTS } from '../model.js';
import { removeControlChars, withoutCjkSpaces, withoutControlChars } from '../text.js';
import { byDate, chapterTitle, groupArticles } from './chapters.js';
import { articleMeta, splitFrontMatter } from './front-matter.js';
import { NotAnArticle, readArticleText } from './read.js';

export { splitFrontMatter } from './front-matter.js';

export interface Collected {
  chapters: ChapterSource[];
  /** The book's language: from book.toml, else guessed from the article titles. */
  language: string;
  diagnostics: Diagnostic[];
}

const INDEX_FILES = new Set(['index.md', '_index.md']);

/** Loaded on first use: only the globs of book.toml's `[[chapters]]` need it. */
const picomatch = lazyPackage<typeof import('picomatch')>('picomatch');

/** Finds the articles of the book, reads their front matter and groups them into chapters. */
export function collectBook(config: Config): Collected {
  const { contentDir } = config;
  if (!existsSync(contentDir) || !statSync(contentDir).isDirectory()) {
    throw new AnthologyError(
      'content folder not found (set [content] folder in book.toml or pass --content DIR)',
      { file: contentDir },
    );
  }
  const diagnostics: Diagnostic[] = [...(config.diagnostics ?? [])];
  const shown = (file: string) => bookRelative(config.bookDir, file);
  const files = findMarkdownFiles(contentDir);
  const articles: ArticleSource[] = [];
  /** Files left out, with why: when no article is left, the error names the first. */
  const skipped: { file: string; line?: number; why: string }[] = [];
  for (const file of files.filter((f) => basename(f) !== '_index.md')) {
    let article: ArticleSource;
    try {
      article = readArticleSource(file, contentDir, diagnostics, shown(file));
    } catch (error) {
      // A binary file named .md, a pipe, a 50 MB file: not an article, and no reason to stop the book.
      if (!(error instanceof NotAnArticle)) throw error;
      diagnostics.push({
        code: error.code,
        file: shown(file),
        ...(error.line ? { line: error.line } : {}),
        severity: 'warning',
        message: `${error.detail}; left out`,
      });
      skipped.push({ file, line: error.line, why: error.detail });
      continue;
    }
    if (article.meta.draft && !config.drafts) {
      skipped.push({
        file,
        why: 'it is a draft (its front matter sets draft to true; drafts = true under [content] in book.toml builds drafts)',
      });
      continue;
    }
    if (article.body.trim() === '') {
      diagnostics.push({
        code: 'article/empty',
        file: shown(file),
        severity: 'warning',
        message: 'article has no body; left out',
      });
      skipped.push({ file, why: 'it has no body' });
      continue;
    }
    articles.push(article);
  }
  if (articles.length === 0 && skipped.length > 0) {
    const [first] = skipped;
    const others =
      skipped.length > 1
        ? ` (and ${skipped.length - 1} other file${skipped.length > 2 ? 's' : ''} left out)`
        : '';
    throw new AnthologyError(`no article to build; this file was left out: ${first!.why}${others}`, {
      file: first!.file,
      line: first!.line,
    });
  }
  if (articles.length === 0) {
    throw new AnthologyError('no articles found (articles are *.md files or <slug>/index.md page bundles)', {
      file: contentDir,
    });
  }
  assignUniqueIds(articles);
  const language = config.book.language ?? guessLanguageFromTitles(articles);
  const folderTitles = readFolderTitles(
    files.filter((f) => basename(f) === '_index.md'),
    contentDir,
    diagnostics,
    shown,
  );
  const automatic = () =>
    groupArticles(articles, config.groupBy, {
      titleOf: (key) => folderTitles.get(key)?.title ?? chapterTitle(key, language, config.book.title),
      weightOf: (key) => folderTitles.get(key)?.weight,
    });
  // The listing's warnings count only if the listing is used (else "left out" would precede
  // every article of a book whose chapters were all made automatically).
  const listingDiagnostics: Diagnostic[] = [];
  let chapters = config.chapters
    ? listedChapters(
        config.chapters,
        articles,
        shown(config.configFile ?? join(config.bookDir, 'book.toml')),
        listingDiagnostics,
        shown,
      )
    : automatic();
  if (chapters.length > 0) diagnostics.push(...listingDiagnostics);
  else {
    // Listed chapters written for another content folder (e.g. --content given on the command line).
    diagnostics.push({
      code: 'chapter/auto',
      file: shown(config.configFile ?? join(config.bookDir, 'book.toml')),
      severity: 'warning',
      message: `no chapter listed in book.toml matches an article in ${shown(contentDir)}; chapters made automatically`,
    });
    chapters = automatic();
  }
  return { chapters, language, diagnostics };
}

/** Every `*.md` under `dir`, sorted, skipping hidden folders and node_modules. */
export function findMarkdownFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      // not only regular files: a link, a pipe or a device named *.md is read, and refused with a
      // diagnostic (article/unreadable), rather than left out without a word
      else if (entry.name.toLowerCase().endsWith('.md')) found.push(path);
    }
  };
  walk(dir);
  return found;
}

/**
 * Reads one article: front matter, body and where the body starts. Warnings name the file as
 * `shown` (relative to the book folder); errors name it by its path.
 */
export function readArticleSource(
  file: string,
  contentDir: string,
  diagnostics: Diagnostic[] = [],
  shown = file,
): ArticleSource {
  const text = readText(file, diagnostics, shown);
  const split = splitFrontMatter(text, file);
  const { body, bodyLine } = split;
  if (split.unopened)
    diagnostics.push({
      code: 'front-matter/no-opening',
      file: shown,
      line: 1,
      severity: 'warning',
      message: `front matter without its opening "---" (or "+++") line; read as front matter all the same (add the line before "${text.split('\n', 1)[0]!.slice(0, 30)}")`,
    });
  const data = withoutControlChars(split.data, [], (key, removed) => {
    const line = keyLine(text, String(key[0]), bodyLine);
    diagnostics.push({
      code: 'text/control-chars',
      file: shown,
      ...(line ? { line } : {}),
      severity: 'warning',
      message: `${removed} control character${removed === 1 ? '' : 's'} removed from "${key.join('.')}"`,
    });
  }) as Record<string, unknown>;
  const relPath = relative(contentDir, file).split(sep).join('/');
  const isBundle = INDEX_FILES.has(basename(file));
  const named = removeControlChars(isBundle ? basename(dirname(file)) : basename(file, '.md'));
  if (named.removed > 0)
    diagnostics.push({
      code: 'text/control-chars',
      file: shown,
      severity: 'warning',
      message: `${named.removed} control character${named.removed === 1 ? '' : 's'} removed from the file name (used as the title when the front matter has none)`,
    });
  const name = named.text;
  const meta = articleMeta(data, name);
  const spaced = withoutCjkSpacesInTitles(meta);
  if (spaced > 0) {
    const line = keyLine(text, 'title', bodyLine);
    diagnostics.push({
      code: 'text/cjk-space',
      file: shown,
      ...(line ? { line } : {}),
      severity: 'info',
      message: `${spaced} space${spaced === 1 ? '' : 's'} between Chinese characters removed from the titles`,
    });
  }
  if (meta.date !== undefined) {
    const date = isoDate(meta.date);
    if (!date) {
      const line = keyLine(text, 'date', bodyLine);
      diagnostics.push({
        code: 'front-matter/date',
        file: shown,
        ...(line ? { line } : {}),
        severity: 'warning',
        message: `date "${meta.date.slice(0, 40)}" is not a date (write ${DATE_EXAMPLE}); left out`,
      });
    }
    meta.date = date;
  }
  const declaredLayout = (data.layout ??
    (data.extra as Record<string, unknown> | undefined)?.layout) as unknown;
  if (declaredLayout !== undefined && !LAYOUTS.includes(declaredLayout as never)) {
    diagnostics.push({
      code: 'front-matter/layout',
      file: shown,
      line: keyLine(text, 'layout', bodyLine) ?? 1,
      severity: 'warning',
      message: `unknown layout "${String(declaredLayout)}" in front matter (use ${LAYOUTS.join(', ')}); the book's layout is used`,
    });
  }
  return { id: slugify(name), file, relPath, dir: dirname(file), meta, body, bodyLine };
}

/** Removes spaces between Chinese characters from the titles, as the compile stage does from the text; how many. */
function withoutCjkSpacesInTitles(meta: ArticleMeta): number {
  let removed = 0;
  for (const key of ['title', 'originalTitle'] as const) {
    const cleaned = withoutCjkSpaces(meta[key] ?? '');
    if (cleaned.removed === 0) continue;
    meta[key] = cleaned.text;
    removed += cleaned.removed;
  }
  return removed;
}

/** The line of a front-matter key (`date:`, `date =`), nested keys included; searched before the body. */
function keyLine(text: string, key: string, bodyLine: number): number | undefined {
  const lines = text.split('\n', bodyLine);
  const at = lines.findIndex((l) => {
    const t = l.trimStart();
    return t.startsWith(key) && /^\s*[:=]/.test(t.slice(key.length));
  });
  return at === -1 ? undefined : at + 1;
}

/** A file's text, its repairs (invalid UTF-8, control characters) reported as warnings. */
function readText(file: string, diagnostics: Diagnostic[], shown: string): string {
  const { text, problems } = readArticleText(file);
  for (const p of problems)
    diagnostics.push({ code: p.code, file: shown, line: p.line, severity: 'warning', message: p.message });
  return text;
}

/** Ids become file names and XML ids: ASCII, short, unique, starting with a letter. */
function assignUniqueIds(articles: ArticleSource[]): void {
  const seen = new Map<string, number>();
  for (const article of articles) {
    const base = `a-${article.id.slice(0, 48).replace(/-+$/, '') || 'article'}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    article.id = n === 1 ? base : `${base}-${n}`;
  }
}

/** More than half of the titles in Han script: a Chinese book. */
function guessLanguageFromTitles(articles: ArticleSource[]): string {
  const han = articles.filter((a) => /\p{Script=Han}/u.test(a.meta.title)).length;
  return han * 2 > articles.length ? 'zh' : 'en';
}

/**
 * `_index.md` files give the chapter of their folder a title and, with `weight` (as in Zola and
 * Hugo), its place among the chapters. Key: the folder relative to the content folder.
 */
function readFolderTitles(
  indexFiles: string[],
  contentDir: string,
  diagnostics: Diagnostic[],
  shown: (file: string) => string,
): Map<string, { title?: string; weight?: number }> {
  const folders = new Map<string, { title?: string; weight?: number }>();
  for (const file of indexFiles) {
    const { data } = splitFrontMatter(readText(file, diagnostics, shown(file)), file);
    const title = typeof data.title === 'string' && data.title.trim() ? data.title.trim() : undefined;
    const weight = typeof data.weight === 'number' ? data.weight : undefined;
    const key = relative(contentDir, dirname(file)).split(sep).join('/');
    folders.set(key, { title, weight });
    if (!title)
      diagnostics.push({
        code: 'chapter/untitled',
        file: shown(file),
        severity: 'warning',
        message: '_index.md has no title; the folder name is used',
      });
  }
  return folders;
}

/** Chapters as listed in book.toml: each pattern (a path, a folder or a glob) adds its articles in order. */
function listedChapters(
  specs: { title: string; articles: string[] }[],
  articles: ArticleSource[],
  file: string,
  diagnostics: Diagnostic[],
  shown: (file: string) => string,
): ChapterSource[] {
  const used = new Set<ArticleSource>();
  const chapters = specs.map((spec, index) => {
    const chosen: ArticleSource[] = [];
    for (const pattern of spec.articles) {
      const matches = articlesMatching(pattern, articles).filter((a) => !chosen.includes(a));
      if (matches.length === 0)
        diagnostics.push({
          code: 'chapter/no-match',
          file,
          severity: 'warning',
          message: `chapter "${spec.title}": "${pattern}" matches no article`,
        });
      chosen.push(...matches);
    }
    for (const a of chosen) used.add(a);
    return { id: `ch-${index + 1}`, title: spec.title, articles: chosen };
  });
  for (const article of articles) {
    if (!used.has(article))
      diagnostics.push({
        code: 'chapter/left-out',
        file: shown(article.file),
        severity: 'warning',
        message: 'article is in no chapter of book.toml; left out',
      });
  }
  return chapters.filter((c) => c.articles.length > 0);
}

/** A pattern names a file, a page-bundle folder, or is a glob; glob matches run by date. */
function articlesMatching(pattern: string, articles: ArticleSource[]): ArticleSource[] {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  const exact = articles.filter(
    (a) => a.relPath === clean || a.relPath === `${clean}/index.md` || a.relPath === `${clean}.md`,
  );
  if (exact.length > 0) return exact;
  const glob = picomatch();
  const isMatch = glob(clean, { dot: false });
  const isFolderMatch = glob(`${clean}/**`);
  return articles
    .filter((a) => isMatch(a.relPath) || isMatch(dirname(a.relPath)) || isFolderMatch(a.relPath))
    .sort(byDate);
}
