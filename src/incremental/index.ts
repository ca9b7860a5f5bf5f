/**
 * Per-article results kept between builds (issue 11): an article's parse and pair results
 * (blocks, languages, diagnostics) are a pure function of its Markdown body, where the body
 * starts, the name diagnostics give its file, and anthology's own code. Keyed by all four, they
 * are kept in memory (the preview and `build --watch` rebuild in one process) and, for
 * `anthology build`, in the build cache's `articles/` folder, so a build after one article's
 * edit parses and pairs only that one.
 *
 * "anthology's code" is a hash of the modules that do the parsing and pairing (bilingual/ and
 * markdown/, as loaded: lib/*.js or src/*.ts), not only package.json's version: a changed
 * pairing rule must never be answered from an old entry, released or not.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { articleBlocks, type ArticleBlocks } from '../bilingual/index.js';
import type { ArticleSource } from '../model.js';

/** Bumped when the shape of a stored entry changes. */
const ENTRY_FORMAT = 'article-blocks/1';

export interface ArticleCacheStats {
  /** Articles answered from memory or disk. */
  hits: number;
  /** Articles parsed and paired. */
  parsed: number;
}

/** What compileBook calls for each article: parse and pair, or the kept result. */
export type BlocksOf = (source: ArticleSource, file: string) => ArticleBlocks;

export interface ArticleCache {
  blocksOf: BlocksOf;
  stats: ArticleCacheStats;
}

let codeHashValue: string | undefined;

/** A hash of the parsing and pairing code, read once per process. */
export function codeHash(): string {
  if (codeHashValue) return codeHashValue;
  const here = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const folder of ['bilingual', 'markdown']) {
    const dir = join(here, '..', folder);
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(js|ts)$/.test(name) || name.endsWith('.d.ts')) continue;
      hash.update(`${folder}/${name}\0`);
      hash.update(readFileSync(join(dir, name)));
    }
  }
  codeHashValue = hash.digest('hex');
  return codeHashValue;
}

function entryKey(source: ArticleSource, file: string): string {
  const hash = createHash('sha256');
  for (const part of [ENTRY_FORMAT, codeHash(), file, String(source.bodyLine), source.body]) hash.update(`${part.length}:`).update(part);
  return hash.digest('hex').slice(0, 40);
}

/** Kept results in memory: shared by every rebuild of one process. */
export type ArticleMemory = Map<string, ArticleBlocks>;

/** Freezes a result, deep: what is kept is shared between rebuilds, so nothing may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * A cache of article results: in `memory` (a Map the caller keeps across rebuilds, or a new
 * one), and on disk under `<dir>/articles/` when `dir` is given. Results are frozen and shared,
 * not copied (a rebuild of the corpus would otherwise spend its time making garbage): the passes
 * make new values and never change old ones.
 */
export function openArticleCache(options: { dir?: string; memory?: ArticleMemory } = {}): ArticleCache {
  const memory = options.memory ?? new Map<string, ArticleBlocks>();
  const folder = options.dir ? join(options.dir, 'articles') : undefined;
  const stats: ArticleCacheStats = { hits: 0, parsed: 0 };
  const fromDisk = (key: string): ArticleBlocks | undefined => {
    if (!folder) return undefined;
    try {
      return JSON.parse(readFileSync(join(folder, `${key}.json`), 'utf8')) as ArticleBlocks;
    } catch {
      return undefined; // missing, or damaged: parsed again and replaced
    }
  };
  const toDisk = (key: string, result: ArticleBlocks) => {
    if (!folder) return;
    try {
      mkdirSync(folder, { recursive: true });
      const file = join(folder, `${key}.json`);
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temp, JSON.stringify(result));
      renameSync(temp, file);
    } catch {
      // A cache that cannot be written (a read-only book folder) only costs time.
    }
  };
  const blocksOf: BlocksOf = (source, file) => {
    const key = entryKey(source, file);
    const kept = memory.get(key) ?? fromDisk(key);
    if (kept) {
      stats.hits++;
      memory.set(key, deepFreeze(kept));
      return kept;
    }
    const result = deepFreeze(articleBlocks(source, { file }));
    stats.parsed++;
    memory.set(key, result);
    toDisk(key, result);
    return result;
  };
  return { blocksOf, stats };
}
