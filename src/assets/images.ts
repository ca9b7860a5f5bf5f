import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { isInside, realpathOr } from '../fs/paths.js';
import type { Asset } from '../model.js';
import { readAssetBytes } from './check.js';

/**
 * Image files of the book: where a reference in an article leads (confined to the content folder,
 * repaired when it misses only by extension or letter case) and what kind of image a file is.
 */
export type Found =
  | { kind: 'file'; path: string; repaired: boolean }
  | { kind: 'missing' }
  | { kind: 'outside' };

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg', '.avif'];

/** The file a relative `src` names, or the one it misses only by extension or letter case. */
export function findImageFile(src: string, articleDir: string, contentDir: string): Found {
  const clean = safeDecodeUri(src.split(/[?#]/)[0]!);
  if (!clean || isAbsolute(clean)) return { kind: 'missing' };
  // Compare real paths, so a content folder reached through a symlink is still the book.
  const root = realpathOr(contentDir);
  const wanted = resolve(realpathOr(articleDir), clean);
  if (!isInside(wanted, root)) return { kind: 'outside' };
  const exact = existsSync(wanted) && statSync(wanted).isFile() ? wanted : undefined;
  const path = exact ?? nearMiss(wanted);
  if (!path) return { kind: 'missing' };
  // Symlinks must not lead out of the book either (compared as real paths on both sides).
  if (!isInside(realpathSync(path), root)) return { kind: 'outside' };
  return { kind: 'file', path: realpathSync(path), repaired: !exact };
}

function nearMiss(wanted: string): string | undefined {
  const dir = dirname(wanted);
  if (!existsSync(dir)) return undefined;
  const name = basename(wanted).toLowerCase();
  const stem = basename(wanted, extname(wanted)).toLowerCase();
  // a broken link or an entry we may not read is simply not the image
  const entries = readdirSync(dir).filter(
    (entry) => statSync(join(dir, entry), { throwIfNoEntry: false })?.isFile() ?? false,
  );
  const sameName = entries.find((entry) => entry.toLowerCase() === name);
  if (sameName) return join(dir, sameName);
  const sameStem = entries.find((entry) => {
    const ext = extname(entry).toLowerCase();
    return (
      basename(entry, extname(entry)).toLowerCase() === stem && (ext === '' || IMAGE_EXTENSIONS.includes(ext))
    );
  });
  return sameStem ? join(dir, sameStem) : undefined;
}

/** The file extension of each image type the book carries. */
export const EXTENSION_FOR: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'image/avif': '.avif',
};

/** The media type from the file's first bytes: extensions in clipped articles are often wrong. */
export function sniffImageType(path: string): string | undefined {
  const head = Buffer.alloc(1024); // room for an SVG's prologue (a DOCTYPE with entities)
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, length);
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  if (
    bytes
      .subarray(4, 12)
      .toString('latin1')
      .match(/ftypavi[fs]/)
  )
    return 'image/avif';
  if (
    /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>[]*(\[[^\]]*\]\s*)?>\s*)?<svg[\s>]/i.test(
      bytes.toString('utf8'),
    )
  )
    return 'image/svg+xml';
  return undefined;
}

function safeDecodeUri(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

/** Copies the book's images into `dir`, each at its href (for the print HTML beside them). */
export async function copyAssets(assets: readonly Asset[], dir: string): Promise<void> {
  for (const asset of assets) {
    const target = join(dir, asset.href);
    await mkdir(dirname(target), { recursive: true });
    // SVGs sanitised, like everywhere else (check.ts); other images as they are.
    if (asset.mediaType === 'image/svg+xml') await writeFile(target, await readAssetBytes(asset));
    else await copyFile(asset.path, target);
  }
}
