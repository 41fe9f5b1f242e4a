/**
 * The Theil–Sen line: slope = median of the slopes of all pairs of points, intercept = median of `y - slope * x`.
 * Unlike least squares it ignores up to ~29% of wild points (its breakdown point), which is what a memory baseline
 * needs: one GC that happened to run mid-burst must not tilt the line.
 */
export interface TheilSenFit {
  /** Median pairwise slope, in y units per x unit (bytes per second when the detector calls it). */
  slope: number;
  /** Median of `y - slope * x`. */
  intercept: number;
}

/**
 * Fits a Theil–Sen line through `(x[i], y[i])` for `i < min(x.length, y.length)`. O(n²) time; pairs with equal `x`
 * carry no slope and are skipped. With no usable pair the slope is 0 (a flat line through the median of `y`); with
 * no point at all both are 0. Inputs are not modified. `scratch`, when at least `max(n(n-1)/2, n)` long, is used as
 * working memory instead of allocating one (its contents are overwritten).
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>, scratch?: Float64Array): TheilSenFit {
  const n = Math.min(x.length, y.length);
  if (n === 0) return { slope: 0, intercept: 0 };
  const need = theilSenScratchSize(n);
  const buf = scratch !== undefined && scratch.length >= need ? scratch : new Float64Array(need);
  let m = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    for (let j = i + 1; j < n; j++) {
      const dx = (x[j] as number) - xi;
      if (dx !== 0) buf[m++] = ((y[j] as number) - yi) / dx;
    }
  }
  const slope = m === 0 ? 0 : medianInPlace(buf, m);
  for (let i = 0; i < n; i++) buf[i] = (y[i] as number) - slope * (x[i] as number);
  return { slope, intercept: medianInPlace(buf, n) };
}

/** The scratch length `theilSen` needs for `n` points. */
export function theilSenScratchSize(n: number): number {
  return Math.max((n * (n - 1)) / 2, n);
}

/**
 * Coefficient of determination of the line `y = slope * x + intercept`: `1 - SSres / SStot`. The line is not the
 * least-squares one, so the value can be negative (the line fits worse than the mean) and is not clamped. When all
 * `y` are equal (SStot = 0) it is 1 if the line passes through every point and 0 otherwise — the convention of
 * scikit-learn's `r2_score`. NaN when there is no point.
 */
export function rSquared(x: ArrayLike<number>, y: ArrayLike<number>, slope: number, intercept: number): number {
  const n = Math.min(x.length, y.length);
  if (n === 0) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] as number;
  mean /= n;
  let ssTot = 0;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i] as number;
    const residual = yi - (slope * (x[i] as number) + intercept);
    ssRes += residual * residual;
    ssTot += (yi - mean) * (yi - mean);
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/**
 * Median of `values[0..length)`, found by selection (average O(length)) rather than by sorting. The range is
 * reordered in place. NaN for an empty range.
 */
export function medianInPlace(values: Float64Array, length = values.length): number {
  if (length <= 0) return Number.NaN;
  const upper = length >>> 1;
  if (length % 2 === 1) return selectInPlace(values, upper, length);
  const low = selectInPlace(values, upper - 1, length);
  // After selection everything above index upper-1 is >= low: the other middle value is the least of them.
  let high = Number.POSITIVE_INFINITY;
  for (let i = upper; i < length; i++) high = Math.min(high, values[i] as number);
  return (low + high) / 2;
}

/**
 * Hoare's quickselect with a median-of-three pivot: moves the k-th smallest of `values[0..length)` to index k (with
 * nothing larger before it and nothing smaller after it) and returns it. Falls back to sorting the remaining range
 * when partitioning stops making progress, so the worst case is O(n log n) rather than O(n²) (introselect).
 */
function selectInPlace(v: Float64Array, k: number, length: number): number {
  let lo = 0;
  let hi = length - 1;
  let budget = 2 * Math.ceil(Math.log2(length + 1)) + 4;
  while (hi > lo) {
    if (budget-- === 0) {
      v.subarray(lo, hi + 1).sort();
      break;
    }
    const mid = (lo + hi) >>> 1;
    if ((v[mid] as number) < (v[lo] as number)) swap(v, mid, lo);
    if ((v[hi] as number) < (v[lo] as number)) swap(v, hi, lo);
    if ((v[hi] as number) < (v[mid] as number)) swap(v, hi, mid);
    const pivot = v[mid] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((v[i] as number) < pivot) i++;
      while ((v[j] as number) > pivot) j--;
      if (i <= j) swap(v, i++, j--);
    }
    // Now v[lo..j] <= pivot, v[i..hi] >= pivot and anything strictly between j and i equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return v[k] as number;
}

function swap(v: Float64Array, a: number, b: number): void {
  const t = v[a] as number;
  v[a] = v[b] as number;
  v[b] = t;
}
