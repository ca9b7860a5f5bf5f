import { describe, expect, it } from 'vitest';
import { detectLanguage, stripNonLanguage } from '../../src/bilingual/language.js';

describe('detectLanguage', () => {
  it('tells scripts apart', () => {
    expect(detectLanguage('It’s over. Facebook is in decline.')).toBe('en');
    expect(detectLanguage('结束了。Facebook 在衰落。')).toBe('zh');
    expect(detectLanguage('これは日本語の文です。')).toBe('ja');
    expect(detectLanguage('이것은 한국어 문장입니다')).toBe('ko');
    expect(detectLanguage('Это русский текст')).toBe('ru');
    expect(detectLanguage('1939 — 2023, 42%')).toBe('und');
    expect(detectLanguage('')).toBe('und');
  });

  it('is robust for short headings and mixed lines (corpus: 2023/01/26/witold-pilecki)', () => {
    expect(detectLanguage('传')).toBe('zh');
    expect(detectLanguage('Biography')).toBe('en');
    // a Chinese sentence full of English names is Chinese
    expect(
      detectLanguage('Witold Pilecki 于 1901 年 5 月 13 日出生在俄罗斯帝国卡累利阿的 Olonets 镇。'),
    ).toBe('zh');
    expect(detectLanguage('ChatGPT如何完成一个温度=0.0的句子')).toBe('zh');
    // an English sentence with a Chinese word stays English
    expect(detectLanguage('The character 道 is usually translated as "the way" in English texts.')).toBe(
      'en',
    );
  });

  it('ignores code, URLs and e-mail addresses', () => {
    expect(detectLanguage('请运行 `docker run --rm -it alpine:latest sh -c "echo hello world"` 命令')).toBe(
      'zh',
    );
    expect(detectLanguage('见 https://en.wikipedia.org/wiki/Some_Very_Long_English_Title_Here 页')).toBe(
      'zh',
    );
    expect(detectLanguage('[锻炼身体](https://wiki.nikiv.dev/fitness/exercise-and-training)')).toBe('zh');
    expect(detectLanguage('https://example.com/only/a/url')).toBe('und');
  });
});

describe('stripNonLanguage', () => {
  it('removes code, link targets, tags, URLs and e-mail addresses', () => {
    const s = stripNonLanguage(
      'a ```x y``` b `c` [d](https://e.org/f_(g) "t") <span class="h">i</span> http://j.k l@m.no www.p.q r',
    );
    expect(s.split(/\s+/).filter(Boolean)).toEqual(['a', 'b', '[d]', 'i', 'r']);
  });

  it('leaves what only starts like code, a link or an address (no closing part)', () => {
    expect(stripNonLanguage('[a](b c')).toBe('[a](b c');
    expect(stripNonLanguage('<a b')).toBe('<a b');
    expect(stripNonLanguage('@ abc')).toBe('@ abc');
  });

  // Timing lives in `npm run bench` (bench/hostile.bench.ts); here, that the inputs which were
  // quadratic (12 s, 20 s, 6.6 s) are still read right.
  it('the inputs that were quadratic give the same text back', () => {
    for (const text of ['[a]('.repeat(3000), `@ ${'a'.repeat(10000)}`, '<a'.repeat(3000)]) {
      expect(stripNonLanguage(text)).toBe(text);
    }
    expect(stripNonLanguage(`${'x ```'.repeat(3000)}y`)).toBe(`${'x  '.repeat(1500)}y`);
  });
});
