/**
 * Reading an article's file as text, refusing what is not one (issue 12): a FIFO or a device
 * (`anthology pairs /dev/zero` read forever), a folder, a file too big to be an article, a binary
 * file named `.md`. What can be repaired is repaired with a warning: bytes that are not UTF-8
 * become U+FFFD, and control characters (which XML forbids: epubcheck stops at the first) are
 * removed.
 */

import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { AnthologyError } from '../errors.js';
import type { DiagnosticCode } from '../model.js';
import { lineAt, removeControlChars } from '../text.js';

/** 20 times the longest article of the corpus (190 KB); parsing stays within seconds. */
export const MAX_ARTICLE_BYTES = 4 * 1024 * 1024;

/** Why a file cannot be read as an article; a build skips it with this code, `pairs` stops. */
export class NotAnArticle extends AnthologyError {
  constructor(
    readonly code: Extract<DiagnosticCode, 'article/unreadable' | 'article/not-text' | 'article/too-large'>,
    detail: string,
    where: { file: string; line?: number },
  ) {
    super(detail, where);
  }
}

export interface TextProblem {
  code: Extract<DiagnosticCode, 'text/invalid-utf8' | 'text/control-chars'>;
  line: number;
  message: string;
}

/** Reads a file as an article's text; throws NotAnArticle for what is not one. */
export function readArticleText(file: string): { text: string; problems: TextProblem[] } {
  const bytes = readRegularFile(file);
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const line = lineAt(bytes.subarray(0, nul).toString('latin1'), nul);
    throw new NotAnArticle('article/not-text', 'not a text file (it holds a NUL byte)', { file, line });
  }
  const problems: TextProblem[] = [];
  let text = bytes.toString('utf8');
  if (!isUtf8(bytes)) {
    const line = lineAt(text, text.indexOf('\uFFFD'));
    problems.push({
      code: 'text/invalid-utf8',
      line,
      message: 'not valid UTF-8 (save the file as UTF-8); the bad bytes are shown as �',
    });
  }
  const cleaned = removeControlChars(text);
  if (cleaned.removed > 0) {
    text = cleaned.text;
    problems.push({
      code: 'text/control-chars',
      line: cleaned.line!,
      message: `${cleaned.removed} control character${cleaned.removed === 1 ? '' : 's'} removed`,
    });
  }
  return { text, problems };
}

/**
 * The bytes of a regular file no bigger than MAX_ARTICLE_BYTES. The file is opened first and
 * checked through its descriptor, so what is checked is what is read; opening a FIFO for reading
 * would wait for a writer, hence O_NONBLOCK.
 */
function readRegularFile(file: string): Buffer {
  let fd: number;
  try {
    // O_NOFOLLOW: an article is a file of the book itself, never a link to one (which may be outside it)
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      throw new NotAnArticle(
        'article/unreadable',
        'is a link; an article must be a file of the book itself',
        { file },
      );
    if (code === 'ENOENT') throw new NotAnArticle('article/unreadable', 'file not found', { file });
    if (code === 'EACCES' || code === 'EPERM')
      throw new NotAnArticle('article/unreadable', 'cannot be read (permission denied)', { file });
    throw new NotAnArticle('article/unreadable', `cannot be read (${code ?? (error as Error).message})`, {
      file,
    });
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory())
      throw new NotAnArticle('article/unreadable', 'is a folder, not a Markdown file', { file });
    if (!stat.isFile())
      throw new NotAnArticle('article/unreadable', 'is not a regular file (a device, pipe or socket)', {
        file,
      });
    if (stat.size > MAX_ARTICLE_BYTES) {
      throw new NotAnArticle(
        'article/too-large',
        `is ${(stat.size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_ARTICLE_BYTES / 1024 / 1024} MB an article may have`,
        { file },
      );
    }
    // Read up to one byte past the limit: a file that grew since fstat is still refused.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_ARTICLE_BYTES) + 1);
    let length = 0;
    for (
      let n: number;
      length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;
    )
      length += n;
    if (length > MAX_ARTICLE_BYTES)
      throw new NotAnArticle(
        'article/too-large',
        `is over the ${MAX_ARTICLE_BYTES / 1024 / 1024} MB an article may have`,
        { file },
      );
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
