import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

let packageRootValue: string | undefined;

/**
 * The folder anthology is installed in (package.json, templates/, styles/, fonts/): the first
 * folder above this module with a package.json. Found rather than fixed, because the module runs
 * from src/ (the tests), lib/ (a clone's build) or bundle/ (the installed package), at different
 * depths.
 */
export function packageRoot(): string {
  if (packageRootValue) return packageRootValue;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dir !== dirname(dir)) dir = dirname(dir);
  packageRootValue = dir;
  return dir;
}
