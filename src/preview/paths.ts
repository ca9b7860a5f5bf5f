/**
 * Which file a request may read. The preview serves the book's own files and nothing else: the
 * raw request path (before any normalisation, which would quietly turn `/a/../../x` into `/x`)
 * is refused when it holds a `..` or `.` segment, a hidden segment (`.git`, the cache), a
 * backslash, a NUL or an encoding that does not decode, in its raw form or decoded; what remains
 * is resolved inside the book folder and refused when its real path (symlinks followed) lies outside.
 */
import { realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isInside } from '../fs/paths.js';

export type Resolved = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/** `rawPath`: the request's path as sent (no query), e.g. `/content/a/photo.jpg`; `root`: the book folder's real path. */
export function resolveBookFile(rawPath: string, root: string): Resolved {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  for (const form of [rawPath, decoded]) {
    if (/[\\\0]/.test(form)) return { ok: false, status: 403, reason: 'backslash or NUL' };
    const segments = form.split('/').slice(1);
    if (
      !form.startsWith('/') ||
      segments.some((s, i) => s.startsWith('.') || (s === '' && i < segments.length - 1))
    ) {
      return { ok: false, status: 403, reason: 'path outside the book' };
    }
  }
  // Absolute paths (`//etc/passwd`, `/C:/x`) fail above or resolve inside the root here.
  const candidate = join(root, decoded);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  if (!isInside(real, root)) return { ok: false, status: 403, reason: 'outside the book (a symlink)' };
  try {
    if (!statSync(real).isFile()) return { ok: false, status: 404, reason: 'not a file' };
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  return { ok: true, file: real };
}
