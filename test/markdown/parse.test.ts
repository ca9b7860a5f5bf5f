import { describe, expect, it } from 'vitest';
import {
  boundNesting,
  MAX_MARKER_INDENT,
  MAX_MARKERS_PER_LINE,
  type MdNode,
  parseMarkdown,
} from '../../src/markdown/parse.js';

/** Depth of quotes and lists in a parsed tree. */
function depth(nodes: MdNode[]): number {
  let d = 0;
  for (const n of nodes) {
    if (n.type === 'quote') d = Math.max(d, 1 + depth(n.children));
    if (n.type === 'list') for (const item of n.items) d = Math.max(d, 1 + depth(item.children));
  }
  return d;
}
const texts = (nodes: MdNode[]): string[] =>
  nodes.flatMap((n) =>
    n.type === 'text'
      ? [n.md]
      : n.type === 'quote'
        ? texts(n.children)
        : n.type === 'list'
          ? n.items.flatMap((i) => texts(i.children))
          : [],
  );

describe('parseMarkdown: nesting is bounded before marked sees it', () => {
  it.each([
    ['5,000 > on one line', `${'> '.repeat(5000)}deep`],
    ['5,000 > without spaces', `${'>'.repeat(5000)}deep`],
    ['5,000 - on one line', `${'- '.repeat(5000)}deep`],
    ['quotes and lists mixed', `${'> - 1. '.repeat(2000)}deep`],
  ])('%s: flattened, the text kept, a warning line', (_, md) => {
    const parsed = parseMarkdown(`Intro.\n\n${md}\n`, 10);
    expect(depth(parsed.nodes)).toBeLessThanOrEqual(MAX_MARKERS_PER_LINE);
    expect(texts(parsed.nodes).join(' ')).toMatch(/deep/);
    expect(parsed.flattened).toEqual([12]);
  });

  it('list items indented ever deeper: the indentation is bounded', () => {
    const md = Array.from({ length: 300 }, (_, i) => `${' '.repeat(2 * i)}- item ${i}`).join('\n');
    const parsed = parseMarkdown(md);
    expect(depth(parsed.nodes)).toBeLessThanOrEqual(MAX_MARKER_INDENT / 2 + 1);
    expect(texts(parsed.nodes).filter((t) => t.startsWith('item'))).toHaveLength(300);
    expect(parsed.flattened[0]).toBe(MAX_MARKER_INDENT / 2 + 2);
  });

  it('ordinary nesting and fenced code are left alone', () => {
    const md = `> > quote\n\n- a\n  - b\n    > c\n\n\`\`\`\n${' '.repeat(200)}- code\n\`\`\`\n`;
    expect(boundNesting(md)).toEqual({ text: md, flattened: [] });
    const parsed = parseMarkdown(md);
    expect(parsed.flattened).toEqual([]);
    expect(parsed.nodes.find((n) => n.type === 'code')).toMatchObject({ text: `${' '.repeat(200)}- code` });
  });
});
