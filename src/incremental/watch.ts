/**
 * Watching a book for `anthology preview` and `anthology build --watch`: the book folder, and the
 * content and templates folders when they lie outside it (fs.watch, recursive: native on macOS and
 * Windows, walked by Node on Linux). Outputs, the build cache and hidden files (editors' swap
 * files, .git) are not the book and are ignored. Changes close together (an editor's save is
 * often several writes) are reported once, with every file that changed.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { cacheDirFor } from '../assets/cache.js';
import type { Config } from '../config/index.js';
import { isInside } from '../paths.js';

export const DEBOUNCE_MS = 25;

export interface BookWatcher {
  close(): void;
}

export function watchBook(config: Config, onChange: (files: string[]) => void, debounceMs = DEBOUNCE_MS): BookWatcher {
  const dirs = [config.bookDir, config.contentDir, config.templatesDir].filter((d): d is string => Boolean(d) && existsSync(d!));
  // A folder inside another watched one is watched through it.
  const roots = dirs.filter((d, i) => !dirs.some((o, j) => j !== i && isInside(d, o) && (d !== o || j < i)));
  const ignored = [config.outDir, cacheDirFor(config.bookDir)];
  let timer: NodeJS.Timeout | undefined;
  let pending: string[] = [];
  const watchers: FSWatcher[] = roots.map((dir) =>
    watch(dir, { recursive: true }, (_event, name) => {
      const rel = name?.toString() ?? '';
      const file = rel ? join(dir, rel) : dir;
      if (ignored.some((d) => isInside(file, d)) || /(^|[/\\])(\.[^/\\]*|node_modules)([/\\]|$)|\.tmp$|~$/.test(rel)) return;
      pending.push(file);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const changed = [...new Set(pending)];
        pending = [];
        onChange(changed);
      }, debounceMs);
    }),
  );
  return {
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
