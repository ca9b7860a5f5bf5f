/**
 * Author names as clipping leaves them: `By  Zoe Schiffer,  Casey Newton, and  Alex Heath作者：ZOE
 * SCHIFFER、CASEY NEWTON 和 ALEX HEATH` (a byline, then its machine translation), or `A B and C D
 * A B和C D` (the translation keeps the names in Latin letters). Readers' libraries (calibre, Apple
 * Books) list each name as a person, so each must be one clean name.
 */

/** Where a translated copy of the byline starts (`作者：`, `文／`), or a CJK run in a Latin byline. */
const TRANSLATED_BYLINE = /\s*(作者|撰文|文\s*[／/]|by\s*[:：])\s*[:：]?|(?<=[A-Za-z.]\s*)[\u3400-\u9fff]/i;

/** What separates the names of a byline. */
const SEPARATOR = /\s*(?:,\s*and\s+|,|;|\s+and\s+|\s+&\s+|、|和|与)\s*/;

/**
 * Where a byline starts again: the second appearance of its first name (the text before the first
 * separator), or, when that holds the whole byline twice (`Ann Lee ANN LEE`), of its first words.
 */
function repetition(text: string): number {
  const first = text.split(SEPARATOR, 1)[0]!.trim();
  const again = secondAppearance(text, first);
  if (again > 0) return again;
  const words = first.split(' ', 8);
  // a name is a few words: no more are tried (a hostile byline of many words stays linear)
  for (let n = 2; n <= Math.min(words.length / 2, 4); n++) {
    const at = secondAppearance(text, words.slice(0, n).join(' '));
    if (at > 0) return at;
  }
  return -1;
}

/** Where `name` (a whole name, any case) appears a second time in `text`; -1 when it does not. */
function secondAppearance(text: string, name: string): number {
  const trimmed = name.trim();
  // a name is short: anything longer is no name to look for (nor a pattern to build)
  if (trimmed.length < 3 || trimmed.length > 80) return -1;
  const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\p{L}])${escaped}(?![\\p{L}])`, 'giu');
  return pattern.exec(text) ? (pattern.exec(text)?.index ?? -1) : -1;
}

/** The people of a byline, each name cleaned; an empty list when there is none. */
export function authorNames(byline: string | undefined): string[] {
  if (!byline) return [];
  let text = byline.replace(/\s+/g, ' ').trim();
  const latin = /[A-Za-z]/.test(text);
  // A Latin byline followed by its translation: keep the original.
  const cut = latin ? TRANSLATED_BYLINE.exec(text) : null;
  if (cut && cut.index > 0) text = text.slice(0, cut.index);
  text = text
    .replace(/^(by|written by|words by|作者|撰文)\s*[:：]?\s+/i, '')
    .replace(/^(作者|撰文)[:：]\s*/, '');
  // the byline again, as its translation starts: from its first name's second appearance
  const again = latin ? repetition(text) : -1;
  if (again > 0) text = text.slice(0, again);
  const names = text
    .split(SEPARATOR)
    .map((name) => name.replace(/^[\s.,;:]+|[\s,;:]+$/g, ''))
    .filter(Boolean)
    .map(titleCaseShouting);
  return [...new Set(names)];
}

/** `MICHAEL HARRIS` -> `Michael Harris`; names already in mixed case are left as they are. */
function titleCaseShouting(name: string): string {
  if (!/[A-Z]{2}/.test(name) || /[a-z]/.test(name)) return name;
  return name
    .toLowerCase()
    .replace(/(^|[\s'’-])(\p{L})/gu, (_, lead: string, letter: string) => lead + letter.toUpperCase());
}
