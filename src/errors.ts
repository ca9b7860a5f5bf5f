/**
 * The one error type the library throws for problems a user can fix (bad input, missing tools).
 * The CLI prints it as one line, without a stack trace, and exits 1; anything else is a bug.
 */
export class AnthologyError extends Error {
  /** The file the problem is in, as an absolute path (the CLI shows it relative to the working folder). */
  readonly file?: string;
  readonly line?: number;
  /** The message without its location. */
  readonly detail: string;

  constructor(detail: string, where: { file?: string; line?: number } = {}) {
    super(formatLocation(where.file, where.line) + detail);
    this.name = 'AnthologyError';
    this.file = where.file;
    this.line = where.line;
    this.detail = detail;
  }
}

export function formatLocation(file?: string, line?: number, column?: number): string {
  if (!file) return '';
  return `${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: `;
}
