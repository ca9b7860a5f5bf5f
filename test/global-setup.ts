/**
 * The test run's temporary folders: every test worker gets TMPDIR set to one folder of this run
 * (the books, EPUBs, PDFs and Chromium profiles the tests make), removed when the run ends, so a
 * run leaves nothing in the system's temporary folder but the corpus build cache, which later runs
 * reuse (helpers.ts CORPUS_CACHE).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

export function setup(): void {
  process.env.ANTHOLOGY_TEST_SHARED_TMP ??= tmpdir();
  root = mkdtempSync(join(tmpdir(), 'anthology-tests-'));
  process.env.TMPDIR = root;
}

export function teardown(): void {
  if (root) rmSync(root, { recursive: true, force: true });
}
