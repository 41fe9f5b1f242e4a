/**
 * The Mann–Kendall test for a monotonic trend: distribution-free (it only compares readings with each other), so
 * the long right tail of post-GC heap figures does not fool it the way it fools a t-test on a regression slope.
 */
export interface MannKendallResult {
  /** S = Σ_{i<j} sign(y[j] - y[i]): concordant minus discordant pairs. */
  s: number;
  /** Var(S) under "no trend", with the correction for tied values. */
  variance: number;
  /** (S - 1) / √Var for S > 0, (S + 1) / √Var for S < 0, 0 for S = 0: the continuity-corrected normal score. */
  z: number;
  /** One-sided p-value for an increasing trend, P(Z >= z). 1 when no test is possible (fewer than 2 distinct values). */
  pValue: number;
}

/**
 * Runs the test on `y`, which must be in time order. O(n²) time, no allocation.
 *
 * Var(S) = [n(n-1)(2n+5) - Σ_g t_g(t_g-1)(2t_g+5)] / 18 over the groups g of t_g equal values. The tie term is
 * gathered inside the pair loop without sorting: if e_i is the number of later readings equal to y[i], the members
 * of a group of t have e = t-1, t-2, ..., 0, and Σ_{e=0}^{t-1} 6e(e+2) = t(t-1)(2t+5), so the term is Σ_i 6e_i(e_i+2).
 */
export function mannKendall(y: ArrayLike<number>): MannKendallResult {
  const n = y.length;
  let s = 0;
  let tieTerm = 0;
  for (let i = 0; i < n - 1; i++) {
    const yi = y[i] as number;
    let equal = 0;
    for (let j = i + 1; j < n; j++) {
      const d = (y[j] as number) - yi;
      if (d > 0) s++;
      else if (d < 0) s--;
      else equal++;
    }
    tieTerm += 6 * equal * (equal + 2);
  }
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (!(variance > 0)) return { s, variance: 0, z: 0, pValue: 1 };
  const sd = Math.sqrt(variance);
  const z = s > 0 ? (s - 1) / sd : s < 0 ? (s + 1) / sd : 0;
  return { s, variance, z, pValue: normalUpperTail(z) };
}

/** P(Z >= z) for a standard normal Z, with the relative accuracy of {@link erfc} (better than 1.2e-7). */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * The complementary error function by the Chebyshev fit of Numerical Recipes (2nd ed., §6.2, `erfcc`): fractional
 * error below 1.2e-7 for every x. Chosen over Abramowitz–Stegun 7.1.26, whose bound (1.5e-7) is absolute: fine
 * near p = 0.5 but meaningless for the small tail p-values (1e-4 and below) that a trend test is judged by.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 +
      t * (0.37409196 +
        t * (0.09678418 +
          t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}
