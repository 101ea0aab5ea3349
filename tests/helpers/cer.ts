/**
 * Character error rate of OCR output against the known text: Levenshtein distance over Unicode code points,
 * divided by the reference length. Whitespace is removed from both first, because OCR layout (line breaks,
 * indentation, spaces between table cells) is not what is being scored.
 */
export function stripWhitespace(text: string): string[] {
  return Array.from(text.replace(/\s+/gu, ''));
}

export function levenshtein(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

export function characterErrorRate(reference: string, recognized: string): number {
  const expected = stripWhitespace(reference);
  const actual = stripWhitespace(recognized);
  if (expected.length === 0) return actual.length === 0 ? 0 : 1;
  return levenshtein(expected, actual) / expected.length;
}
