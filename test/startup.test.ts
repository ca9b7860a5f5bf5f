/**
 * Start-up: `anthology --version`, `--help` and `pairs` must not load the browser driver, image
 * and font tools or the writers: what cli.ts imports statically (not `import type`, not
 * `import()`) and what those import in turn, as dependency-cruiser reads them.
 */
import { describe, expect, it } from 'vitest';
import { staticClosure } from './support/imports.js';

describe('start-up', () => {
  it('cli.ts loads no package and none of the stages up front', async () => {
    const { files, packages } = await staticClosure('src/cli.ts');
    expect(packages).toEqual([]);
    // fs/cleanup.ts (node:fs only) is there for the signal handlers, which must exist from the start;
    // usage.ts and suggest.ts: the commands' options and help, and "did you mean" (node:util only)
    expect(files).toEqual([
      'cli.ts',
      'errors.ts',
      'fs/cleanup.ts',
      'fs/temporary-names.ts',
      'model.ts',
      'suggest.ts',
      'usage.ts',
    ]);
  });

  it('`pairs` loads neither the config schema nor any writer', async () => {
    const closure = await staticClosure('src/collect/index.ts', 'src/pairs/index.ts');
    const packages = new Set(closure.packages);
    const files = new Set(closure.files);
    for (const heavy of ['valibot', 'puppeteer-core', 'sharp', 'subset-font', 'handlebars', 'fflate'])
      expect(packages.has(heavy), heavy).toBe(false);
    // loaded on first use (src/lazy.ts): parse5 45 ms, smol-toml and picomatch a few each
    for (const lazy of ['parse5', 'smol-toml', 'picomatch']) expect(packages.has(lazy), lazy).toBe(false);
    expect(
      [...files].filter((f) =>
        /^(formats|assets|browser|theme|compile)\/|^build\.ts$|^config\/schema\.ts$/.test(f),
      ),
    ).toEqual([]);
  });
});
