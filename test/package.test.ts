/**
 * The npm package as a user gets it: packed (`npm pack`, which runs `prepack`), installed
 * globally into a prefix of its own from the tarball, then run from an empty folder outside the
 * clone, as the README's Install section says.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../src/browser/index.js';
import { ROOT, tempDir } from './helpers.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `parse5` for `parse5`, `hyphen` for `hyphen/en-us/index.js`, `@scope/x` for `@scope/x/y`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('the npm package', () => {
  it('lists as dependencies the packages src/ loads with a require the bundler cannot follow', () => {
    const required = new Set<string>();
    for (const file of filesUnder(join(ROOT, 'src')).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:require|lazyPackage<[^>]*>)\(\s*'([^'.][^']*)'\s*\)/g))
        required.add(packageOf(m[1]!));
    }
    expect([...required].sort()).toEqual(['handlebars', 'hyphen', 'parse5', 'picomatch', 'smol-toml']);
    for (const name of required) expect(pkg.dependencies, name).toHaveProperty(name);
  });

  describe('installed from its tarball', () => {
    const work = tempDir('anthology-package-');
    const prefix = join(work, 'prefix');
    const command = join(prefix, 'bin', Object.keys(pkg.bin)[0]!);
    const installed = join(prefix, 'lib', 'node_modules', pkg.name);
    let installLog = '';

    beforeAll(async () => {
      // A clone's files (what git has, and what it would add), its node_modules linked: packing
      // builds lib/ and bundle/ there, not under the feet of the tests that read this clone's lib/.
      const clone = join(work, 'clone');
      const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
        cwd: ROOT,
        maxBuffer: 1 << 26,
      });
      for (const file of listed.stdout.split('\0').filter(Boolean)) {
        if (!existsSync(join(ROOT, file))) continue; // deleted, not yet committed
        mkdirSync(dirname(join(clone, file)), { recursive: true });
        copyFileSync(join(ROOT, file), join(clone, file));
      }
      symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
      // `npm pack` runs `prepack`: the TypeScript build and the bundle
      const packed = await run('npm', ['pack', '--pack-destination', work], {
        cwd: clone,
        maxBuffer: 1 << 26,
      });
      const tarball = join(work, packed.stdout.trim().split('\n').at(-1)!);
      // the packages come from npm's cache, which installing the clone filled
      const install = await run(
        'npm',
        ['install', '--global', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball],
        { cwd: work, maxBuffer: 1 << 26 },
      );
      installLog = install.stdout + install.stderr;
    }, 300_000);
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('runs no install script of ours, and says nothing about one', () => {
      expect(installLog).not.toMatch(/install-scripts|allowScripts|allow-scripts/);
      const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
      for (const script of ['preinstall', 'install', 'postinstall', 'prepare'])
        expect(manifest.scripts ?? {}, script).not.toHaveProperty(script);
    });

    it('ships a LICENSE, no source map, and takes at most 70 MB with everything it installs', () => {
      expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
      const ours = filesUnder(installed).filter((f) => !f.includes('/node_modules/'));
      expect(ours.filter((f) => f.endsWith('.map'))).toEqual([]);
      expect(ours.filter((f) => /sourceMappingURL/.test(readFileSync(f, 'latin1')))).toEqual([]);
      const bytes = filesUnder(prefix).reduce((sum, f) => sum + statSync(f).size, 0);
      expect(bytes / 1024 / 1024).toBeLessThan(70);
    });

    it('prints its version from any folder', async () => {
      const { stdout } = await run(command, ['--version'], { cwd: work });
      expect(stdout.trim()).toBe(pkg.version);
    });

    it.skipIf(!chromiumAvailable())(
      'makes and builds a book in an empty folder outside the clone',
      async () => {
        const folder = join(work, 'user');
        mkdirSync(folder);
        await run(command, ['new', 'b'], { cwd: folder });
        const built = await run(command, ['build', 'b'], { cwd: folder });
        expect(built.stdout).toMatch(/wrote b\/dist\/b\.pdf/);
        expect(built.stdout).toMatch(/wrote b\/dist\/b\.epub/);
        for (const file of ['b.epub', 'b.pdf'])
          expect(existsSync(join(folder, 'b', 'dist', file))).toBe(true);
      },
      120_000,
    );
  });
});
