/**
 * Packages loaded on first use, synchronously, instead of when the module that uses them is
 * imported: for start-up (issue 11: `anthology pairs` in under 0.2 s), where a package takes
 * milliseconds to tens of them to load and only some paths need it (parse5, 45 ms, only for the
 * HTML the fast path of toXhtml cannot read). `require` of an ES module (parse5) works unflagged
 * from Node 20.19 (package.json engines); a package with a CommonJS build gets that build.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function that returns package `name`, loading it on its first call. */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
