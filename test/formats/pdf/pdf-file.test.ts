import { describe, expect, it } from 'vitest';
import {
  arrayItems,
  decodePdfString,
  parseDictEntries,
  pdfString,
  rewriteTokens,
} from '../../../src/formats/pdf/pdf-file.js';

describe('PDF document information', () => {
  it('encodes strings as literal ASCII or UTF-16BE hex', () => {
    expect(pdfString('A (b) \\c')).toBe('(A \\(b\\) \\\\c)');
    expect(pdfString('中')).toBe('<FEFF4E2D>');
  });

  it('parses dictionaries with nested values and escaped parentheses', () => {
    const entries = parseDictEntries(
      '<</Title (a \\(b\\) c)\n/Creator (x (y) z)\n/MarkInfo <</Type /MarkInfo\n/Marked true>>\n/Kids [2 0 R (s]) 3 0 R]\n/Root 18 0 R\n/Lang <FEFF4E2D>\n/N 3>>',
    );
    expect(entries).toEqual([
      ['Title', '(a \\(b\\) c)'],
      ['Creator', '(x (y) z)'],
      ['MarkInfo', '<</Type /MarkInfo\n/Marked true>>'],
      ['Kids', '[2 0 R (s]) 3 0 R]'],
      ['Root', '18 0 R'],
      ['Lang', '<FEFF4E2D>'],
      ['N', '3'],
    ]);
  });
});

describe('PDF primitives', () => {
  it('renumbers references outside strings, through nested dictionaries', () => {
    const text =
      '<</Font <</F4 4 0 R /F5 5 0 R>> /T (a 4 0 R b) /H <4 0> /K [4 0 R 12 0 R] /StructParents 3 /N 4>>';
    const out = rewriteTokens(text, (n) => n + 100, { StructParents: (v) => v + 10 });
    expect(out).toBe(
      '<</Font <</F4 104 0 R /F5 105 0 R>> /T (a 4 0 R b) /H <4 0> /K [104 0 R 112 0 R] /StructParents 13 /N 4>>',
    );
  });

  it('reads arrays, dictionaries and strings', () => {
    expect(arrayItems('[2 0 R /XYZ 57.2 459 0]')).toEqual(['2 0 R', '/XYZ', '57.2', '459', '0']);
    expect(arrayItems('[0 <</S /r>> 4 <</S /D>>]')).toEqual(['0', '<</S /r>>', '4', '<</S /D>>']);
    expect(parseDictEntries('<</A <</B [1 (x]) 2]>> /C 3 0 R>>')).toEqual([
      ['A', '<</B [1 (x]) 2]>>'],
      ['C', '3 0 R'],
    ]);
    expect(decodePdfString(pdfString('目录 Contents'))).toBe('目录 Contents');
    expect(decodePdfString('(a \\(b\\) \\\\ \\101)')).toBe('a (b) \\ A');
  });
});
