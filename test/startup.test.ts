/**
 * Start-up (issue 11): `anthology --version`, `--help` and `pairs` must not load the browser
 * driver, image and font tools or the writers. Read from the import statements: what cli.ts
 * imports statically (not `import type`, not `import()`) and what those import in turn.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SRC = join(ROOT, 'src');

/** Every module loaded when `file` is loaded: local files and packages, transitively; `import()` and `import type` excluded. */
function staticClosure(file: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (files.has(path)) return;
    files.add(path);
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(?!type\s)([^;]*?)\s+from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'/g)) {
      const spec = m[3] ?? m[4]!;
      // `import { type A, type B } from` loads nothing either
      if (m[2] && /^\{\s*(type\s+\w+\s*,?\s*)+\}$/.test(m[2])) continue;
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(path), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(file);
  return { files: [...files].map((f) => relative(SRC, f)).sort(), packages: [...packages].sort() };
}

describe('start-up', () => {
  it('cli.ts loads no package and none of the stages up front', () => {
    const { files, packages } = staticClosure(join(SRC, 'cli.ts'));
    expect(packages).toEqual([]);
    // cleanup.ts (node:fs only) is there for the signal handlers, which must exist from the start
    expect(files).toEqual(['cleanup.ts', 'cli.ts', 'errors.ts', 'model.ts']);
  });

  it('`pairs` loads neither the config schema nor any writer', () => {
    const closure = [staticClosure(join(SRC, 'collect', 'index.ts')), staticClosure(join(SRC, 'bilingual', 'report.ts'))];
    const packages = new Set(closure.flatMap((c) => c.packages));
    const files = new Set(closure.flatMap((c) => c.files));
    for (const heavy of ['valibot', 'puppeteer-core', 'sharp', 'subset-font', 'handlebars', 'fflate']) expect(packages.has(heavy), heavy).toBe(false);
    // loaded on first use (src/lazy.ts): parse5 45 ms, smol-toml and picomatch a few each
    for (const lazy of ['parse5', 'smol-toml', 'picomatch']) expect(packages.has(lazy), lazy).toBe(false);
    expect([...files].filter((f) => /^(formats|assets|browser|theme|compile)\/|^build\.ts$|^config\/schema\.ts$/.test(f))).toEqual([]);
  });
});
