import type { GroupBy } from '../config/index.js';
import type { ArticleSource, ChapterSource } from '../model.js';

/**
 * Automatic chapters. A chapter key is a string that sorts in reading order
 * (`2023-01` for a month, `2023` for a year, the folder path, the tag); `titleOf` turns it into a title.
 */
export interface ChapterNaming {
  titleOf: (key: string) => string;
  /** A chapter's weight puts it before heavier ones; unweighted chapters follow, by key. */
  weightOf?: (key: string) => number | undefined;
}

export function groupArticles(
  articles: ArticleSource[],
  groupBy: GroupBy,
  naming: ChapterNaming,
): ChapterSource[] {
  const mode = groupBy === 'auto' ? autoGrouping(articles) : groupBy;
  const groups = new Map<string, ArticleSource[]>();
  for (const article of articles) {
    const key = chapterKey(article, mode);
    groups.set(key, [...(groups.get(key) ?? []), article]);
  }
  const weight = (key: string) => naming.weightOf?.(key) ?? Number.POSITIVE_INFINITY;
  const keys = [...groups.keys()].sort((a, b) => weight(a) - weight(b) || compareKeys(a, b));
  return keys.map((key, index) => ({
    id: `ch-${index + 1}`,
    title: naming.titleOf(key),
    articles: groups.get(key)!.sort(byDate),
  }));
}

/**
 * Articles in named folders (`essays/`, `part-1/`) group by folder; dated articles (the
 * `YYYY/MM/DD/<slug>/` layout of clipping sites included) by month; anything else is one chapter.
 */
function autoGrouping(articles: ArticleSource[]): Exclude<GroupBy, 'auto'> {
  const namedFolder = articles.some((a) =>
    folderOf(a)
      .split('/')
      .some((part) => part !== NONE && !/^\d+$/.test(part)),
  );
  if (namedFolder) return 'folder';
  if (articles.every((a) => yearMonth(a) !== undefined)) return 'month';
  return 'none';
}

const UNDATED = '~undated';
const UNTAGGED = '~untagged';
const NONE = '~all';

function chapterKey(article: ArticleSource, mode: Exclude<GroupBy, 'auto'>): string {
  switch (mode) {
    case 'month':
      return yearMonth(article) ?? UNDATED;
    case 'year':
      return yearMonth(article)?.slice(0, 4) ?? UNDATED;
    case 'folder':
      return folderOf(article);
    case 'tag':
      return article.meta.tags[0] ?? UNTAGGED;
    case 'none':
      return NONE;
  }
}

/** Year and month as written (offset kept, not shifted to UTC), else from a YYYY/MM path. */
function yearMonth(article: ArticleSource): string | undefined {
  const fromDate = /^(\d{4})-(\d{2})/.exec(article.meta.date ?? '');
  if (fromDate) return `${fromDate[1]}-${fromDate[2]}`;
  const fromPath = /(?:^|\/)(\d{4})\/(\d{2})\//.exec(article.relPath);
  return fromPath ? `${fromPath[1]}-${fromPath[2]}` : undefined;
}

/** The folder that holds the article (for a page bundle: the folder that holds the bundle). */
function folderOf(article: ArticleSource): string {
  const parts = article.relPath.split('/');
  parts.pop();
  if (/^(_?index)\.md$/.test(article.relPath.split('/').pop()!)) parts.pop();
  return parts.join('/') || NONE;
}

function compareKeys(a: string, b: string): number {
  // Keys starting with "~" (undated, untagged) go last.
  if (a.startsWith('~') !== b.startsWith('~')) return a.startsWith('~') ? 1 : -1;
  return a.localeCompare(b);
}

const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A readable chapter title for a key, in the book's language. */
export function chapterTitle(key: string, language: string, bookTitle: string): string {
  const zh = language.startsWith('zh') || language.startsWith('ja');
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month)
    return zh ? `${month[1]}年${Number(month[2])}月` : `${EN_MONTHS[Number(month[2]) - 1]} ${month[1]}`;
  if (/^\d{4}$/.test(key)) return zh ? `${key}年` : key;
  if (key === UNDATED) return zh ? '未注明日期' : 'Undated';
  if (key === UNTAGGED) return zh ? '其他' : 'Other';
  if (key === NONE) return bookTitle;
  const last = key.split('/').pop()!;
  return last.replace(/[-_]+/g, ' ').replace(/^\p{Ll}/u, (c) => c.toUpperCase());
}

/** Articles run by date (undated last), then by path. */
export function byDate(a: ArticleSource, b: ArticleSource): number {
  const da = a.meta.date ? Date.parse(a.meta.date) : NaN;
  const db = b.meta.date ? Date.parse(b.meta.date) : NaN;
  if (!Number.isNaN(da) && !Number.isNaN(db) && da !== db) return da - db;
  if (Number.isNaN(da) !== Number.isNaN(db)) return Number.isNaN(da) ? 1 : -1;
  return a.relPath.localeCompare(b.relPath);
}
