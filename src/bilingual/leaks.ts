/**
 * Markdown syntax that leaked into a reader's text: what a side shows when markup was cut
 * wrongly (`[Exercise` / `锻炼身体](url)`, `_Molecular biology` / `分子生物学_`). Counted on the
 * plain text of one side, with inline code already left out. Pure.
 *
 * A cut leaves its traces at the edges of a side (the opener at the start of the original, the
 * closer at the end of the translation), so lone `_`, `*` and `[` count there; `](`, `**` or
 * `__` stuck to a word, and an odd number of backticks count anywhere. URLs are left out
 * (`record_format`), and so are literals an author wrote on purpose in the middle of a
 * sentence (`Every good ____ does fine`, `only\* solution`), and an asterisk note (`*Note: …`).
 */

const URL = /\b(?:https?|ftp|mailto):[^\s<>"'）]+|\bwww\.[^\s<>"'）]+/gi;

export interface LeakReport {
  count: number;
  kinds: string[];
}

export function findLeaks(text: string): LeakReport {
  const kinds: string[] = [];
  let count = 0;
  const add = (kind: string, n = 1) => {
    if (n <= 0) return;
    count += n;
    if (!kinds.includes(kind)) kinds.push(kind);
  };
  const t = text.replace(URL, ' ').trim();
  add('](', t.match(/\]\(/g)?.length ?? 0);
  add('**', t.match(/(?<=[\p{L}\p{N}])(\*\*|__)(?![_*])|(?<![_*])(\*\*|__)(?=[\p{L}\p{N}])/gu)?.length ?? 0);
  const edge = t.replace(/^[\s"'“‘(（]+/, '');
  // an asterisk note (`*Note: …`, answering an `only*` earlier) is text, not an opener
  if (/^[_*](?=[\p{L}\p{N}“"‘'])/u.test(edge) && !/^\*\p{Lu}\p{L}{0,12}[:：]/u.test(edge)) add(edge[0]!);
  if (/^\[(?![^\]]*\])/.test(edge)) add('[');
  const end = t.replace(/[\s"'”’)）.,;:!?。，；：！？]+$/, '');
  if (/(?<=[\p{L}\p{N}\p{P}])[_*]$/u.test(end) && !/[_*]{2,}$/.test(end)) add(end[end.length - 1]!);
  if (/^[^[]*\]$/.test(end) && !end.includes('[')) add(']');
  const ticks = t.match(/`/g)?.length ?? 0;
  if (ticks % 2 === 1) add('`');
  return { count, kinds };
}

export function markupLeaks(text: string): number {
  return findLeaks(text).count;
}
