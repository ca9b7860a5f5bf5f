import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** A temporary name beside `file`, so the final rename stays on one file system. */
let made = 0;
export function temporaryNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}-${++made}.tmp`);
}

/**
 * Produce `file` atomically: `produce` writes to a temporary path beside it, which is renamed
 * over `file` only when it succeeds. A failed build never leaves a half-written file and never
 * destroys the previous good one.
 */
export async function writeAtomically(file: string, produce: (tmpPath: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = temporaryNameFor(file);
  try {
    await produce(tmp);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true, recursive: true });
    throw error;
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
export async function replaceFolder(staging: string, folder: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const aside = temporaryNameFor(folder);
    await rename(folder, aside).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    try {
      await rename(staging, folder);
      await rm(aside, { recursive: true, force: true });
      return;
    } catch (error) {
      await rm(aside, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= 20) throw error;
    }
  }
}
