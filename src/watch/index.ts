/**
 * Watching a book for `anthology preview` and `anthology build --watch`: the book folder, and the
 * content and templates folders when they lie outside it. Outputs, the build cache and hidden
 * files (editors' swap files, .git) are not the book and are ignored. Changes close together (an
 * editor's save is often several writes) are reported once, with every file that changed.
 *
 * On Linux each folder is watched itself (inotify on folders: a change to any file in it, a file
 * renamed over another), and folders that appear are watched as they come: Node 20's recursive
 * watch on Linux follows files, and loses one that an editor saves by renaming a new file over it
 * (vim, `sed -i`, "safe write"), after which no save of it was seen. Elsewhere the system's
 * recursive watch (macOS, Windows) sees the folder tree as a whole.
 */
import { existsSync, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { join, sep } from 'node:path';
import { cacheDirFor } from '../assets/cache.js';
import type { Config } from '../config/index.js';
import { isInside } from '../fs/paths.js';

const DEBOUNCE_MS = 25;

export interface BookWatcher {
  close(): void;
}

export function watchBook(
  config: Config,
  onChange: (files: string[]) => void,
  debounceMs = DEBOUNCE_MS,
): BookWatcher {
  const dirs = [config.bookDir, config.contentDir, config.templatesDir].filter(
    (d): d is string => Boolean(d) && existsSync(d!),
  );
  // A folder inside another watched one is watched through it.
  const roots = dirs.filter((d, i) => !dirs.some((o, j) => j !== i && isInside(d, o) && (d !== o || j < i)));
  const ignored = [config.outDir, cacheDirFor(config.bookDir)];
  const notTheBook = (file: string, rel: string) =>
    ignored.some((d) => isInside(file, d)) ||
    /(^|[/\\])(\.[^/\\]*|node_modules)([/\\]|$)|\.tmp$|~$/.test(rel);
  let timer: NodeJS.Timeout | undefined;
  let pending: string[] = [];
  const changed = (file: string) => {
    pending.push(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...new Set(pending)];
      pending = [];
      onChange(files);
    }, debounceMs);
  };
  const trees = roots.map((root) =>
    watchTree(root, (file) => notTheBook(file, file.slice(root.length + 1)), changed),
  );
  return {
    close() {
      clearTimeout(timer);
      for (const close of trees) close();
    },
  };
}

/** Calls `onChange` with each file or folder under `root` that changes (not those `skip` names); returns the function that stops. */
function watchTree(
  root: string,
  skip: (path: string) => boolean,
  onChange: (path: string) => void,
): () => void {
  if (process.platform !== 'linux') {
    const watcher = watch(root, { recursive: true }, (_event, name) => {
      const file = name ? join(root, name.toString()) : root;
      if (!skip(file)) onChange(file);
    });
    return () => watcher.close();
  }
  const watchers = new Map<string, FSWatcher>();
  const forget = (dir: string) => {
    for (const [path, watcher] of watchers) {
      if (path === dir || path.startsWith(dir + sep)) {
        watcher.close();
        watchers.delete(path);
      }
    }
  };
  const add = (dir: string) => {
    forget(dir); // a folder made again (removed, then created) is another folder
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        const path = name ? join(dir, name.toString()) : dir;
        if (skip(path)) return;
        onChange(path);
        // a folder that appeared (or was replaced) is watched; one that went is forgotten
        const stat = statSync(path, { throwIfNoEntry: false });
        if (stat?.isDirectory() && path !== dir) add(path);
        else if (!stat) forget(path);
      });
    } catch {
      return; // gone already, or not ours to watch
    }
    watcher.on('error', () => forget(dir));
    watchers.set(dir, watcher);
    let entries: string[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      // gone meanwhile
    }
    for (const name of entries) if (!skip(join(dir, name))) add(join(dir, name));
  };
  add(root);
  return () => forget(root);
}
