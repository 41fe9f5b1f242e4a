/** One side of a comparison: the mean, the sample standard deviation (n - 1; null when unknown) and the sample size. */
export interface Sample {
  mean: number;
  sd: number | null;
  n: number;
}

/**
 * Welch's t-test (unequal variances), one-sided in the direction the means moved: the probability of a difference at
 * least this large, that way, if both samples came from distributions with the same mean. Null when it cannot be
 * computed: fewer than two values on a side, or a spread that is unknown or not finite. Two spreads of exactly 0
 * (figures that repeat exactly, iteration after iteration) make any difference certain (0) and no difference 1.
 */
export function welchPValue(a: Sample, b: Sample): number | null {
  if (a.n < 2 || b.n < 2 || a.sd === null || b.sd === null) return null;
  if (![a.mean, b.mean, a.sd, b.sd].every(Number.isFinite)) return null;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se = Math.sqrt(va + vb);
  const diff = Math.abs(b.mean - a.mean);
  if (se === 0) return diff === 0 ? 1 : 0;
  // Welch–Satterthwaite degrees of freedom.
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const p = studentTail(diff / se, df);
  // Figures near the limits of a double (1e300) overflow the arithmetic: no answer rather than a wrong one.
  return Number.isFinite(p) && p >= 0 && p <= 1 ? p : null;
}

/** P(T > t) for Student's t with `df` degrees of freedom (t >= 0), from the regularized incomplete beta function. */
export function studentTail(t: number, df: number): number {
  if (!(t > 0)) return 0.5;
  if (!Number.isFinite(t)) return 0;
  return 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] ?? 1;
  for (let i = 1; i < c.length; i++) sum += (c[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz). */
function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use I_x(a, b) = 1 - I_{1-x}(b, a).
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const clamp = (v: number): number => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / clamp(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / clamp(1 + even * d);
    c = clamp(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / clamp(1 + odd * d);
    c = clamp(1 + odd / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}
