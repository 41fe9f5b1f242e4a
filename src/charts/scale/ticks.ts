/** Tick positions and their labels, plus the "nice" domain they span. */
export interface Ticks {
  domain: [number, number];
  values: number[];
  labels: string[];
}

// Up to EiB: charts draw nothing beyond 2^64 bytes (see input/plausible.ts), rates may reach a little past it.
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** Ticks an axis may carry beyond the `maxTicks` asked for (its ends widened to whole steps), whatever the numbers. */
const EXTRA_TICKS = 2;

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const base = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 2.5, 5]) if (m * base >= rough * (1 - 1e-9)) return m * base;
  return 10 * base;
}

/** Decimals needed to print multiples of `step` exactly (2.5 needs one, 0.25 two, 50 none). */
function decimalsFor(step: number): number {
  let digits = 0;
  while (digits < 6 && Math.abs(Math.round(step * 10 ** digits) - step * 10 ** digits) > 1e-6) digits++;
  return digits;
}

/**
 * Ticks for bytes (or bytes per second with `suffix: '/s'`) in binary units: the unit is chosen from the largest
 * magnitude, then the step is a nice decimal multiple of that unit (25 MiB, 0.5 GiB), so labels read naturally.
 * The domain is widened to whole steps; it contains `lo` and `hi`. At most `maxTicks` + 2 ticks, whatever the
 * numbers: a non-finite bound counts as 0, and a range too wide for a double is narrowed to the largest one.
 */
export function byteTicks(lo: number, hi: number, maxTicks: number, options: { suffix?: string; signed?: boolean } = {}): Ticks {
  if (!Number.isFinite(lo)) lo = 0;
  if (!Number.isFinite(hi)) hi = lo;
  if (!(hi > lo)) hi = lo + (lo === 0 ? 1024 : Math.abs(lo) * 0.1);
  // Widening the largest doubles upwards overflows: widen them downwards instead.
  if (!Number.isFinite(hi)) [lo, hi] = [lo - Math.abs(lo) * 0.1, lo];
  const ticks = Math.max(1, Math.floor(maxTicks));
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
  const k = Math.min(BINARY_UNITS.length - 1, Math.max(0, Math.floor(Math.log(magnitude) / Math.log(1024))));
  const unit = 1024 ** k;
  // Halves first: hi - lo overflows for bounds of opposite sign near the largest double.
  const halfRange = hi / 2 - lo / 2;
  let stepInUnit = niceStep(((halfRange / unit) * 2) / ticks);
  if (k === 0) stepInUnit = Math.max(1, stepInUnit);
  // Near the largest double a nice step can round up to Infinity: half the range is then the step.
  const step = Number.isFinite(stepInUnit * unit) ? stepInUnit * unit : halfRange;
  const first = Math.floor(lo / step + 1e-9);
  // At least one step: a range narrower than the smallest step (a byte) would otherwise collapse to a point.
  const last = Math.max(first + 1, Math.min(Math.ceil(hi / step - 1e-9), first + ticks + EXTRA_TICKS));
  const digits = decimalsFor(stepInUnit);
  const values: number[] = [];
  const labels: string[] = [];
  const label = (value: number, sign: string): string => `${sign}${(value / unit).toFixed(digits)} ${BINARY_UNITS[k]}${options.suffix ?? ''}`;
  let cutLow = false;
  let cutHigh = false;
  // Counted from 0, not from `first`: past 2^53, first + 1 === first, and i++ would never reach `last`.
  for (let j = 0; j <= Math.min(last - first, ticks + EXTRA_TICKS); j++) {
    const i = first + j;
    const value = i * step;
    // A whole step past the largest double does not exist: the axis then ends on the data's own bound instead.
    if (!Number.isFinite(value)) {
      if (value < 0) cutLow = true;
      else cutHigh = true;
      continue;
    }
    values.push(value);
    labels.push(i === 0 ? '0' : label(value, options.signed === true && i > 0 ? '+' : ''));
  }
  if (values.length < 2) return { domain: [lo, hi], values: [lo, hi], labels: [label(lo, ''), label(hi, '')] };
  if (cutLow && (values[0] as number) > lo) {
    values.unshift(lo);
    labels.unshift(label(lo, ''));
  }
  if (cutHigh && (values[values.length - 1] as number) < hi) {
    values.push(hi);
    labels.push(label(hi, options.signed === true && hi > 0 ? '+' : ''));
  }
  return { domain: [values[0] as number, values[values.length - 1] as number], values, labels };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 7 * 24 * HOUR,
];

/** How elapsed times are printed, chosen once per axis from its span so that every label uses the same format. */
export type ElapsedFormat = 's' | 'm:ss' | 'h:mm' | 'd';

export function elapsedFormat(spanMs: number): ElapsedFormat {
  if (spanMs < 2 * MINUTE) return 's';
  if (spanMs < 3 * HOUR) return 'm:ss';
  if (spanMs < 3 * DAY) return 'h:mm';
  return 'd';
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** 12.5 s, 3:07, 1:05 (h:mm), 12 (days); negative times keep their sign. */
export function formatElapsed(ms: number, format: ElapsedFormat, decimals = 0): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (format === 's') return `${sign}${(abs / SECOND).toFixed(decimals)}`;
  if (format === 'd') return `${sign}${(abs / DAY).toFixed(decimals)}`;
  if (format === 'm:ss') {
    const total = Math.round(abs / SECOND);
    return `${sign}${Math.floor(total / 60)}:${pad2(total % 60)}`;
  }
  const minutes = Math.round(abs / MINUTE);
  return `${sign}${Math.floor(minutes / 60)}:${pad2(minutes % 60)}`;
}

/**
 * Ticks for an elapsed-time axis from 0 to `spanMs`, at most `maxTicks` of them (plus the end), on round steps
 * (15 s, 5 min, 6 h, whole days beyond a week).
 */
export function timeTicks(spanMs: number, maxTicks: number): Ticks & { format: ElapsedFormat; unitLabel: string } {
  const span = Number.isFinite(spanMs) && spanMs > 0 ? spanMs : 1;
  const ticks = Math.max(1, Math.floor(maxTicks));
  const step = TIME_STEPS.find((s) => span / s <= ticks) ?? Math.max(1, niceStep(span / ticks / DAY)) * DAY;
  const format = elapsedFormat(span);
  const decimals = format === 's' ? decimalsFor(step / SECOND) : format === 'd' ? decimalsFor(step / DAY) : 0;
  const values: number[] = [];
  const labels: string[] = [];
  // Compared as a ratio: near the largest double, `span * (1 + 1e-9)` would overflow and let the loop run to its cap.
  for (let i = 0; (i * step) / span <= 1 + 1e-9 && i <= ticks + EXTRA_TICKS; i++) {
    values.push(i * step);
    labels.push(formatElapsed(i * step, format, decimals));
  }
  const unitLabel = format === 's' ? 's' : format === 'd' ? 'days' : format;
  return { domain: [0, span], values, labels, format, unitLabel };
}
