#!/usr/bin/env node
/**
 * Makes what the npm package ships as its code (run by `prepack`, after `npm run build`):
 * bundle/cli.js (the `anthology` command) and bundle/index.js (the API), with the packages they
 * use inlined by esbuild, split into chunks at each `import()` so that a command loads only what
 * it runs (`--version` loads no browser driver).
 *
 * Why a bundle: installed as packages, the browser driver alone brings 50 MB (puppeteer-core's
 * three builds of itself, chromium-bidi's three, proxy and archive packages for downloading
 * browsers, which anthology never does); the bundle holds the code that runs, 5 MB.
 *
 * What stays a package (package.json `dependencies`, installed by npm beside the bundle): native
 * code and WebAssembly that find their files next to themselves (sharp, subset-font), and the
 * packages loaded on first use with a `require` that esbuild cannot follow (src/lazy.ts: parse5,
 * picomatch, smol-toml, hyphen; Handlebars' runtime or compiler in theme/templates.ts).
 * Everything else src/ imports is a devDependency, inlined here (test/package.test.ts checks both).
 * No source maps: a stack trace names the bundle's own readable, unminified lines.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bundle');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** What the bundle is made of: the sources and the exact versions of the packages it inlines. */
function sourceHash() {
  const hash = createHash('sha256');
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        hash.update(`${path.slice(ROOT.length)}\0`);
        hash.update(readFileSync(path));
      }
    }
  };
  walk(join(ROOT, 'src'));
  hash.update(readFileSync(join(ROOT, 'package-lock.json')));
  return hash.digest('hex');
}

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [join(ROOT, 'src', 'cli.ts'), join(ROOT, 'src', 'index.ts')],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: `node${pkg.engines.node.replace(/^>=/, '')}`,
  external: Object.keys(pkg.dependencies),
  define: { ANTHOLOGY_BUNDLE_HASH: JSON.stringify(sourceHash()) },
  // The CommonJS packages inlined (ws, debug) `require` Node's modules, which an ES module lacks.
  banner: {
    js: "import { createRequire as __anthologyRequire } from 'node:module';\nconst require = __anthologyRequire(import.meta.url);",
  },
  legalComments: 'eof',
  logLevel: 'warning',
});
// theme/templates.ts looks for the precompiled templates beside itself, which is here now.
copyFileSync(join(ROOT, 'lib', 'theme', 'builtin-templates.cjs'), join(OUT, 'builtin-templates.cjs'));
console.log(`bundled into bundle/: ${readdirSync(OUT).length} files`);
