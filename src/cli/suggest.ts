// "Did you mean": the nearest of a few known words to a mistyped one, by edit distance.

/** Levenshtein distance. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * The known words near `word`: within two edits for a word of four letters or more, one for a
 * shorter one (or `lst` would offer `get`), or that it begins; the nearest first.
 */
export function nearest(word: string, known: readonly string[]): string[] {
  const most = word.length <= 3 ? 1 : 2;
  return known
    .map((k) => ({ k, d: distance(word.toLowerCase(), k.toLowerCase()) }))
    .filter(({ k, d }) => d <= most || (word.length >= 2 && k.startsWith(word)))
    .sort((a, b) => a.d - b.d)
    .map(({ k }) => k);
}

/** `; did you mean "cn-north-4"?`, or nothing. */
export function didYouMean(word: string, known: readonly string[], quote = (w: string) => JSON.stringify(w)): string {
  const near = nearest(word, known).slice(0, 3);
  return near.length > 0 ? `; did you mean ${near.map(quote).join(' or ')}?` : '';
}
