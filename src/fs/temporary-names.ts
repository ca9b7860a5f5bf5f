/**
 * The names of what a build makes while it runs, and how a later build recognises them: one
 * naming for the atomic writer (atomic.ts), the folders in the system's temporary folder
 * (cleanup.ts, temporaryFolder) and the sweep of what a killed build left (cleanup.ts,
 * sweepStale). Each name carries the pid of its build, so the sweep removes only what a build
 * that is gone left behind.
 */
import { basename, dirname, join } from 'node:path';

let made = 0;

/**
 * A temporary name beside `file`, `.<name>.<pid>.<time>-<n>.tmp`, so the final rename stays on
 * one file system.
 */
export function temporaryNameBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}-${++made}.tmp`);
}

/** The names temporaryNameBeside makes, with the pid of their build in the first group. */
export const TEMPORARY_BESIDE = /^\..+\.(\d+)\.\d{13}-\d+\.tmp$/;

/** The start of a folder's name in the system's temporary folder; mkdtemp adds six characters. */
export function temporaryFolderPrefix(kind: string): string {
  return `anthology-${kind}-${process.pid}-`;
}

/** The names of folders made with temporaryFolderPrefix, with the pid of their build in the first group. */
export const TEMPORARY_FOLDER = /^anthology-[a-z]+-(\d+)-[A-Za-z0-9]{6}$/;
