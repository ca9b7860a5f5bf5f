import { describe, expect, it } from 'vitest';
import { cssString } from '../../src/theme/css.js';
import { shorten } from '../../src/theme/print.js';

describe('running heads', () => {
  it('writes running heads as safe CSS strings, one line long', () => {
    expect(cssString('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c d"');
    expect(shorten('短标题')).toBe('短标题');
    expect(shorten('很'.repeat(50))).toBe(`${'很'.repeat(34)}…`);
    expect(shorten('word '.repeat(30)).endsWith('…')).toBe(true);
  });
});
