import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findImageFile, sniffImageType } from '../../src/assets/images.js';
import { tempDir } from '../helpers.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');

/** book/content/post/ with images, a secret beside the book, and a link to the book's content. */
function layout() {
  const root = tempDir();
  const content = join(root, 'book', 'content');
  const post = join(content, 'post');
  mkdirSync(post, { recursive: true });
  writeFileSync(join(post, 'figure.jpeg'), JPEG);
  writeFileSync(join(post, 'Mozilla_PBE.PNG'), PNG);
  writeFileSync(join(post, 'noext'), PNG);
  writeFileSync(join(root, 'secret.png'), PNG);
  symlinkSync(join(root, 'secret.png'), join(post, 'escape.png'));
  symlinkSync(content, join(root, 'linked-content'));
  return { root, content, post };
}

describe('images are confined to the book', () => {
  it('finds a file, and repairs a reference that misses only by extension or case', () => {
    const { content, post } = layout();
    expect(findImageFile('figure.jpeg', post, content)).toMatchObject({ kind: 'file', repaired: false });
    expect(findImageFile('figure.png', post, content)).toMatchObject({ kind: 'file', repaired: true });
    expect(findImageFile('mozilla_pbe.png', post, content)).toMatchObject({ kind: 'file', repaired: true });
    expect(findImageFile('noext.png', post, content)).toMatchObject({ kind: 'file', repaired: true });
    expect(findImageFile('figure%2Ejpeg', post, content)).toMatchObject({ kind: 'file' });
    expect(findImageFile('absent.png', post, content)).toEqual({ kind: 'missing' });
    // a broken link in the folder is no image, and no reason to stop
    symlinkSync(join(post, 'gone.png'), join(post, 'broken.png'));
    expect(findImageFile('absent.png', post, content)).toEqual({ kind: 'missing' });
    expect(findImageFile('broken.png', post, content)).toEqual({ kind: 'missing' });
  });

  it('refuses paths and symlinks that lead out of the content folder', () => {
    const { content, post } = layout();
    expect(findImageFile('../../../secret.png', post, content)).toEqual({ kind: 'outside' });
    expect(findImageFile('escape.png', post, content)).toEqual({ kind: 'outside' });
    expect(findImageFile('/etc/passwd', post, content)).toEqual({ kind: 'missing' });
  });

  it('accepts a content folder reached through a symlink', () => {
    const { root } = layout();
    const linked = join(root, 'linked-content');
    expect(findImageFile('figure.jpeg', join(linked, 'post'), linked)).toMatchObject({ kind: 'file' });
  });

  it('tells the type from the bytes, not the name', () => {
    const { post } = layout();
    expect(sniffImageType(join(post, 'figure.jpeg'))).toBe('image/jpeg');
    expect(sniffImageType(join(post, 'noext'))).toBe('image/png');
  });
});
