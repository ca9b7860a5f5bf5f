import { describe, expect, it } from 'vitest';
import { splitContent } from '../../../src/formats/pdf/content-split.js';

// As Chromium writes a spread 800 points wide: a scale and flip first, then text and rules.
const OPEN = '.24 0 0 -.24 0 594.96 cm\nq\n3.125 0 0 3.125 0 0 cm\n';

describe('splitContent', () => {
  it('gives each half the text drawn on it, with every state change in both', () => {
    const content = `${OPEN}/P <</MCID 0 >>BDC\nBT\n/F4 13 Tf\n1 0 0 -1 100 657 Tm\n<0046> Tj\nET\nEMC\n/P <</MCID 1 >>BDC\nBT\n/F5 13 Tf\n1 0 0 -1 1200 657 Tm\n<0052> Tj\nET\nEMC\nQ`;
    const { left, right, rightMcids, painted } = splitContent(content, 400);
    expect(left).toContain('<0046> Tj');
    expect(left).not.toContain('<0052> Tj');
    expect(right).toContain('<0052> Tj');
    expect(right).not.toContain('<0046> Tj');
    expect([...rightMcids]).toEqual([1]);
    // marked content inside a text object (a link's words within a line) goes with it
    const inLine = splitContent(
      `${OPEN}BT\n1 0 0 -1 1200 657 Tm\n/NonStruct <</MCID 7 >>BDC <0052> Tj EMC\nET\nQ`,
      400,
    );
    expect([...inLine.rightMcids]).toEqual([7]);
    expect(painted).toEqual({ left: true, right: true });
    for (const half of [left, right]) {
      expect(half.startsWith('.24 0 0 -.24 0 594.96 cm\nq\n3.125 0 0 3.125 0 0 cm')).toBe(true);
      expect(half.trim().endsWith('Q')).toBe(true);
    }
    // the font the left text object set is set on the right too (text state outlives ET)
    expect(right).toContain('BT /F4 13 Tf ET');
  });

  it('places a filled path by its centre and keeps a clip in both halves', () => {
    const content = `${OPEN}10 10 200 300 re\nW* n\n1400 20 300 2 re\nf\n20 20 50 2 re\nf\nQ`;
    const { left, right } = splitContent(content, 400);
    for (const half of [left, right]) expect(half).toContain('10 10 200 300 re\nW*\nn');
    expect(right).toContain('1400 20 300 2 re\nf');
    expect(left).not.toContain('1400 20 300 2 re');
    expect(left).toContain('20 20 50 2 re\nf');
    expect(right).not.toContain('20 20 50 2 re');
  });

  it('reads a text object to its ET when a string holds "ET", and an image by its centre', () => {
    const content = `${OPEN}BT\n1 0 0 -1 1300 100 Tm\n(a ET b) Tj\nET\nq 100 0 0 100 1500 300 cm /Im1 Do Q\nQ`;
    const { left, right } = splitContent(content, 400);
    expect(right).toContain('(a ET b) Tj\nET');
    expect(right).toContain('/Im1 Do');
    expect(left).not.toContain('(a ET b)');
    expect(left).not.toContain('/Im1 Do');
  });

  it('refuses what it cannot place', () => {
    expect(() => splitContent(`${OPEN}BI /W 1 /H 1 ID x EI Q`, 400)).toThrow(/inline image/);
    expect(() => splitContent(`${OPEN}BT 1 0 0 1 0 0 Tm <00> Tj`, 400)).toThrow(/without ET/);
    expect(() => splitContent(`${OPEN}Q Q`, 400)).toThrow(/unbalanced Q/);
  });
});
