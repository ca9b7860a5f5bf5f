import { describe, expect, it } from 'vitest';
import { repairHref } from '../../src/compile/links.js';

describe('repairHref', () => {
  const here = { id: 'a-one', anchors: new Set(['a-one', 'top']) };
  const other = { id: 'a-two', anchors: new Set(['a-two']) };
  const fix = (href: string) => repairHref(href, here, { articleAt: (path) => (path === '../two' || path === '../two/index.md' ? other : undefined) }).href;
  it('keeps valid URLs as they are', () => {
    expect(fix('https://example.com/x?y=1#z')).toBe('https://example.com/x?y=1#z');
    expect(fix('https://zh.wikipedia.org/wiki/%E4%B8%AD')).toBe('https://zh.wikipedia.org/wiki/%E4%B8%AD');
  });
  it('percent-encodes what must be', () => {
    expect(fix('https://example.com/a b`c')).toBe('https://example.com/a%20b%60c');
    expect(fix('https://example.com/中文')).toBe('https://example.com/%E4%B8%AD%E6%96%87');
    expect(fix('https://example.com/#a#b')).toBe('https://example.com/#a%23b');
    expect(fix('https://example.com/?q={x}|y')).toBe('https://example.com/?q=%7Bx%7D%7Cy');
  });
  it('drops what cannot be a link', () => {
    expect(fix('https://100daystooffload.com%60#x')).toBeUndefined();
    expect(fix('https://100daystooffload.comThis%E5%B8%96')).toBeUndefined();
    expect(fix('https://')).toBeUndefined();
    expect(fix('#nowhere')).toBeUndefined();
    expect(fix('missing.html')).toBeUndefined();
    expect(fix('javascript:alert(1)')).toBeUndefined();
  });
  it('keeps links inside the book', () => {
    expect(fix('#top')).toBe('#top');
    expect(fix('../two')).toBe('#a-two');
    expect(fix('../two/index.md#gone')).toBe('#a-two');
  });
});
