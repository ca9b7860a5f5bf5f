import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** A temporary name beside `file`, so the final rename stays on one file system. */
export function temporaryNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
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
