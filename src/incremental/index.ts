/**
 * Per-article results kept between builds (issue 11). An article's parse and pair results
 * (blocks, languages, diagnostics) are a pure function of its Markdown body, where the body
 * starts, the name diagnostics give its file, and anthology's own code. The article as the passes
 * leave it (compile/) also depends on its front matter and layouts, the book around it (every
 * article's file and id, which links lead to) and its image files, which compileBook checks by
 * their state on disk before it takes a kept one. Both are kept in memory (the preview and
 * `build --watch` rebuild in one process) and, for `anthology build`, in the build cache
 * (`articles/`, `compiled/`), so a build after one article's edit parses, pairs and passes only that one.
 *
 * "anthology's code" is a hash of the modules that do that work (as loaded: lib/*.js or
 * src/*.ts), not only package.json's version: a changed pairing rule or pass must never be
 * answered from an old entry, released or not.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { cacheKey, pruneFolder, seal, unseal } from '../assets/cache.js';
import { type ArticleBlocks, articleBlocks } from '../bilingual/index.js';
import type { CompiledArticle, CompiledStore } from '../compile/index.js';
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
type BlocksOf = (source: ArticleSource, file: string) => ArticleBlocks;

let codeHashValue: string | undefined;

/**
 * Defined by scripts/bundle.mjs in the bundle it makes (the installed package, which has no source
 * folders to read): a hash of the sources and the package versions it was made from.
 */
declare const ANTHOLOGY_BUNDLE_HASH: string | undefined;

/** The code that shapes a kept result: parsing and pairing, the passes and the checks they make, and the modules at the top (walk, paths, the model). */
const COMPILING_CODE = ['.', 'bilingual', 'markdown', 'collect', 'compile', 'assets'];

/** The packages whose behaviour a kept result depends on (Markdown, and HTML as a browser reads it), and Node's own (regular expressions' Unicode data, normalisation). */
const COMPILING_PACKAGES = ['marked', 'parse5'];

/** A package's installed version: its package.json, found upwards from its entry point. */
function installedVersion(name: string): string {
  try {
    for (
      let dir = dirname(createRequire(import.meta.url).resolve(name));
      dir !== dirname(dir);
      dir = dirname(dir)
    ) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? '?';
    }
  } catch {
    // not found: the key then says so
  }
  return '?';
}

/** A hash of the code that parses, pairs and compiles, read once per process. */
export function codeHash(): string {
  if (codeHashValue) return codeHashValue;
  const here = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  const { node, v8, icu, unicode } = process.versions;
  hash.update(
    JSON.stringify({
      node,
      v8,
      icu,
      unicode,
      packages: COMPILING_PACKAGES.map((name) => `${name}@${installedVersion(name)}`),
    }),
  );
  // The installed package is one bundle (scripts/bundle.mjs), which carries the hash of what it was made from.
  if (typeof ANTHOLOGY_BUNDLE_HASH === 'string') hash.update(ANTHOLOGY_BUNDLE_HASH);
  else
    for (const folder of COMPILING_CODE) {
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
  return cacheKey(ENTRY_FORMAT, codeHash(), file, String(source.bodyLine), source.body);
}

/**
 * Entries are in V8's serialization format, not JSON: read three times as fast (the corpus's 40
 * compiled articles, 4 MB: 13 ms against 40). Sealed with their SHA-256 as the build cache's are
 * (assets/cache.ts): an entry damaged, or written by another V8, fails to read and is made again.
 */
const ENTRY_EXTENSION = '.v8';

/** Kept results in memory, shared by every rebuild of one process: parse results and compiled articles, by their keys. */
export type ArticleMemory = Map<string, ArticleBlocks | CompiledArticle>;

/** Freezes a result, deep: what is kept is shared between rebuilds, so nothing may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** What compileBook takes: the parse of an article, and the store of compiled articles. */
export interface ArticleCache {
  blocksOf: BlocksOf;
  compiled: CompiledStore;
  stats: ArticleCacheStats;
  /** After a build: forgets from memory what it did not use, and removes from disk what it did not use and no build has for weeks (assets/cache.ts pruneFolder). */
  prune(): Promise<void>;
}

/**
 * A cache of article results: in `memory` (a Map the caller keeps across rebuilds, or a new
 * one), and on disk under `<dir>/articles/` (parse results) and `<dir>/compiled/` (articles as the
 * passes left them) when `dir` is given. Results are frozen and shared, not copied (a rebuild of
 * the corpus would otherwise spend its time making garbage): the passes make new values and never
 * change old ones.
 */
export function openArticleCache(options: { dir?: string; memory?: ArticleMemory } = {}): ArticleCache {
  const memory: ArticleMemory = options.memory ?? new Map();
  const stats: ArticleCacheStats = { hits: 0, parsed: 0 };
  // what this build used, as `<kind>/<key>`: kept in memory and on disk, the rest pruned
  const used = new Set<string>();
  const kept = <T extends ArticleBlocks | CompiledArticle>(kind: 'articles' | 'compiled') => {
    const folder = options.dir ? join(options.dir, kind) : undefined;
    return {
      get(key: string): T | undefined {
        used.add(`${kind}/${key}`);
        const inMemory = memory.get(`${kind}/${key}`) as T | undefined;
        if (inMemory || !folder) return inMemory;
        try {
          const data = unseal(readFileSync(join(folder, `${key}${ENTRY_EXTENSION}`)));
          const found = data && (deepFreeze(deserialize(data)) as T);
          // into memory too: the next rebuild of this process finds it there
          if (found) memory.set(`${kind}/${key}`, found);
          return found;
        } catch {
          return undefined; // missing, damaged or of another V8: made again and replaced
        }
      },
      put(key: string, value: T): void {
        used.add(`${kind}/${key}`);
        memory.set(`${kind}/${key}`, deepFreeze(value));
        if (!folder) return;
        try {
          mkdirSync(folder, { recursive: true });
          const file = join(folder, `${key}${ENTRY_EXTENSION}`);
          const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
          writeFileSync(temp, seal(serialize(value)));
          renameSync(temp, file);
        } catch {
          // A cache that cannot be written (a read-only book folder) only costs time.
        }
      },
    };
  };
  const parses = kept<ArticleBlocks>('articles');
  const compiledArticles = kept<CompiledArticle>('compiled');
  const blocksOf: BlocksOf = (source, file) => {
    const key = entryKey(source, file);
    const found = parses.get(key);
    if (found) {
      stats.hits++;
      return found;
    }
    const result = articleBlocks(source, { file });
    stats.parsed++;
    parses.put(key, result);
    return result;
  };
  const compiled: CompiledStore = {
    version: codeHash(),
    get(key, article, usable) {
      // the article's parse is kept too: the next build may need it (when the book around it changes)
      used.add(`articles/${entryKey(article.source, article.file)}`);
      const found = compiledArticles.get(key);
      if (!found || !usable(found)) return undefined;
      stats.hits++;
      return found;
    },
    put: (key, article) => compiledArticles.put(key, article),
  };
  const prune = async () => {
    // memory holds this build's entries only: a preview open for a day of edits would otherwise keep every version
    for (const key of memory.keys()) if (!used.has(key)) memory.delete(key);
    for (const kind of ['articles', 'compiled'] as const) {
      const names = new Set(
        [...used]
          .filter((k) => k.startsWith(`${kind}/`))
          .map((k) => `${k.slice(kind.length + 1)}${ENTRY_EXTENSION}`),
      );
      if (options.dir) await pruneFolder(join(options.dir, kind), names);
    }
  };
  return { blocksOf, compiled, stats, prune };
}
