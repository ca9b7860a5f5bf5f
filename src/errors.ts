import type { Diagnostic } from './model.js';

/**
 * The one error type the library throws for problems a user can fix (bad input, missing tools).
 * The CLI prints `message` without a stack trace and exits non-zero; anything else is a bug.
 */
export class AnthologyError extends Error {
  readonly file?: string;
  readonly line?: number;

  constructor(message: string, where: { file?: string; line?: number } = {}) {
    super(formatLocation(where.file, where.line) + message);
    this.name = 'AnthologyError';
    this.file = where.file;
    this.line = where.line;
  }
}

export function formatLocation(file?: string, line?: number): string {
  if (!file) return '';
  return line ? `${file}:${line}: ` : `${file}: `;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${formatLocation(d.file, d.line)}${d.severity}: ${d.message}`;
}
