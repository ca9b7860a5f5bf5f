/**
 * Sentences, as Kobo counts them for its reading statistics. `Intl.Segmenter` (ICU's sentence
 * rules) does most of it; its edge cases are mended here:
 * - it ends a sentence after `Mr. ` or `Dr. ` (no abbreviation list in Node's ICU): joined again;
 * - in Chinese it does not end one at `；`, and leaves an opening quote that follows `。` at the end
 *   of the sentence before (`。“` | `好！”`): both are cut where a reader would.
 * It keeps `3.5` and `e.g.` inside a sentence, and closing quotes with the sentence they close.
 */

/** Words ending in `.` after which a sentence does not end (titles, initials, Latin abbreviations). */
const ABBREVIATION =
  /(?:^|[\s(“"'‘])(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sr|Jr|St|Mt|Rev|Gen|Col|Capt|Lt|Sgt|Gov|Sen|Rep|vs|cf|approx|No|Nos|Fig|Figs|Vol|Vols|pp|Ch|Sec|Inc|Ltd|Corp|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\.\s*$/;
/** Chinese sentence ends (and the closing quotes and brackets that stay with them). */
const CJK_END = /[。！？；!?][”’」』）》〉】"']*/g;
/** Opening quotes and brackets: they begin the next sentence, never end one. */
const OPENERS = /[“‘「『（《〈【]+$/;

/** The sentences of a text, in order; joined, they are the text. */
export function sentences(text: string, lang: string): string[] {
  const cuts = new Set<number>();
  const segmenter = new Intl.Segmenter(lang === 'und' ? undefined : lang, { granularity: 'sentence' });
  for (const { index } of segmenter.segment(text)) if (index > 0) cuts.add(index);
  for (const m of text.matchAll(CJK_END))
    if (m.index! + m[0].length < text.length) cuts.add(m.index! + m[0].length);
  const pieces: string[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
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
    if (last >= 0 && (ABBREVIATION.test(out[last]!) || out[last]!.trim() === '' || piece.trim() === ''))
      out[last] += piece;
    else out.push(piece);
  }
  if (carry) out.push(carry);
  return out;
}
