/**
 * "Did you mean": the known word nearest to a mistyped one (an option, a command, a book.toml
 * key), as git and cargo suggest. Nearness is the optimal string alignment distance: inserting,
 * deleting or changing a letter, or swapping two neighbours (`titel` -> `title`), costs one.
 */

/** The candidate nearest to `word`, when it is near enough to be what was meant; else undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const typed = word.toLowerCase();
  // one edit in a short word, two from six letters on, three from nine: `bild`, `--formt`, `--contnet`
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const known = candidate.toLowerCase();
    // a prefix of a single long enough candidate (`--verb` for `--verbose`) is what was meant
    const distance = known.startsWith(typed) && typed.length >= 3 ? 0.5 : editDistance(typed, known);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance; words here are a few letters long (the inputs are capped). */
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>, quote = '"'): string {
  const guess = closest(word, candidates);
  return guess === undefined ? '' : ` (did you mean ${quote}${guess}${quote}?)`;
}
