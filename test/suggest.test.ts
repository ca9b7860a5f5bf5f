import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from '../src/suggest.js';

describe('did you mean', () => {
  it('finds a letter missing, added, changed or two swapped', () => {
    expect(closest('bild', ['build', 'check', 'pairs'])).toBe('build');
    expect(closest('--formt', ['--format', '--out'])).toBe('--format');
    expect(closest('titel', ['title', 'subtitle'])).toBe('title');
    expect(closest('biuld', ['build', 'check'])).toBe('build');
    expect(closest('--contnet', ['--content', '--out'])).toBe('--content');
  });

  it('takes the start of a long enough word for the word', () => {
    expect(closest('--verb', ['--verbose', '--version'])).toBe('--verbose');
  });

  it('suggests nothing far off', () => {
    expect(closest('docx', ['epub', 'kepub', 'pdf', 'html', 'all'])).toBeUndefined();
    expect(closest('x', ['build'])).toBeUndefined();
    expect(didYouMean('zzz', ['build'])).toBe('');
    expect(didYouMean('Build', ['build'])).toBe(' (did you mean "build"?)');
  });

  it('takes no time on a long word', () => {
    expect(closest('a'.repeat(100_000), ['build'])).toBeUndefined();
  });
});
