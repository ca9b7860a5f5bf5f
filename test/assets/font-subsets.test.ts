import { describe, expect, it } from 'vitest';
import { parseUnicodeRange } from '../../src/assets/font-subsets.js';

describe('parseUnicodeRange', () => {
  it('reads single points, ranges and wildcards', () => {
    expect(parseUnicodeRange('U+20, U+4E00-4E0F, U+3??')).toEqual([
      [0x20, 0x20],
      [0x4e00, 0x4e0f],
      [0x300, 0x3ff],
    ]);
  });
});
