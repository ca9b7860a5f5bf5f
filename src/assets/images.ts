import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { displayPath } from '../config/index.js';
import { decodeXml, escapeAttr } from '../markdown/xhtml.js';
import type { Article, Asset, Block, Diagnostic, DiagnosticCode, Segment } from '../model.js';
import { isInside, realpathOr } from '../paths.js';

/**
 * Finds the images an article's HTML refers to, confines them to the content folder,
 * repairs names that miss only by extension or case, and gives each a stable place in the
 * book (`images/<article>-<name>.<ext>`). Remote images are never fetched: they become a link.
 */
export interface ImageRegistry {
  contentDir: string;
  /** Real path of the file -> the asset. */
  byPath: Map<string, Asset>;
  hrefs: Set<string>;
}

export function createImageRegistry(contentDir: string): ImageRegistry {
  return { contentDir: realpathSync(contentDir), byPath: new Map(), hrefs: new Set() };
}

const IMG_TAG = /<img\b[^>]*?\/>/g;

/** Rewrites every `<img>` of the article to its asset href; returns the new article. */
export function localizeImages(article: Article, articleFile: string, registry: ImageRegistry, diagnostics: Diagnostic[]): Article {
  const shown = displayPath(articleFile);
  const rewriteSegment = (segment: Segment, line: number): Segment => {
    if (!segment.html.includes('<img')) return segment;
    const html = segment.html.replace(IMG_TAG, (tag) => rewriteImage(tag, { article, articleFile, shown, line, registry, diagnostics }));
    return { ...segment, html };
  };
  const blocks = mapSegments(article.blocks, rewriteSegment);
  return { ...article, blocks };
}

interface ImageContext {
  article: Article;
  articleFile: string;
  shown: string;
  line: number;
  registry: ImageRegistry;
  diagnostics: Diagnostic[];
}

function rewriteImage(tag: string, ctx: ImageContext): string {
  const src = decodeXml(attribute(tag, 'src') ?? '');
  const alt = decodeXml(attribute(tag, 'alt') ?? '');
  const warn = (code: DiagnosticCode, message: string) => ctx.diagnostics.push({ code, file: ctx.shown, line: ctx.line, severity: 'warning', message });
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    if (/^data:image\//i.test(src)) return tag;
    warn('image/remote', `remote image not fetched, shown as a link: ${src}`);
    return `<a class="remote-image" href="${escapeAttr(src)}">${escapeAttr(alt || src)}</a>`;
  }
  const found = findImageFile(src, dirname(ctx.articleFile), ctx.registry.contentDir);
  if (found.kind === 'outside') {
    warn('image/outside', `image outside the content folder left out: ${src}`);
    return missingImage(alt);
  }
  if (found.kind === 'missing') {
    warn('image/missing', `image not found: ${src}`);
    return missingImage(alt);
  }
  const mediaType = sniffImageType(found.path);
  if (!mediaType) {
    warn('image/unreadable', `not an image file (PNG, JPEG, GIF, WebP or SVG): ${src}`);
    return missingImage(alt);
  }
  if (found.repaired) warn('image/repaired', `image "${src}" not found; using "${relative(dirname(ctx.articleFile), found.path)}"`);
  const asset = registerAsset(ctx.registry, found.path, mediaType, ctx.article.id);
  return tag.replace(/\ssrc="[^"]*"/, ` src="${escapeAttr(asset.href)}"`);
}

type Found = { kind: 'file'; path: string; repaired: boolean } | { kind: 'missing' } | { kind: 'outside' };

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
  const entries = readdirSync(dir).filter((entry) => statSync(join(dir, entry)).isFile());
  const sameName = entries.find((entry) => entry.toLowerCase() === name);
  if (sameName) return join(dir, sameName);
  const sameStem = entries.find((entry) => {
    const ext = extname(entry).toLowerCase();
    return basename(entry, extname(entry)).toLowerCase() === stem && (ext === '' || IMAGE_EXTENSIONS.includes(ext));
  });
  return sameStem ? join(dir, sameStem) : undefined;
}

function registerAsset(registry: ImageRegistry, path: string, mediaType: string, articleId: string): Asset {
  const known = registry.byPath.get(path);
  if (known) return known;
  const stem = basename(path, extname(path)).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'image';
  const base = `images/${articleId.replace(/^a-/, '').slice(0, 24)}-${stem}`;
  const ext = EXTENSION_FOR[mediaType]!;
  let href = `${base}${ext}`;
  for (let n = 2; registry.hrefs.has(href.toLowerCase()); n++) href = `${base}-${n}${ext}`;
  const asset: Asset = { path, href, mediaType };
  registry.byPath.set(path, asset);
  registry.hrefs.add(href.toLowerCase());
  return asset;
}

const EXTENSION_FOR: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'image/avif': '.avif',
};

/** The media type from the file's first bytes: extensions in clipped articles are often wrong. */
export function sniffImageType(path: string): string | undefined {
  const head = Buffer.alloc(256);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, length);
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (bytes.subarray(4, 12).toString('latin1').match(/ftypavi[fs]/)) return 'image/avif';
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(bytes.toString('utf8'))) return 'image/svg+xml';
  return undefined;
}

function missingImage(alt: string): string {
  return `<span class="missing-image">${escapeAttr(alt ? `[${alt}]` : '')}</span>`;
}

function mapSegments(blocks: Block[], fn: (segment: Segment, line: number) => Segment): Block[] {
  return blocks.map((block): Block => {
    switch (block.kind) {
      case 'pair':
        return { ...block, original: fn(block.original, block.line), translation: fn(block.translation, block.line) };
      case 'single':
        return { ...block, segment: fn(block.segment, block.line) };
      case 'list':
        return { ...block, items: block.items.map((item) => ({ ...item, blocks: mapSegments(item.blocks, fn) })) };
      case 'quote':
        return { ...block, blocks: mapSegments(block.blocks, fn) };
    }
  });
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

function safeDecodeUri(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

