/** Cleaning text that is about to become XML or reach a terminal. Pure. */

/**
 * C0 controls but tab, line feed and carriage return; DEL; C1 controls. None is text, XML 1.0
 * forbids the C0 ones, and ESC in a title would reach a terminal through `anthology pairs`.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Removes control characters from a text; `line` is where the first was, counting from 1. */
export function removeControlChars(text: string): { text: string; removed: number; line?: number } {
  const first = text.search(CONTROL);
  if (first === -1) return { text, removed: 0 };
  let removed = 0;
  const clean = text.replace(CONTROL, () => {
    removed++;
    return '';
  });
  return { text: clean, removed, line: lineAt(text, first) };
}

export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * A parsed document (book.toml, front matter) with its strings cleaned; each cleaned string is
 * reported with its key path. YAML and TOML escapes (`"\u001b"`) bring in what the file's text,
 * already cleaned, does not hold.
 */
export function withoutControlChars(
  value: unknown,
  key: (string | number)[],
  report: (key: (string | number)[], removed: number) => void,
): unknown {
  if (typeof value === 'string') {
    const cleaned = removeControlChars(value);
    if (cleaned.removed > 0) report(key, cleaned.removed);
    return cleaned.text;
  }
  if (Array.isArray(value)) return value.map((v, i) => withoutControlChars(v, [...key, i], report));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withoutControlChars(v, [...key, k], report)]),
    );
  }
  return value;
}

/**
 * `target.push(...items)` passes every item as an argument: past about 100,000 (a paragraph of
 * 128 KB of `<`), the stack overflows. One at a time has no such limit.
 */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}

/**
 * Han, kana and CJK punctuation (`，。「」（）`, full-width forms): the characters Chinese and
 * Japanese set without spaces between them. Not Hangul (Korean puts spaces between its words),
 * nor the quotes and dashes both scripts share with Latin text (`“”`, `—`).
 */
const CJK_CHAR = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303F\\uFF01-\\uFF60';
/** A run of spaces (a line break in the source is one in HTML) between two CJK characters. */
export const CJK_SPACE = new RegExp(`(?<=[${CJK_CHAR}])[ \\t\\n\\r\\u00A0]+(?=[${CJK_CHAR}])`, 'gu');

/** The text without spaces between CJK characters, and how many runs of them there were. */
export function withoutCjkSpaces(text: string): { text: string; removed: number } {
  let removed = 0;
  const clean = text.replace(CJK_SPACE, () => {
    removed++;
    return '';
  });
  return { text: clean, removed };
}
