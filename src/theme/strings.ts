/** The few words the book itself prints, in the book's language. */
const STRINGS = {
  en: {
    contents: 'Contents',
    edited: '(editor)',
    source: 'Source',
    cover: 'Cover',
    titlePage: 'Title page',
    start: 'Start of the text',
    colophon: 'About this book',
    sources: 'Sources',
    pages: 'Pages',
    printEdition: 'print edition (PDF)',
  },
  zh: {
    contents: '目录',
    edited: '编',
    source: '原文',
    cover: '封面',
    titlePage: '扉页',
    start: '正文',
    colophon: '版权信息',
    sources: '文章来源',
    pages: '页码',
    printEdition: '印刷版（PDF）',
  },
} as const;

export type StringKey = keyof (typeof STRINGS)['en'];

export type Strings = Record<StringKey, string>;

export function stringsFor(language: string): Strings {
  return language.toLowerCase().startsWith('zh') ? STRINGS.zh : STRINGS.en;
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

/**
 * A date as readers expect it in the book's language. Uses the calendar date as written
 * (`2022-12-01T22:59:21+08:00` is 1 December), never shifted to the machine's time zone.
 */
export function formatDate(value: string, language: string): string {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  if (language.toLowerCase().startsWith('zh') || language.startsWith('ja')) {
    return `${year}年${month ? `${Number(month)}月` : ''}${day ? `${Number(day)}日` : ''}`;
  }
  if (!month) return year!;
  return `${day ? `${Number(day)} ` : ''}${EN_MONTHS[Number(month) - 1]} ${year}`;
}
