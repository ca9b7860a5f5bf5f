/**
 * Author names as clipping leaves them: `By  Zoe Schiffer,  Casey Newton, and  Alex Heath作者：ZOE
 * SCHIFFER、CASEY NEWTON 和 ALEX HEATH` (a byline, then its machine translation). Readers' libraries
 * (calibre, Apple Books) list each name as a person, so each must be one clean name.
 */

/** Where a translated copy of the byline starts (`作者：`, `文／`), or a CJK run in a Latin byline. */
const TRANSLATED_BYLINE = /\s*(作者|撰文|文\s*[／/]|by\s*[:：])\s*[:：]?|(?<=[A-Za-z.]\s*)[\u3400-\u9fff]/i;

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
  const names = text
    .split(/\s*(?:,\s*and\s+|,|;|\s+and\s+|\s+&\s+|、|和|与)\s*/)
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
