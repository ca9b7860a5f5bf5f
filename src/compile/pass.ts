import type { Config } from '../config/index.js';
import type { Article, Book, Diagnostic } from '../model.js';

/**
 * A pass: `Book -> Book`, run once after pairing and before any format (as mdBook's
 * preprocessors). A pass returns a new Book (objects it did not change are shared) and reports
 * what it found; it never changes the Book it was given.
 */
export type Pass = (book: Book, ctx: PassContext) => Book;

export interface PassContext {
  config: Config;
  /**
   * Every article of the book, in reading order, before the passes: what links may lead to. The
   * Book a pass is given may hold fewer (an incremental build passes only the articles it did not keep).
   */
  articles: readonly Article[];
  report(diagnostic: Diagnostic): void;
}
