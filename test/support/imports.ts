/**
 * What a source file loads, read by dependency-cruiser (the same reader `npm run check` uses for
 * the architecture rules), after TypeScript's compilation: `import type` loads nothing.
 */
import { cruise } from 'dependency-cruiser';
import { ROOT } from '../helpers.js';

interface Edge {
  resolved: string;
  dependencyTypes: string[];
  dynamic: boolean;
}

/** Every module loaded when `entries` are loaded, `import()` not followed: local files (relative to src/) and packages. */
export async function staticClosure(...entries: string[]): Promise<{ files: string[]; packages: string[] }> {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const result = await cruise(entries, {
      tsPreCompilationDeps: false,
      doNotFollow: { path: 'node_modules' },
      tsConfig: { fileName: 'tsconfig.json' },
    });
    if (typeof result.output === 'string') throw new Error('dependency-cruiser gave no modules');
    const edges = new Map<string, Edge[]>(
      result.output.modules.map((m) => [m.source, m.dependencies as unknown as Edge[]]),
    );
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (source: string): void => {
      if (files.has(source)) return;
      files.add(source);
      for (const edge of edges.get(source) ?? []) {
        if (edge.dynamic) continue;
        if (edge.dependencyTypes.includes('core')) continue;
        if (edge.dependencyTypes.includes('local')) visit(edge.resolved);
        else packages.add(edge.resolved.replace(/^node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1'));
      }
    };
    for (const entry of entries) visit(entry);
    if (files.size === 0) throw new Error(`no module read from ${entries.join(', ')}`);
    return {
      files: [...files].map((f) => f.replace(/^src\//, '')).sort(),
      packages: [...packages].sort(),
    };
  } finally {
    process.chdir(cwd);
  }
}
