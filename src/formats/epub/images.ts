/**
 * The e-reader image profile: every image of the book made fit for an e-reader, with sharp.
 *
 * - `optimized` (the default): scaled to at most 1600 px on the long side, recompressed
 *   (JPEG with mozjpeg, PNG with a quantised palette), and formats that EPUB 3.2 readers need not
 *   show (WebP, AVIF, TIFF) converted. Transparent pixels are flattened onto white: a reading
 *   system's night mode puts the page on black, where black line art on a transparent ground
 *   vanishes. An animated GIF becomes its first frame, as a PNG (or a JPEG when that is far
 *   smaller): e-ink shows one frame anyway, and whole GIFs were 40% of a book's size.
 *   A recompressed image that comes out larger than its source keeps the source, when the source
 *   was already fit (opaque, one frame, not too large).
 * - `original`: JPEG, PNG, GIF and SVG files go in byte for byte; only WebP and AVIF are converted
 *   (losslessly to PNG when transparent, else to a high-quality JPEG), at their own size, since
 *   an EPUB 3.2 reading system may not show them and epubcheck wants a fallback for them.
 *
 * Results are cached by the source's bytes and the settings (see cache.ts), and found again by the
 * source file's state on disk, so a warm build reads only the results.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type Cache, cacheKey, fileState } from '../../assets/cache.js';
import { readAssetBytes } from '../../assets/check.js';
import type { Asset } from '../../model.js';

export type ImageProfile = 'optimized' | 'original';

const MAX_IMAGE_SIDE = 1600;
const JPEG_QUALITY = 80;
const JPEG_QUALITY_ORIGINAL = 92;
/** Bump when the processing below changes, so cached results are not reused (3: flattened, GIFs still). */
const PROFILE_VERSION = '3';

/** An image as it goes into the EPUB. */
export interface EpubImage {
  /** The asset's href in the book before processing (what the rendered XHTML refers to). */
  sourceHref: string;
  href: string;
  mediaType: string;
  data: Uint8Array;
}

const CORE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/svg+xml']);
const EXT: Record<string, string> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'image/gif': '.gif' };
const MEDIA_TYPE: Record<string, string> = Object.fromEntries(
  Object.entries(EXT).map(([type, ext]) => [ext, type]),
);

/**
 * What each image file was found to be in earlier builds, by the file's state on disk (size, times,
 * inode): the key of its result, and the result's extension ('' for "the source as it is"). A
 * warm build then reads only the results, not every source in full to hash it (the corpus's
 * sources are 26 MB, read and hashed in every build for results of 8 MB).
 */
type SeenFiles = Record<string, { stamp: string; key: string; ext: string }>;
const SEEN_FILES = 'seen-files';

/** Processes every asset (in parallel, a few at a time); the result keeps the assets' order. */
export async function prepareEpubImages(
  assets: Asset[],
  profile: ImageProfile,
  cache: Cache,
  onProgress?: (done: number, total: number) => void,
): Promise<EpubImage[]> {
  const results: EpubImage[] = new Array(assets.length);
  const stored = await cache.get('images', SEEN_FILES, '.json');
  let seen: SeenFiles = {};
  try {
    seen = stored ? (JSON.parse(stored.toString('utf8')) as SeenFiles) : {};
  } catch {
    // an entry of an older shape: made again
  }
  const before = JSON.stringify(seen);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < assets.length) {
      const index = next++;
      results[index] = await prepareImage(assets[index]!, profile, cache, seen);
      onProgress?.(++done, assets.length);
    }
  };
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  await Promise.all(Array.from({ length: workers }, worker));
  const after = JSON.stringify(seen);
  if (after !== before) await cache.put('images', SEEN_FILES, '.json', Buffer.from(after, 'utf8'));
  // Converted images change extension: keep hrefs unique (case-folded) among all of them.
  const taken = new Set<string>();
  for (const image of results) {
    let href = image.href;
    const dot = href.lastIndexOf('.');
    for (let n = 2; taken.has(href.toLowerCase()); n++)
      href = `${image.href.slice(0, dot)}-${n}${image.href.slice(dot)}`;
    taken.add(href.toLowerCase());
    image.href = href;
  }
  return results;
}

async function prepareImage(
  asset: Asset,
  profile: ImageProfile,
  cache: Cache,
  seen: SeenFiles,
): Promise<EpubImage> {
  const keep = (source: Buffer): EpubImage => ({
    sourceHref: asset.href,
    href: asset.href,
    mediaType: asset.mediaType,
    data: source,
  });
  // SVGs come sanitised (no scripts, nothing fetched from outside) in every image mode.
  if (asset.mediaType === 'image/svg+xml') return keep(await readAssetBytes(asset));
  if (profile === 'original' && CORE_TYPES.has(asset.mediaType)) return keep(await readAssetBytes(asset));

  const file = `${PROFILE_VERSION}\0${profile}\0${asset.mediaType}\0${asset.path}`;
  const stamp = fileState(await stat(asset.path));
  const known = seen[file]?.stamp === stamp ? seen[file] : undefined;
  if (known?.ext === '') return keep(await readAssetBytes(asset));
  const knownResult = known && (await cache.get('images', known.key, known.ext));
  if (knownResult?.length) return withType(asset, knownResult, MEDIA_TYPE[known!.ext]!);

  const source = await readAssetBytes(asset);
  const key = cacheKey(PROFILE_VERSION, profile, asset.mediaType, source);
  const remember = (ext: string) => (seen[file] = { stamp, key, ext });
  for (const mediaType of ['image/jpeg', 'image/png', 'image/gif']) {
    const hit = await cache.get('images', key, EXT[mediaType]!);
    if (!hit) continue;
    remember(hit.length === 0 ? '' : EXT[mediaType]!);
    return hit.length === 0 ? keep(source) : withType(asset, hit, mediaType);
  }
  let processed: { data: Uint8Array; mediaType: string } | undefined;
  try {
    processed = await processImage(source, asset.mediaType, profile);
  } catch {
    processed = undefined; // an image sharp cannot read goes in as it is (it was sniffed as an image)
  }
  const gained =
    processed &&
    !(
      processed.mediaType === asset.mediaType &&
      processed.data.length >= source.length &&
      (await fits(source))
    );
  // (fits() is false for a transparent or animated source, so those are never kept as they were)
  if (processed && (gained || !CORE_TYPES.has(asset.mediaType))) {
    await cache.put('images', key, EXT[processed.mediaType]!, processed.data);
    remember(EXT[processed.mediaType]!);
    return withType(asset, processed.data, processed.mediaType);
  }
  // Nothing gained: remembered as an empty entry, which means "the source as it is".
  if (processed && CORE_TYPES.has(asset.mediaType)) {
    await cache.put('images', key, EXT[asset.mediaType]!, new Uint8Array());
    remember('');
  }
  return keep(source);
}

function withType(asset: Asset, data: Uint8Array, mediaType: string): EpubImage {
  const href =
    mediaType === asset.mediaType ? asset.href : asset.href.replace(/\.[A-Za-z0-9]+$/, '') + EXT[mediaType]!;
  return { sourceHref: asset.href, href, mediaType, data };
}

/** Whether a source may go in as it is in the e-reader profile: small enough, one frame, opaque. */
async function fits(data: Uint8Array): Promise<boolean> {
  const { default: sharp } = await import('sharp');
  const meta = await sharp(data).metadata();
  if (Math.max(meta.width ?? 0, meta.pageHeight ?? meta.height ?? 0) > MAX_IMAGE_SIDE) return false;
  if ((meta.pages ?? 1) > 1) return false;
  return (await sharp(data, { failOn: 'none' }).stats()).isOpaque;
}

async function processImage(
  source: Uint8Array,
  mediaType: string,
  profile: ImageProfile,
): Promise<{ data: Uint8Array; mediaType: string }> {
  const { default: sharp } = await import('sharp');
  const optimize = profile === 'optimized';
  // (`original` never gets here with a GIF: it keeps GIFs byte for byte, animation and all.)
  // sharp reads the first frame of an animated image unless asked for more: a GIF becomes a still.
  let image = sharp(source, { failOn: 'none' }).rotate(); // EXIF orientation applied, then dropped
  if (optimize)
    image = image.resize({
      width: MAX_IMAGE_SIDE,
      height: MAX_IMAGE_SIDE,
      fit: 'inside',
      withoutEnlargement: true,
    });
  const transparent = !(await sharp(source, { failOn: 'none' }).stats()).isOpaque;
  // A transparent image is line art or a logo: it stays a PNG, on white in the e-reader profile.
  if (optimize) image = image.flatten({ background: '#ffffff' });
  const target =
    mediaType === 'image/jpeg' || (mediaType !== 'image/png' && mediaType !== 'image/gif' && !transparent)
      ? 'image/jpeg'
      : 'image/png';
  if (target === 'image/jpeg') {
    const data = await image
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: optimize ? JPEG_QUALITY : JPEG_QUALITY_ORIGINAL, mozjpeg: true, progressive: false })
      .toBuffer();
    return { data, mediaType: target };
  }
  if (!optimize)
    return { data: await image.png({ compressionLevel: 9, effort: 7 }).toBuffer(), mediaType: target };
  const data = await image
    .clone()
    .png({ palette: true, quality: 90, effort: 7, compressionLevel: 9 })
    .toBuffer();
  if (optimize || !transparent) {
    // An opaque PNG that is really a photograph is far smaller as a JPEG; a screenshot is not.
    const jpeg = await image
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
      .toBuffer();
    if (jpeg.length < data.length / 2) return { data: jpeg, mediaType: 'image/jpeg' };
  }
  return { data, mediaType: target };
}
