/**
 * Nothing left behind: every temporary file, folder and child process a build makes is
 * registered here while it exists, so that whatever ends the build (an error, Ctrl-C, SIGTERM)
 * removes it. The CLI calls `cleanUpNow()` from its signal handlers and on exit; cleanups are
 * synchronous for that reason. What a SIGKILL leaves (nothing can run then) carries the pid of
 * its build in its name, and the next build removes it once that pid is gone (`sweepStale`).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPORARY_BESIDE, TEMPORARY_FOLDER, temporaryFolderPrefix } from './temporary-names.js';

const pending = new Set<() => void>();

/** Run `cleanup` if the process ends before the returned function is called (which forgets it). */
export function onCleanup(cleanup: () => void): () => void {
  pending.add(cleanup);
  return () => {
    pending.delete(cleanup);
  };
}

/** Runs every registered cleanup now (each once, whatever the others do). */
export function cleanUpNow(): void {
  for (const cleanup of [...pending]) {
    pending.delete(cleanup);
    try {
      cleanup();
    } catch {
      // One that fails must not keep the others from running.
    }
  }
}

/** How many cleanups are registered (for tests: none once a build is over). */
export function pendingCleanups(): number {
  return pending.size;
}

/**
 * A new folder in the system's temporary folder, `anthology-<kind>-<pid>-XXXXXX`, removed by
 * `remove()` or, if the process ends first, by `cleanUpNow()`.
 */
export function temporaryFolder(kind: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), temporaryFolderPrefix(kind)));
  const forget = onCleanup(() => removeNow(path));
  return {
    path,
    remove() {
      forget();
      removeNow(path);
    },
  };
}

export function removeNow(path: string): void {
  rmSync(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
}

/** True when no process has this pid (a build killed with SIGKILL). */
export function pidIsDead(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes what killed builds left: `.<name>.<pid>.<time>.tmp` files and folders in `outDir`,
 * `anthology-<kind>-<pid>-*` folders in the temporary folder; only those whose build (pid) is
 * gone, so a build running beside this one keeps its own.
 */
export function sweepStale(outDir: string): void {
  const sweep = (dir: string, pattern: RegExp) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return; // no such folder yet: nothing to sweep
    }
    for (const name of names) {
      const match = pattern.exec(name);
      if (match && pidIsDead(Number(match[1]))) {
        try {
          removeNow(join(dir, name));
        } catch {
          // someone else's, or already gone: not ours to insist on
        }
      }
    }
  };
  sweep(outDir, TEMPORARY_BESIDE);
  sweep(tmpdir(), TEMPORARY_FOLDER);
}
