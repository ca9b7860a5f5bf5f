/**
 * The build cache: results of slow, pure work (scaled images, the rendered cover, font subsets),
 * kept between builds under a key made of the input's content and the settings that shaped it.
 * It lives in `<book folder>/.anthology-cache/` (or `ANTHOLOGY_CACHE_DIR`); deleting it only
 * makes the next build slower. Entries are written atomically, so a crash never leaves half a file,
 * and each ends with the SHA-256 of its content: an entry that is cut short, emptied or replaced
 * (a full disk, a copy gone wrong, a hand edit) fails the check, is removed, and is made again.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onCleanup, removeNow } from '../fs/cleanup.js';

const CACHE_FOLDER = '.anthology-cache';

/** Where the cache lives for a book: `ANTHOLOGY_CACHE_DIR` when set, else `<bookDir>/.anthology-cache`. */
export function cacheDirFor(bookDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.ANTHOLOGY_CACHE_DIR?.trim();
  return override ? override : join(bookDir, CACHE_FOLDER);
}

/** A hex key from any number of strings and byte arrays. */
export function cacheKey(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(typeof part === 'string' ? `s${part.length}:` : `b${part.length}:`);
    hash.update(part);
  }
  return hash.digest('hex').slice(0, 40);
}

/**
 * A file's state on disk, by which a result made from it is found again without reading it: a
 * file replaced, rewritten or touched has another (its size, times or inode change).
 */
export function fileState(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
}

export interface Cache {
  dir: string;
  get(kind: string, key: string, ext: string): Promise<Buffer | undefined>;
  put(kind: string, key: string, ext: string, data: Uint8Array): Promise<void>;
  /** Removes what this build did not use, of the kinds it used (see pruneFolder). */
  prune(): Promise<void>;
}

/** An entry no build has used for this long is removed by the next build that uses its kind. */
export const UNUSED_FOR_MS = 14 * 24 * 3600 * 1000;

/** A cache in `dir`; `undefined` gives one that never hits and never writes. */
export function openCache(dir: string | undefined): Cache {
  // the entries this build read or wrote, by kind
  const used = new Map<string, Set<string>>();
  const use = (kind: string, name: string) =>
    (used.get(kind) ?? used.set(kind, new Set()).get(kind)!).add(name);
  return {
    dir: dir ?? '',
    async get(kind, key, ext) {
      if (!dir) return undefined;
      const file = join(dir, kind, `${key}${ext}`);
      let stored: Buffer;
      try {
        stored = await readFile(file);
      } catch {
        return undefined;
      }
      const data = unseal(stored);
      if (!data) await rm(file, { force: true }).catch(() => undefined);
      else use(kind, `${key}${ext}`);
      return data;
    },
    async put(kind, key, ext, data) {
      if (!dir) return;
      use(kind, `${key}${ext}`);
      try {
        const folder = join(dir, kind);
        await mkdir(folder, { recursive: true });
        const file = join(folder, `${key}${ext}`);
        const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        const forget = onCleanup(() => removeNow(temp));
        try {
          await writeFile(temp, seal(data));
          await rename(temp, file);
        } finally {
          forget();
        }
      } catch {
        // A cache that cannot be written (read-only book folder) only costs time.
      }
    },
    async prune() {
      if (dir) for (const [kind, names] of used) await pruneFolder(join(dir, kind), names);
    },
  };
}

/**
 * The cache would otherwise only grow (each edit of an article adds entries, each changed image
 * its results): a build removes, in each folder of entries it used, those it did not use whose
 * file was last written over UNUSED_FOR_MS ago, and temporary files left by a killed build. A kind
 * the build did not use (the EPUB's images in a build of the PDF alone) is left alone, and another
 * book sharing the folder (ANTHOLOGY_CACHE_DIR) loses only entries unused for weeks: either way,
 * the worst is one slower build.
 */
export async function pruneFolder(
  folder: string,
  used: ReadonlySet<string>,
  now = Date.now(),
): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  await Promise.all(
    names
      .filter((name) => !used.has(name))
      .map(async (name) => {
        const file = join(folder, name);
        try {
          const age = now - (await stat(file)).mtimeMs;
          if (age > UNUSED_FOR_MS || (name.endsWith('.tmp') && age > 3600 * 1000))
            await rm(file, { force: true });
        } catch {
          // gone meanwhile (another build pruning), or not ours to remove: left
        }
      }),
  );
}

const DIGEST_BYTES = 32;

/** The entry as stored: the data, then its SHA-256. */
export function seal(data: Uint8Array): Buffer {
  return Buffer.concat([data, createHash('sha256').update(data).digest()]);
}

/** The data of a stored entry, or undefined when its checksum does not match (a damaged entry). */
export function unseal(stored: Buffer): Buffer | undefined {
  if (stored.length < DIGEST_BYTES) return undefined;
  const data = stored.subarray(0, stored.length - DIGEST_BYTES);
  const digest = createHash('sha256').update(data).digest();
  return digest.equals(stored.subarray(stored.length - DIGEST_BYTES)) ? data : undefined;
}
