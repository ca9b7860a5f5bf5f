/**
 * The shape of src/ (DESIGN.md) beyond its imports: the arrows themselves (no cycle, formats apart,
 * layers below the formats free of them) are dependency-cruiser's rules in .dependency-cruiser.cjs,
 * checked by `npm run check`; unused exports and dependencies are knip's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sourceFiles(SRC);

describe('the shape of src/', () => {
  it('has a folder per format', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const format of ['epub', 'pdf', 'html'])
      expect(
        files.some((f) => f.includes(`/formats/${format}/`)),
        format,
      ).toBe(true);
  });

  it('lets only cli.ts print or exit', () => {
    const offenders = files.filter(
      (f) =>
        !f.endsWith('/cli.ts') &&
        /process\.(stdout|stderr)\.write|process\.exit\(|console\.(log|error|warn)/.test(
          readFileSync(f, 'utf8'),
        ),
    );
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
