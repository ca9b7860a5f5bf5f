import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TEMPORARY_BESIDE,
  TEMPORARY_FOLDER,
  temporaryFolderPrefix,
  temporaryNameBeside,
} from '../../src/fs/temporary-names.js';

describe('one naming for the writer and the sweep', () => {
  it('the sweep recognises a name beside a file, and reads the pid of its build from it', () => {
    const name = temporaryNameBeside('/out/book.epub');
    expect(name.startsWith('/out/.book.epub.')).toBe(true);
    expect(TEMPORARY_BESIDE.exec(basename(name))?.[1]).toBe(String(process.pid));
    expect(TEMPORARY_BESIDE.test('book.epub')).toBe(false);
    expect(TEMPORARY_BESIDE.test('.book.epub')).toBe(false);
  });

  it('two names for the same file differ', () => {
    expect(temporaryNameBeside('/out/book.epub')).not.toBe(temporaryNameBeside('/out/book.epub'));
  });

  it('the sweep recognises a temporary folder, and reads the pid of its build from it', () => {
    const folder = mkdtempSync(join(tmpdir(), temporaryFolderPrefix('print')));
    try {
      expect(TEMPORARY_FOLDER.exec(basename(folder))?.[1]).toBe(String(process.pid));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(TEMPORARY_FOLDER.test('anthology-print')).toBe(false);
  });
});
