import type { Book } from '../model.js';
import { showsOriginalTitle } from './article.js';

export interface ContentsEntry {
  title: string;
  href: string;
  originalTitle?: string;
  originalLang?: string;
}
export interface ContentsChapter extends ContentsEntry {
  articles: ContentsEntry[];
}

/** The table of contents as plain data; `hrefOf` says where a chapter or article lives in the target. */
export function contentsOf(book: Book, hrefOf: (id: string) => string): ContentsChapter[] {
  return book.chapters.map((chapter) => ({
    title: chapter.title,
    href: hrefOf(chapter.id),
    articles: chapter.articles.map((article) => ({
      title: article.meta.title,
      href: hrefOf(article.id),
      originalTitle: showsOriginalTitle(article, article.layout) ? article.meta.originalTitle : undefined,
      originalLang: article.originalLang,
    })),
  }));
}
