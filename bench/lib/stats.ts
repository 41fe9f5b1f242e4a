/** Medians and their distribution-free confidence intervals, for benchmarks that keep every round. */

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** The value at quantile `q` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/**
 * A confidence interval for the median from order statistics (no assumption about the distribution): the k-th
 * smallest and k-th largest of n values, k the largest rank with P(Binomial(n, 1/2) < k) <= (1 - level) / 2. Its
 * coverage is at least `level` (97.9 % for 10 values at level 0.95). With fewer than 6 values no such k exists at
 * 95 %: the interval is then the whole range, and says so by `exact: false`.
 */
export function medianInterval(values: readonly number[], level = 0.95): { low: number; high: number; exact: boolean } {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, exact: false };
  const alpha = (1 - level) / 2;
  let k = 0;
  let cumulative = 0;
  // cumulative = P(X <= j - 1) for X ~ Binomial(n, 1/2); k = the largest j with P(X <= j - 1) <= alpha.
  for (let j = 1; j <= Math.floor(n / 2); j++) {
    cumulative += binomialHalf(n, j - 1);
    if (cumulative <= alpha) k = j;
    else break;
  }
  if (k === 0) return { low: s[0]!, high: s[n - 1]!, exact: false };
  return { low: s[k - 1]!, high: s[n - k]!, exact: true };
}

/** P(X = j) for X ~ Binomial(n, 1/2). */
function binomialHalf(n: number, j: number): number {
  let logChoose = 0;
  for (let i = 1; i <= j; i++) logChoose += Math.log(n - j + i) - Math.log(i);
  return Math.exp(logChoose - n * Math.LN2);
}

/** `0.98 [0.96–1.01]`: a median ratio with its interval; `(range)` when too few rounds for a 95 % interval. */
export function formatRatio(values: readonly number[], digits = 2): string {
  const m = median(values);
  const ci = medianInterval(values);
  return `${m.toFixed(digits)} [${ci.low.toFixed(digits)}–${ci.high.toFixed(digits)}${ci.exact ? '' : ' (range)'}]`;
}
