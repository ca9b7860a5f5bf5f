#!/usr/bin/env node
/**
 * Copies the font faces the book uses from their fontsource packages into fonts/, with each
 * package's licence (SIL Open Font License 1.1), and writes fonts/faces.json, which
 * src/assets/fonts.ts reads. Run it when a font's version changes (`npm run vendor-fonts`); the
 * files it writes are committed.
 *
 * Why vendored: a fontsource package holds every weight of its family; Noto Serif SC's alone is
 * 87 MB installed (8 weights, each in woff and woff2), of which the book uses two weights in woff2,
 * 8 MB. Depending on the packages made an install of anthology 211 MB; fonts/ is 12 MB.
 *
 * Each package is fetched at its pinned version with `npm pack` (the registry's tarball, checked
 * against its integrity by npm) into a temporary folder; nothing else is read from the network.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'fonts');

/**
 * The faces the book uses: for each package, the fontsource CSS files (without `.css`) whose
 * @font-face rules we take, and `whole`, the weights of a file that holds a whole script at once
 * (font-subsets.ts makes the EPUB's Chinese subset from it: one font instead of a hundred slices).
 * The family names are the CSS names of FONT_FAMILIES in src/assets/fonts.ts.
 */
const PACKAGES = [
  {
    name: '@fontsource/noto-serif',
    version: '5.3.0',
    family: 'Noto Serif',
    css: ['400', '400-italic', '700', '700-italic'],
  },
  {
    name: '@fontsource/noto-serif-sc',
    version: '5.3.0',
    family: 'Noto Serif SC',
    css: ['400', '700'],
    whole: { script: 'chinese-simplified', weights: [400, 700] },
  },
  { name: '@fontsource/noto-sans-mono', version: '5.3.0', family: 'Noto Sans Mono', css: ['400', '700'] },
  { name: '@fontsource/noto-sans-symbols-2', version: '5.3.0', family: 'Noto Sans Symbols 2', css: ['400'] },
  // fontsource labels Noto Sans Math's one file "latin": its unicode-range is not the font's
  {
    name: '@fontsource/noto-sans-math',
    version: '5.3.0',
    family: 'Noto Sans Math',
    css: ['400'],
    dropUnicodeRange: true,
  },
  { name: '@fontsource/noto-emoji', version: '5.3.2', family: 'Noto Emoji', css: ['400', '700'] },
];

const work = mkdtempSync(join(tmpdir(), 'anthology-fonts-'));
try {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT);
  const faces = [];
  const wholeFiles = [];
  for (const pkg of PACKAGES) {
    const short = pkg.name.replace(/^@fontsource\//, '');
    const tarball = execFileSync(
      'npm',
      ['pack', '--silent', `${pkg.name}@${pkg.version}`, '--pack-destination', work],
      { encoding: 'utf8' },
    ).trim();
    const unpacked = join(work, short);
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', unpacked, '--strip-components=1']);
    const dir = join(OUT, short);
    mkdirSync(dir);
    cpSync(join(unpacked, 'LICENSE'), join(dir, 'LICENSE'));
    /** @param {string} file */
    const take = (file) => {
      cpSync(join(unpacked, 'files', file), join(dir, file));
      return `${short}/${file}`;
    };
    for (const cssName of pkg.css) {
      const css = readFileSync(join(unpacked, `${cssName}.css`), 'utf8');
      for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
        /** @param {string} key */
        const prop = (key) => new RegExp(`${key}\\s*:\\s*([^;]+);`).exec(block)?.[1]?.trim();
        const woff2 = /url\(\s*['"]?\.\/files\/([^'")]+\.woff2)['"]?\s*\)/.exec(block)?.[1];
        if (!woff2) continue;
        const range = pkg.dropUnicodeRange ? undefined : prop('unicode-range');
        faces.push({
          family: pkg.family,
          style: prop('font-style') === 'italic' ? 'italic' : 'normal',
          weight: Number(prop('font-weight') ?? 400),
          file: take(woff2),
          ...(range ? { unicodeRange: range } : {}),
        });
      }
    }
    const whole = pkg.whole;
    for (const weight of whole?.weights ?? []) {
      const file = `${short}-${whole?.script}-${weight}-normal.woff2`;
      wholeFiles.push({ family: pkg.family, style: 'normal', weight, file: take(file) });
    }
  }
  const manifest = {
    comment: 'Written by scripts/vendor-fonts.mjs: do not edit.',
    packages: PACKAGES.map(({ name, version }) => ({ name, version, license: 'OFL-1.1' })),
    faces,
    wholeFiles,
  };
  writeFileSync(join(OUT, 'faces.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  console.log(`fonts/: ${faces.length} faces and ${wholeFiles.length} whole-script files`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
