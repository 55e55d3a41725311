/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

const SPELLINGS: Record<string, string> = {
  arcsin: 'asin', arccos: 'acos', arctan: 'atan', arcsinh: 'asinh', arccosh: 'acosh', arctanh: 'atanh',
  sine: 'sin', cosine: 'cos', tangent: 'tan', logarithm: 'log', root: 'sqrt', absolute: 'abs', sgn: 'sign',
  lg: 'log10', ld: 'log2', exponential: 'exp', logistic: 'sigmoid', expit: 'sigmoid',
};

/** The closest known name, if one is close enough to be a likely typo. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  if (Object.hasOwn(SPELLINGS, lower)) return SPELLINGS[lower];
  if (candidates.includes(lower)) return lower;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(lower, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = name.length <= 2 ? 0 : name.length <= 4 ? 1 : 2;
  return bestDistance <= allowed ? best : undefined;
}
