import { describe, expect, it } from 'vitest';
import { authorNames } from '../../src/collect/authors.js';

describe('authorNames', () => {
  it('cleans a clipped byline into people', () => {
    expect(
      authorNames(
        'By  Zoe Schiffer,  Casey Newton, and  Alex Heath作者：ZOE SCHIFFER、CASEY NEWTON 和 ALEX HEATH',
      ),
    ).toEqual(['Zoe Schiffer', 'Casey Newton', 'Alex Heath']);
    expect(authorNames('MICHAEL HARRIS')).toEqual(['Michael Harris']);
    expect(authorNames('Austin Z. Henley')).toEqual(['Austin Z. Henley']);
    expect(authorNames('Contributors to Wikimedia projects')).toEqual(['Contributors to Wikimedia projects']);
    expect(authorNames('Jane Doe & John Roe')).toEqual(['Jane Doe', 'John Roe']);
    expect(authorNames('作者：张三、李四')).toEqual(['张三', '李四']);
    expect(authorNames('  ')).toEqual([]);
    expect(authorNames(undefined)).toEqual([]);
  });
  it('keeps the original of a byline whose translation repeats its names in Latin letters', () => {
    // a byline, two spaces, then its translation, the names kept, the conjunction translated
    expect(authorNames('Ann Lee and Bo Chan  Ann Lee和Bo Chan')).toEqual(['Ann Lee', 'Bo Chan']);
    expect(authorNames('Ann Lee, Bo Chan and Cy Dow Ann Lee、Bo Chan 和 Cy Dow')).toEqual([
      'Ann Lee',
      'Bo Chan',
      'Cy Dow',
    ]);
    expect(authorNames('By Ann Lee  ANN LEE')).toEqual(['Ann Lee']);
    // a name that merely contains another is no repetition
    expect(authorNames('Ann Leeds and Ann Lee')).toEqual(['Ann Leeds', 'Ann Lee']);
  });
});
