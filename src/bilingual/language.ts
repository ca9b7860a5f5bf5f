/**
 * The language of a piece of text, told by its script. Pure.
 *
 * Code spans, URLs, e-mail addresses, numbers and punctuation carry no language and are ignored.
 * Han counts more than a Latin letter (one Han character carries about what a short Latin word
 * does), so a Chinese sentence holding English names is still Chinese, and a short heading
 * such as `Notes笔记` is decided by its weight, not by its character count.
 */

export type Script =
  | 'han'
  | 'kana'
  | 'hangul'
  | 'latin'
  | 'cyrillic'
  | 'greek'
  | 'arabic'
  | 'hebrew'
  | 'thai'
  | 'devanagari'
  | 'none';

const RE = {
  han: /\p{Script=Han}/u,
  kana: /[\p{Script=Hiragana}\p{Script=Katakana}]/u,
  hangul: /\p{Script=Hangul}/u,
  latin: /\p{Script=Latin}/u,
  cyrillic: /\p{Script=Cyrillic}/u,
  greek: /\p{Script=Greek}/u,
  arabic: /\p{Script=Arabic}/u,
  hebrew: /\p{Script=Hebrew}/u,
  thai: /\p{Script=Thai}/u,
  devanagari: /\p{Script=Devanagari}/u,
};

/** Full-width CJK punctuation (、。「」（）：；！？ ...): a hint of Chinese or Japanese. */
function isCjkPunct(c: number): boolean {
  return (
    (c >= 0x3000 && c <= 0x303f) ||
    (c >= 0xff01 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}

const SCRIPTS: Script[] = [
  'han',
  'kana',
  'hangul',
  'latin',
  'cyrillic',
  'greek',
  'arabic',
  'hebrew',
  'thai',
  'devanagari',
  'none',
];
/**
 * scriptOfCode is called for every character of every article: the answer for a code point of the
 * BMP is remembered (index into SCRIPTS, plus one; 0 = not looked up yet), so the Unicode
 * property regexes run once per distinct character.
 */
const BMP_SCRIPT = new Uint8Array(0x10000);
const ASTRAL_SCRIPT = new Map<number, Script>();

/** The script of one code point. */
export function scriptOfCode(c: number): Script {
  if (c < 0x41) return 'none';
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? 'latin' : 'none';
  if (c >= 0x4e00 && c <= 0x9fff) return 'han';
  if (c > 0xffff) {
    let s = ASTRAL_SCRIPT.get(c);
    if (s === undefined) ASTRAL_SCRIPT.set(c, (s = lookUpScript(String.fromCodePoint(c))));
    return s;
  }
  const known = BMP_SCRIPT[c]!;
  if (known) return SCRIPTS[known - 1]!;
  const s = lookUpScript(String.fromCharCode(c));
  BMP_SCRIPT[c] = SCRIPTS.indexOf(s) + 1;
  return s;
}

function lookUpScript(ch: string): Script {
  if (RE.latin.test(ch)) return 'latin';
  if (RE.han.test(ch)) return 'han';
  if (RE.kana.test(ch)) return 'kana';
  if (RE.hangul.test(ch)) return 'hangul';
  if (RE.cyrillic.test(ch)) return 'cyrillic';
  if (RE.greek.test(ch)) return 'greek';
  if (RE.arabic.test(ch)) return 'arabic';
  if (RE.hebrew.test(ch)) return 'hebrew';
  if (RE.thai.test(ch)) return 'thai';
  if (RE.devanagari.test(ch)) return 'devanagari';
  return 'none';
}

/** Weight of one character of each script towards deciding the language. */
const WEIGHT: Record<Script, number> = {
  han: 4,
  kana: 4,
  hangul: 2,
  latin: 1,
  cyrillic: 1,
  greek: 1,
  arabic: 1,
  hebrew: 1,
  thai: 1,
  devanagari: 1,
  none: 0,
};

const LANG_OF: Record<Exclude<Script, 'none' | 'kana' | 'han'>, string> = {
  hangul: 'ko',
  latin: 'en',
  cyrillic: 'ru',
  greek: 'el',
  arabic: 'ar',
  hebrew: 'he',
  thai: 'th',
  devanagari: 'hi',
};

/** What a reader calls the language of a text told by its script alone (`en`: any Latin script). */
export function languageName(lang: string): string {
  return LANGUAGE_NAMES[lang] ?? lang;
}

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'Latin script',
  zh: 'Chinese',
  ja: 'Japanese',
  ko: 'Korean',
  ru: 'Cyrillic script',
  el: 'Greek',
  ar: 'Arabic',
  he: 'Hebrew',
  th: 'Thai',
  hi: 'Devanagari',
};

/**
 * Remove what carries no language: code, URLs, e-mail addresses, Markdown link targets, HTML tags.
 * Each pattern needs a character that most prose lacks (a backtick, `](`, `<`, `:`, `@`): it runs
 * only when that character is there (the e-mail pattern alone would try every word).
 *
 * Every pattern runs in time linear in the text, whatever the text (issue 12): a failed attempt
 * may only scan up to a character that cannot be inside what it looks for, and the next attempt
 * starts beyond it. So a code fence ends at the next fence or is not code (one scan for all of
 * them), a link target stops at a bracket or parenthesis, a tag at the next `<`, and an e-mail
 * address starts only where a word starts (`[\w.+-]+` tried at every letter of a 100,000-letter
 * word, then backtracked, was quadratic: 20 s).
 */
export function stripNonLanguage(text: string): string {
  let s = text;
  if (s.includes('`')) s = stripCodeFences(s).replace(/`[^`\n]*`/g, ' ');
  if (s.includes('](')) s = s.replace(/\]\((?:[^()\s[\]]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g, '] ');
  if (s.includes('<')) s = s.replace(/<[a-zA-Z/][^<>]*>/g, ' ');
  if (s.includes(':')) s = s.replace(/\b(?:https?|ftp|mailto|file):[^\s<>"')\]]+/gi, ' ');
  if (s.includes('.')) s = s.replace(/\bwww\.[^\s<>"')\]]+/gi, ' ');
  if (s.includes('@')) s = s.replace(/(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+/g, ' ');
  return s;
}

/**
 * Text between pairs of ``` removed (an unclosed last fence is left). One pass with indexOf: the
 * lazy pattern ```[\s\S]*?``` rescanned the rest of the text from every unclosed fence.
 */
function stripCodeFences(s: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = s.indexOf('```', from);
    if (open === -1) break;
    const close = s.indexOf('```', open + 3);
    if (close === -1) break;
    out += `${s.slice(from, open)} `;
    from = close + 3;
  }
  return from === 0 ? s : out + s.slice(from);
}

export interface ScriptCounts {
  han: number;
  kana: number;
  hangul: number;
  latin: number;
  other: Partial<Record<Script, number>>;
  cjkPunct: number;
}

export function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = { han: 0, kana: 0, hangul: 0, latin: 0, other: {}, cjkPunct: 0 };
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!;
    if (c > 0xffff) i++; // a surrogate pair: one character
    addCode(counts, c);
  }
  return counts;
}

/** Count one code point into script counts. */
export function addCode(counts: ScriptCounts, c: number): void {
  const s = scriptOfCode(c);
  if (s === 'none') {
    if (isCjkPunct(c)) counts.cjkPunct++;
    return;
  }
  if (s === 'latin') counts.latin++;
  else if (s === 'han') counts.han++;
  else if (s === 'kana') counts.kana++;
  else if (s === 'hangul') counts.hangul++;
  else counts.other[s] = (counts.other[s] ?? 0) + 1;
}

/** Decide a language from script counts. */
export function languageOfCounts(c: ScriptCounts): string {
  const cjk = c.han * WEIGHT.han + c.kana * WEIGHT.kana + (c.han + c.kana > 0 ? c.cjkPunct * 2 : 0);
  let best = 'und';
  let bestScore = 0;
  if (cjk > 0) {
    // Japanese writes kana between its kanji; Chinese never does.
    best = c.kana > 0 && c.kana >= 0.1 * (c.han + c.kana) ? 'ja' : 'zh';
    bestScore = cjk;
  }
  const consider = (script: keyof typeof LANG_OF, n: number) => {
    const score = n * WEIGHT[script];
    if (score > bestScore) {
      bestScore = score;
      best = LANG_OF[script];
    }
  };
  consider('hangul', c.hangul);
  consider('latin', c.latin);
  for (const [s, n] of Object.entries(c.other)) consider(s as keyof typeof LANG_OF, n ?? 0);
  return best;
}

/**
 * The language of a text: `en` for Latin script, `zh` for Han, `ja`, `ko`, `ru`, `el`, `ar`,
 * `he`, `th`, `hi`; `und` when nothing tells.
 */
export function detectLanguage(text: string): string {
  return languageOfCounts(countScripts(stripNonLanguage(text)));
}
