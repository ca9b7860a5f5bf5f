/**
 * Sentences, as Kobo counts them for its reading statistics. `Intl.Segmenter` (ICU's sentence
 * rules) does most of it; its edge cases are mended here:
 * - it ends a sentence after `Mr. ` or `Dr. ` (no abbreviation list in Node's ICU): joined again;
 * - it ends one at every line break (UAX 29, SB4), but a line break inside a paragraph is a soft
 *   one (Markdown's, a template's indent), shown as a space: read as one;
 * - in Chinese it does not end one at `；`, and leaves an opening quote that follows `。` at the end
 *   of the sentence before (`。“` | `好！”`): both are cut where a reader would;
 * - it ends one after a quoted question or exclamation even when the sentence goes on
 *   (`“真的吗？”他问。` is one sentence): joined again;
 * - a run of marks (`！！！”`, `?!`) ends one sentence, not three; a piece of punctuation alone
 *   (`。` after a cut elsewhere) and a closing mark at a piece's start go with the sentence before.
 * It keeps `3.5` and `e.g.` inside a sentence, and closing quotes with the sentence they close.
 */

/** Words ending in `.` after which a sentence does not end (titles, initials, Latin abbreviations). */
const ABBREVIATION =
  /(?:^|[\s(“"'‘，、（])(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sr|Jr|St|Mt|Rev|Gen|Col|Capt|Lt|Sgt|Gov|Sen|Rep|vs|cf|approx|No|Nos|Fig|Figs|Vol|Vols|p|pp|Ch|Sec|Inc|Ltd|Corp|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\.\s*$/;
/** Closing quotes and brackets (not `"` and `'`, which open as often): they stay with the sentence they close. */
const CLOSERS = '”’」』）》〉】)\\]';
/** Chinese sentence ends, a run of them, and the closing quotes and brackets that stay with them. */
const CJK_END = new RegExp(`[。！？；!?]+[${CLOSERS}"']*`, 'g');
/** A quoted question or exclamation that a sentence goes on after (`？”他问`): no end there. */
const QUOTED_ASIDE = new RegExp(`[！？!?][${CLOSERS}"']+$`);
/** Marks that never start a sentence: the one before goes on (`“真的吗？”，他问`). */
const GOES_ON = /^[，、：,:]/;
/** Opening quotes and brackets: they begin the next sentence, never end one. */
const OPENERS = /[“‘「『（《〈【([]+$/;
/** What a piece may start with that belongs to the sentence before. */
export const LEADING_CLOSERS = new RegExp(`^[\\s${CLOSERS}，。、；：！？,.;:!?]+`);
/** A letter or digit: a piece without one is punctuation (or space) alone. */
export const WORD = /[\p{L}\p{N}]/u;
/** Line breaks ICU ends a sentence at (UAX 29's ParaSep and the others it counts as one). */
const LINE_BREAK = /[\n\r\u0085\u2028\u2029\v\f]/g;

/** The sentences of a text, in order; joined, they are the text. */
export function sentences(text: string, lang: string): string[] {
  const cuts = new Set<number>();
  const segmenter = sentenceSegmenter(lang);
  // the same length, so every index found is one of `text`
  const flat = text.replace(LINE_BREAK, ' ');
  for (const { at, chunk, cut } of chunks(flat))
    for (const { index } of segmenter.segment(chunk))
      if (at + index > 0 && (index > 0 || cut)) cuts.add(at + index);
  for (const m of text.matchAll(CJK_END))
    if (m.index! + m[0].length < text.length) cuts.add(m.index! + m[0].length);
  const pieces: string[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    // `“真的吗？”他问`: the quoted question is part of the sentence that goes on (no space: Chinese)
    const next = text.charAt(cut);
    if (GOES_ON.test(next) || (QUOTED_ASIDE.test(text.slice(at, cut)) && WORD.test(next))) continue;
    pieces.push(text.slice(at, cut));
    at = cut;
  }
  pieces.push(text.slice(at));
  const out: string[] = [];
  let carry = '';
  for (const raw of pieces) {
    let piece = carry + raw;
    carry = '';
    const opener = OPENERS.exec(piece);
    if (opener) {
      carry = opener[0];
      piece = piece.slice(0, opener.index);
    }
    if (!piece) continue;
    const last = out.length - 1;
    if (last < 0) {
      out.push(piece);
      continue;
    }
    // closing marks a cut left at the start go back to the sentence they close
    const closing = LEADING_CLOSERS.exec(piece)?.[0] ?? '';
    if (closing && WORD.test(out[last]!)) {
      out[last] += closing;
      piece = piece.slice(closing.length);
      if (!piece) continue;
    }
    if (ABBREVIATION.test(out[last]!) || !WORD.test(out[last]!) || !WORD.test(piece)) out[last] += piece;
    else out.push(piece);
  }
  if (carry) {
    if (out.length > 0 && !WORD.test(carry)) out[out.length - 1] += carry;
    else out.push(carry);
  }
  return out;
}

/** About the longest text ICU segments at once: its sentence rules take time quadratic in a run of sentences that look ahead (`Sentence. Two, ` repeated: 80 s for 480 KB). */
const CHUNK = 1000;

/**
 * The text in pieces of about CHUNK characters, each but the last ending after a sentence's end
 * and its space (`cut`: a sentence ends there), or, where none is near, at a space or anywhere.
 */
function* chunks(text: string): Generator<{ at: number; chunk: string; cut: boolean }> {
  let at = 0;
  let cut = false;
  while (text.length - at > 2 * CHUNK) {
    const window = text.slice(at + CHUNK, at + 2 * CHUNK);
    const end = /[.!?。！？][”’」』)）"']*\s+/.exec(window);
    const space = end ? undefined : window.search(/\s/);
    const next =
      at + CHUNK + (end ? end.index + end[0].length : space !== undefined && space >= 0 ? space + 1 : CHUNK);
    yield { at, chunk: text.slice(at, next), cut };
    cut = end !== null;
    at = next;
  }
  yield { at, chunk: text.slice(at), cut };
}

/** ICU's sentence rules for a language; the root rules for `und` and for a tag ICU refuses (`en_US`). */
function sentenceSegmenter(lang: string): Intl.Segmenter {
  try {
    return new Intl.Segmenter(lang === 'und' || lang === '' ? undefined : lang, { granularity: 'sentence' });
  } catch {
    return new Intl.Segmenter(undefined, { granularity: 'sentence' });
  }
}
