/** The language of leaves, counted from their characters. Pure. */
import { addCode, countScripts, languageOfCounts, type ScriptCounts, stripNonLanguage } from './language.js';
import { type Group, isW, type Leaf } from './leaf.js';

/** The visible text of leaves, for language detection (code and HTML atoms left out). */
function leavesLanguageText(leaves: Leaf[]): string {
  let s = '';
  for (const l of leaves) {
    if (l.kind === 'char') s += l.ch;
    else if (l.kind === 'br' || l.kind === 'nl') s += '\n';
    else s += ' ';
  }
  return s;
}

export function leavesLanguage(leaves: Leaf[]): string {
  const lang = languageOfCounts(leavesScriptCounts(leaves, leavesLanguageText));
  return lang !== 'zh' && lang !== 'ja' && languageGroup(lang) === 'alpha'
    ? (cjkClauseFirst(leaves) ?? lang)
    : lang;
}

/** Full-width marks that end a Chinese or Japanese clause. */
const CLAUSE_END = /^[。！？：；，、]$/;

/**
 * A text that opens with a Chinese (or Japanese) clause of four characters or more, closed by a
 * full-width mark, and goes on in Latin letters that are names (most words capitalised): a
 * caption's translation followed by the credit it keeps (`一个人在厨房洗碗。摄：A. B/Agency via
 * Getty Images`), whose letters outweigh its Han. It is Chinese (`zh`, or `ja` with kana),
 * whatever the count says. An English sentence opens so only when clipping broke a paragraph
 * (`），另一个自我(…). He reported that…`), and then its words are not names: no change.
 */
function cjkClauseFirst(leaves: Leaf[]): string | undefined {
  let han = 0;
  let kana = 0;
  let closed = false;
  let i = 0;
  for (; i < leaves.length; i++) {
    const l = leaves[i]!;
    if (l.group === 'alpha') break;
    if (l.kind !== 'char') continue;
    if (l.group === 'cjk') {
      if (/\p{Script=Han}/u.test(l.ch)) han++;
      else kana++;
    } else if (han + kana >= 4 && CLAUSE_END.test(l.ch)) closed = true;
  }
  if (!closed) return undefined;
  // the words after it: names are capitalised
  let words = 0;
  let capitalised = 0;
  for (let k = i; k < leaves.length; k++) {
    const l = leaves[k]!;
    if (l.group !== 'alpha' || leaves[k - 1]?.group === 'alpha') continue;
    words++;
    if (l.ch !== l.ch.toLowerCase()) capitalised++;
  }
  if (capitalised < 0.6 * words) return undefined;
  return kana >= 0.1 * (han + kana) ? 'ja' : 'zh';
}

/**
 * `countScripts(stripNonLanguage(textOf(leaves)))`, where `textOf` puts each character leaf's
 * character in the text and a space or a line break for the others. Most lines hold nothing
 * stripNonLanguage removes (code, a link target, a tag, a URL, an e-mail address): their
 * characters are counted straight from the leaves, without making the text. A character that
 * may start such a thing (a backtick, `](`, `<`, `:`, `@`, the dot of `www.`) falls back to the
 * text.
 */
export function leavesScriptCounts(leaves: Leaf[], textOf: (leaves: Leaf[]) => string): ScriptCounts {
  const counts = countScripts('');
  for (let i = 0; i < leaves.length; i++) {
    const l = leaves[i]!;
    if (l.kind !== 'char') continue; // a space or a line break in the text: no script
    const c = l.ch.charCodeAt(0);
    if (l.ch.length !== 1 || (MAY_START_NON_LANGUAGE[c] && mayStartNonLanguage(leaves, i)))
      return countScripts(stripNonLanguage(textOf(leaves)));
    addCode(counts, c);
  }
  return counts;
}

/** The characters mayStartNonLanguage looks at, by code. */
const MAY_START_NON_LANGUAGE = new Uint8Array(128);
for (const ch of '`<:@].') MAY_START_NON_LANGUAGE[ch.charCodeAt(0)] = 1;

function mayStartNonLanguage(leaves: Leaf[], i: number): boolean {
  switch (leaves[i]!.ch) {
    case '`':
    case '<':
    case ':':
    case '@':
      return true;
    case ']':
      return leaves[i + 1]?.kind === 'char' && leaves[i + 1]!.ch.startsWith('(');
    case '.':
      return i >= 3 && isW(leaves[i - 1]!) && isW(leaves[i - 2]!) && isW(leaves[i - 3]!);
    default:
      return false;
  }
}

export function languageGroup(lang: string): Group {
  if (lang === 'und') return 'none';
  return lang === 'zh' || lang === 'ja' ? 'cjk' : 'alpha';
}
