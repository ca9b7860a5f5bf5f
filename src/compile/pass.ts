import type { Config } from '../config/index.js';
import type { Book, Diagnostic } from '../model.js';

/**
 * A pass: `Book -> Book`, run once after pairing and before any format (as mdBook's
 * preprocessors). A pass returns a new Book (objects it did not change are shared) and reports
 * what it found; it never changes the Book it was given.
 */
export type Pass = (book: Book, ctx: PassContext) => Book;

export interface PassContext {
  config: Config;
  report(diagnostic: Diagnostic): void;
}
