import { intOption, numberOption } from '../../internal/validate.js';

/** Options of {@link LeakDetector}. Every field is optional; the defaults reach a verdict on a ~1 MiB/s leak in about a minute. */
export interface LeakDetectorOptions {
  /**
   * Readings taken before `startTime + warmUpMs` are ignored: start-up (module loading, JIT code, caches filling)
   * grows memory on every healthy service. 20 s keeps a verdict on a clear leak within about a minute; a warm-up
   * that lasts longer is handled by the sustained-growth check instead (the recent half must still rise), at the
   * price of a possible alarm of a few seconds when it ends.
   * @default 20000
   */
  warmUpMs?: number;
  /**
   * Only points of the last `windowMs` are analysed, so a growth that stopped ages out. 10 min holds ~120
   * five-second points: plenty for the statistics, cheap for their O(n²).
   * @default 600000
   */
  windowMs?: number;
  /**
   * The analysed points must span at least this long (from 0 to `windowMs`). 30 s is four to five major GCs at
   * the cadence a ~1 MiB/s heap leak causes (one every ~7 s): the shortest span on which a slope means anything.
   * @default 30000
   */
  minSpanMs?: number;
  /**
   * At least this many analysed points (from 3 to `maxPoints`). Six is the smallest sample on which the
   * Mann–Kendall test can reach p < 0.01 at all (six strictly rising points give p ≈ 0.0043, five give 0.014).
   * @default 6
   */
  minPoints?: number;
  /**
   * Each baseline keeps one point per bucket of this length (from 1 to `windowMs`): the lowest reading in it.
   * 5 s is shorter than the ~7 s between major GCs under a clear leak (each major keeps its own point) and long
   * enough that the several scavenges per second of an external-memory leak collapse into one robust minimum.
   * @default 5000
   */
  bucketMs?: number;
  /**
   * At most this many points per baseline (from 4 to 1000); the oldest is dropped first. The statistics are O(n²)
   * with a scratch buffer of n(n-1)/2 numbers, hence the upper limit (1000 points: 4 MB of scratch). 240 points
   * are 20 min at the default bucket, twice the default window: widening `windowMs` to 20 min needs no other change.
   * @default 240
   */
  maxPoints?: number;
  /**
   * A baseline must rise at least this fast (Theil–Sen slope, bytes per second) to be suspected, and its recent
   * half at least half as fast. 64 KiB/s is 225 MiB an hour — a 1 GiB container dies within hours — and about
   * twice the fastest creep measured on healthy Node 20 processes here (RSS +28 KiB/s, post-GC heap +8 KiB/s over
   * two minutes: real growth, statistically significant, harmless). Slower leaks are for hour-scale alert rules.
   * @default 65536
   */
  minSlopeBytesPerSec?: number;
  /**
   * The line must also rise at least this much across the analysed span (slope × span, bytes), and across the
   * recent half at least half as much, so the shorter the span the steeper the slope must be. A healthy post-GC
   * baseline wanders by a few MiB over a minute, as much as 64 KiB/s over 30 s; in simulation (trendless wander
   * of sd 1.5 MiB, 40 seeds, 10 min each) 8 runs raised a transient false alarm without this test and 1 with
   * 8 MiB. A 1 MiB/s leak grows 8 MiB in 8 s, so its verdict still comes within 60 s; a 100 KiB/s leak waits
   * until ~110 s instead of ~60 s.
   * @default 8388608
   */
  minGrowthBytes?: number;
  /**
   * The Mann–Kendall one-sided p-value must be at most this (from 1e-12 to 0.5). 0.01 still lets six strictly
   * rising points through (p ≈ 0.0043); a looser level mostly admits wander: the test assumes independent readings,
   * and consecutive post-GC baselines are not, so its real false-alarm rate is higher than the nominal one.
   * @default 0.01
   */
  maxPValue?: number;
  /**
   * The Theil–Sen line must explain at least this share of the variance (R², from 0 to 1). A steady leak with
   * ±1 MiB of post-GC noise scores above 0.95, a single step in the middle of the window about 0.7. It rejects
   * positive slopes that the line does not describe — a tilt from a few late points, a sawtooth, noise larger than
   * the trend: for a line plus independent noise of standard deviation σ, R² ≥ 0.5 means a rise of at least ~3.5σ
   * across the window (rise² / 12 ≥ σ²).
   * @default 0.5
   */
  minRSquared?: number;
}

export type ResolvedLeakOptions = Readonly<Required<LeakDetectorOptions>>;

const DAY_MS = 86_400_000;

/** Validates `options` and fills in the defaults. Throws MEMSCOPE_E_INVALID_OPTION naming the first bad field. */
export function resolveLeakOptions(options: LeakDetectorOptions = {}): ResolvedLeakOptions {
  const windowMs = intOption('windowMs', options.windowMs, 600_000, 1000, 7 * DAY_MS);
  const maxPoints = intOption('maxPoints', options.maxPoints, 240, 4, 1000);
  return {
    warmUpMs: intOption('warmUpMs', options.warmUpMs, 20_000, 0, DAY_MS),
    windowMs,
    minSpanMs: intOption('minSpanMs', options.minSpanMs, 30_000, 0, windowMs),
    minPoints: intOption('minPoints', options.minPoints, 6, 3, maxPoints),
    bucketMs: intOption('bucketMs', options.bucketMs, 5000, 1, windowMs),
    maxPoints,
    minSlopeBytesPerSec: numberOption('minSlopeBytesPerSec', options.minSlopeBytesPerSec, 65_536, 0, 1e12),
    minGrowthBytes: numberOption('minGrowthBytes', options.minGrowthBytes, 8 * 1024 * 1024, 0, 1e15),
    maxPValue: numberOption('maxPValue', options.maxPValue, 0.01, 1e-12, 0.5),
    minRSquared: numberOption('minRSquared', options.minRSquared, 0.5, 0, 1),
  };
}
