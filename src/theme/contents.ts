import type { Book, Medium } from '../model.js';
import { articleTitles } from './article.js';

interface ContentsEntry {
  title: string;
  href: string;
  originalTitle?: string;
  originalLang?: string;
}
export interface ContentsChapter extends ContentsEntry {
  articles: ContentsEntry[];
}

/**
 * The table of contents as plain data; `hrefOf` says where a chapter or article lives in the
 * output; the article's layout in the medium decides the titles shown.
 */
export function contentsOf(book: Book, hrefOf: (id: string) => string, medium: Medium): ContentsChapter[] {
  return book.chapters.map((chapter) => ({
    title: chapter.title,
    href: hrefOf(chapter.id),
    articles: chapter.articles.map((article) => {
      const titles = articleTitles(article, article.layouts[medium].layout);
      return {
        title: titles.title,
        href: hrefOf(article.id),
        originalTitle: titles.second,
        originalLang: titles.secondLang,
      };
    }),
  }));
}
