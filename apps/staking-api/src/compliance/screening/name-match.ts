/**
 * Name screening: names are compared after normalising case, diacritics, punctuation and word
 * order, token by token with an edit-distance similarity, so "Yasin Abdul Rahmn" matches
 * "ABDUL RAHMAN YASIN" (another order, one typo).
 */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .sort();
}

/** The normalised form: tokens sorted and joined, the equality key of a name. */
export const normaliseName = (name: string): string => nameTokens(name).join(' ');

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[b.length]!;
}

const similar = (a: string, b: string) => 1 - levenshtein(a, b) / Math.max(a.length, b.length, 1);

/** Each token of `from` against its best counterpart in `to`, weighted by token length. */
function coverage(from: string[], to: string[]): number {
  const total = from.reduce((n, t) => n + t.length, 0);
  if (!total || !to.length) return 0;
  const matched = from.reduce(
    (n, t) => n + t.length * Math.max(...to.map((u) => similar(t, u))),
    0,
  );
  return matched / total;
}

/** Similarity of two names, 0–1; symmetric (the weaker direction counts). */
export function nameSimilarity(a: string, b: string): number {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (!ta.length || !tb.length) return 0;
  if (ta.join(' ') === tb.join(' ')) return 1;
  return Math.min(coverage(ta, tb), coverage(tb, ta));
}
