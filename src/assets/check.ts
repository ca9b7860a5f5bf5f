/**
 * Image checks before an image goes into the book: its size read from its own header within a
 * pixel limit (a 100000x100000 PNG is 40 GB once decoded), its structure walked to the end (a
 * truncated download shows half a picture, or nothing, on a reader), and an SVG sanitised
 * (svg.ts). The walks read chunk and segment headers only, never decode pixels, so they take
 * time linear in the file and no memory beyond it; they run in the compile stage, for every format.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Asset } from '../model.js';
import { sanitizeSvg } from './svg.js';

/** The most pixels an image may have: sharp's own default limit (0x3FFF squared, about 268 MP). */
const MAX_IMAGE_PIXELS = 0x3fff * 0x3fff;

/** The largest image file taken at all (a book's photographs are a few MB each). */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

export type ImageCheck =
  | { ok: true; width?: number; height?: number /** what the SVG sanitiser took out */; removed?: string[] }
  | { ok: false; reason: string };

/** Checks the image file at `path`, whose type was sniffed from its bytes. */
export function checkImageFile(path: string, mediaType: string, size: number): ImageCheck {
  if (size > MAX_IMAGE_BYTES)
    return {
      ok: false,
      reason: `the file is ${Math.round(size / 1024 / 1024)} MB, over the limit of ${MAX_IMAGE_BYTES / 1024 / 1024} MB`,
    };
  return checkImage(readFileSync(path), mediaType);
}

export function checkImage(data: Uint8Array, mediaType: string): ImageCheck {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (mediaType === 'image/svg+xml') {
    const { svg, removed } = sanitizeSvg(bytes);
    return svg ? { ok: true, removed } : { ok: false, reason: 'no SVG image in the file' };
  }
  const walk = WALKS[mediaType];
  if (!walk) return { ok: true }; // AVIF: left to sharp, which converts it with its own pixel limit
  const found = walk(bytes);
  if (typeof found === 'string') return { ok: false, reason: found };
  const { width, height } = found;
  if (width === 0 || height === 0) return { ok: false, reason: 'the image has no pixels' };
  if (width * height > MAX_IMAGE_PIXELS) {
    return {
      ok: false,
      reason: `the image is ${width}x${height} pixels, over the limit of ${Math.round(MAX_IMAGE_PIXELS / 1e6)} megapixels`,
    };
  }
  return { ok: true, width, height };
}

/**
 * The bytes of an asset as they go into any output: an SVG sanitised (the compile stage already
 * warned about what it removes), every other image as it is on disk.
 */
export async function readAssetBytes(asset: Pick<Asset, 'path' | 'mediaType'>): Promise<Buffer> {
  const data = await readFile(asset.path);
  if (asset.mediaType !== 'image/svg+xml') return data;
  return Buffer.from(sanitizeSvg(data).svg ?? '', 'utf8');
}

interface Dimensions {
  width: number;
  height: number;
}

/** Each format's structure walk: the image's size, or why it cannot be used. */
const WALKS: Record<string, (bytes: Buffer) => Dimensions | string> = {
  'image/png': (b) => walkPng(b),
  'image/jpeg': (b) => walkJpeg(b),
  'image/gif': (b) => walkGif(b),
  'image/webp': (b) => walkWebp(b),
};

const TRUNCATED = 'the file is truncated (it ends before the image does)';

/** PNG: signature, then chunks (length, type, data, CRC) up to IEND; the size is in IHDR. */
function walkPng(b: Buffer): Dimensions | string {
  if (b.length < 33 || b.toString('latin1', 12, 16) !== 'IHDR') return TRUNCATED;
  const dims = { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  let at = 8;
  while (at + 8 <= b.length) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    at += 12 + length;
    if (at > b.length) return TRUNCATED;
    if (type === 'IEND') return dims;
  }
  return TRUNCATED;
}

/**
 * JPEG: marker segments up to each start of scan, then the entropy-coded data up to the next
 * marker (FF00 is a stuffed byte, FFD0-FFD7 restart markers), until the end-of-image marker.
 * The size is in the first start-of-frame segment.
 */
function walkJpeg(b: Buffer): Dimensions | string {
  let dims: Dimensions | undefined;
  let at = 2;
  while (at < b.length) {
    if (b[at] !== 0xff) return 'the file is damaged (a JPEG marker is missing)';
    const marker = b[at + 1];
    if (marker === undefined) return TRUNCATED;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9) return dims ?? 'the JPEG has no frame';
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (at + 4 > b.length) return TRUNCATED;
    const length = b.readUInt16BE(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && !dims) {
      if (at + 9 > b.length) return TRUNCATED;
      dims = { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    }
    at += 2 + length;
    if (at > b.length) return TRUNCATED;
    if (marker === 0xda) {
      // Entropy-coded data: on to the next real marker (indexOf: a photo's scan is megabytes).
      for (;;) {
        at = b.indexOf(0xff, at);
        if (at === -1 || at + 1 >= b.length) return TRUNCATED;
        const next = b[at + 1]!;
        if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
        at++;
      }
    }
  }
  return TRUNCATED;
}

/** GIF: header, logical screen, optional colour table, then blocks up to the trailer (0x3B). */
function walkGif(b: Buffer): Dimensions | string {
  if (b.length < 13) return TRUNCATED;
  const dims = { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  let at = 13 + colourTable(b[10]!);
  const subBlocks = (): boolean => {
    while (at < b.length) {
      const size = b[at]!;
      at += 1 + size;
      if (size === 0) return at <= b.length;
    }
    return false;
  };
  while (at < b.length) {
    const kind = b[at];
    if (kind === 0x3b) return dims;
    if (kind === 0x21) {
      at += 2; // extension introducer and label
      if (!subBlocks()) return TRUNCATED;
    } else if (kind === 0x2c) {
      if (at + 10 > b.length) return TRUNCATED;
      at += 10 + colourTable(b[at + 9]!) + 1; // descriptor, local table, LZW minimum code size
      if (!subBlocks()) return TRUNCATED;
    } else {
      return 'the file is damaged (an unknown GIF block)';
    }
  }
  return TRUNCATED;
}

function colourTable(flags: number): number {
  return flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0;
}

/** WebP: the RIFF length must fit in the file; the size is in VP8X, VP8L or VP8. */
function walkWebp(b: Buffer): Dimensions | string {
  if (b.length < 30) return TRUNCATED;
  if (b.readUInt32LE(4) + 8 > b.length) return TRUNCATED;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ') return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  return 'the file is damaged (an unknown WebP chunk)';
}
