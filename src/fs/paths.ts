import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

/**
 * Is `path` inside `root` (or `root` itself)? Both should be real paths (symlinks resolved) when
 * the answer confines what the book may read.
 */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The real path, or the path as given when it does not exist. The native call: one system call,
 * where the JavaScript one stats every component of the path (it is called for every image of
 * every rebuild of the preview).
 */
export function realpathOr(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * A file as diagnostics name it: relative to the book folder, `/`-separated, so a report reads the
 * same on every machine; absolute when the file lies outside the book folder.
 */
export function bookRelative(bookDir: string, file: string): string {
  const rel = relative(bookDir, file);
  return rel !== '' && isInside(file, bookDir) ? rel.split(sep).join('/') : file;
}

/** ASCII file-name slug; falls back to `book` when the title has no Latin letters or digits. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'book';
}
