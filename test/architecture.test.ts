/**
 * The shape of src/ (DESIGN.md): arrows point down only. Read from the import statements, so a
 * change that breaks the shape fails here, not in a review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const files = sourceFiles(SRC);
/** `formats/epub` for a file in a format's folder, else its top folder under src (`compile`), or the file (`cli.ts`). */
const unitOf = (file: string): string => {
  const parts = relative(SRC, file).split('/');
  if (parts[0] === 'formats' && parts.length > 2) return `formats/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : parts[0]!;
};
const imports = new Map<string, { local: string[]; packages: string[] }>();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]!);
  imports.set(file, {
    local: specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts'))),
    packages: specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:')),
  });
}
const edges = new Set<string>();
for (const [file, { local }] of imports) for (const target of local) if (unitOf(file) !== unitOf(target)) edges.add(`${unitOf(file)} -> ${unitOf(target)}`);
const dependsOn = (from: string) => [...edges].filter((e) => e.startsWith(`${from} -> `)).map((e) => e.split(' -> ')[1]!);

describe('the shape of src/', () => {
  it('has a folder per format', () => {
    for (const format of ['epub', 'pdf', 'html']) expect(files.some((f) => f.includes(`/formats/${format}/`)), format).toBe(true);
  });

  it('has no cycle between folders', () => {
    const units = [...new Set(files.map(unitOf))];
    const cycles: string[] = [];
    for (const start of units) {
      const seen = new Set<string>();
      const stack = [...dependsOn(start)];
      while (stack.length) {
        const next = stack.pop()!;
        if (next === start) cycles.push(start);
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(...dependsOn(next));
      }
    }
    expect(cycles).toEqual([]);
  });

  it('keeps formats apart: no format imports another (kepub may build on epub)', () => {
    const crossing = [...edges].filter((e) => /^formats\/(\w+) -> formats\/(\w+)$/.test(e) && e !== 'formats/kepub -> formats/epub');
    expect(crossing).toEqual([]);
  });

  it('keeps the stages below the formats free of them', () => {
    for (const lower of ['theme', 'assets', 'browser', 'markdown', 'bilingual', 'collect', 'config', 'compile', 'model.ts', 'walk.ts', 'paths.ts', 'errors.ts']) {
      expect(dependsOn(lower).filter((d) => d.startsWith('formats') || d === 'build.ts' || d === 'cli.ts'), lower).toEqual([]);
    }
  });

  it('lets only cli.ts print or exit', () => {
    const offenders = files.filter((f) => !f.endsWith('/cli.ts') && /process\.(stdout|stderr)\.write|process\.exit\(|console\.(log|error|warn)/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('uses every runtime dependency', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const used = new Set([...imports.values()].flatMap((i) => i.packages).map((p) => (p.startsWith('@') ? p.split('/').slice(0, 2).join('/') : p.split('/')[0]!)));
    // Font packages are read as files (require.resolve of their package.json), not imported.
    const fontsAsFiles = readFileSync(join(SRC, 'assets', 'fonts.ts'), 'utf8');
    const unused = Object.keys(pkg.dependencies).filter((dep) => !used.has(dep) && !fontsAsFiles.includes(`'${dep}'`));
    expect(unused).toEqual([]);
  });
});
