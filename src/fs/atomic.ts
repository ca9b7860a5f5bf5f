import { constants } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AnthologyError } from '../errors.js';
import { onCleanup, removeNow } from './cleanup.js';
import { temporaryNameBeside } from './temporary-names.js';

/**
 * Produce `file` atomically: `produce` writes to a temporary path beside it, which is renamed
 * over `file` only when it succeeds. A failed build never leaves a half-written file and never
 * destroys the previous good one.
 */
export async function writeAtomically(
  file: string,
  produce: (tmpPath: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = temporaryNameBeside(file);
  await staged(tmp, produce, () => rename(tmp, file));
}

/** A folder written whole or not at all: `produce` fills a staging folder beside it, which then replaces it. */
export async function writeFolderAtomically(
  folder: string,
  produce: (staging: string) => Promise<void>,
): Promise<void> {
  const staging = temporaryNameBeside(folder);
  await mkdir(staging, { recursive: true });
  await staged(staging, produce, () => replaceFolder(staging, folder));
}

/** Produce into `tmp`, then commit it; on failure, or Ctrl-C meanwhile, `tmp` is removed. */
async function staged(
  tmp: string,
  produce: (tmp: string) => Promise<void>,
  commit: () => Promise<void>,
): Promise<void> {
  const forget = onCleanup(() => removeNow(tmp));
  try {
    await produce(tmp);
    await commit();
  } catch (error) {
    await rm(tmp, { force: true, recursive: true });
    throw error;
  } finally {
    forget();
  }
}

export async function writeFileAtomically(file: string, data: Uint8Array | string): Promise<void> {
  await writeAtomically(file, (tmp) => writeFile(tmp, data));
}

/**
 * Put the folder `staging` (complete) in the place of `folder`: the old one is moved aside, the
 * new one renamed in, the old one removed. Two builds doing it at once both succeed (the last one
 * wins): a rename that finds the place taken moves the other build's folder aside and tries again.
 */
async function replaceFolder(staging: string, folder: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const aside = temporaryNameBeside(folder);
    const forget = onCleanup(() => removeNow(aside));
    await rename(folder, aside).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    try {
      await rename(staging, folder);
      await rm(aside, { recursive: true, force: true });
      forget();
      return;
    } catch (error) {
      await rm(aside, { recursive: true, force: true });
      forget();
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= 20) throw error;
    }
  }
}

/** What a file-system error means to a user, in a few words. */
const WRITE_PROBLEMS: Record<string, string> = {
  EISDIR: 'that is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOENT: 'the folder cannot be made there',
};

/**
 * The output folder, made if need be and checked before anything is built into it: a file of
 * that name or a folder that cannot be written is one clear message, not a stack trace.
 */
export async function prepareOutDir(outDir: string): Promise<void> {
  const info = await stat(outDir).catch(() => undefined);
  if (info && !info.isDirectory())
    throw new AnthologyError(`the output folder ${outDir} is a file; name a folder with --out`);
  try {
    await makeFolders(outDir);
    await access(outDir, constants.W_OK);
  } catch (error) {
    throw writeError(error, `cannot write to the output folder ${outDir}`);
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never returns for a folder the file
 * system refuses with ENOENT although its parent exists (`--out /proc/x`).
 */
export async function makeFolders(folder: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = folder; !(await stat(dir).catch(() => undefined)); dir = dirname(dir)) {
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    // Another build may make it meanwhile: a folder there is what was wanted.
    await mkdir(dir).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw error;
    });
  }
}

/** A file-system error while writing output as an AnthologyError; any other error as it is. */
export function writeError(error: unknown, doing: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const problem = code ? WRITE_PROBLEMS[code] : undefined;
  return problem ? new AnthologyError(`${doing}: ${problem}`) : error;
}
