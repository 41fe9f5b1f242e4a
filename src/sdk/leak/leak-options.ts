import { invalidOption } from '../../internal/errors.js';
import { boolOption, intOption, numberOption, objectOption, optionKeys, rejectUnknownKeys } from '../../internal/validate.js';
import { MEMORY_KINDS, type MemoryKind } from '../types.js';

/**
 * Options of {@link LeakDetector}. Every field is optional. The fields without a scale in their name tune the
 * minutes scale, the one that judges fast leaks; `slowScales` adds the hour and six-hour scales for slow leaks.
 * The defaults were set on the signal-quality benchmark (docs/signal-quality.md): real services under HTTP load,
 * leaks from 4 KiB/s to 2 MiB/s and healthy shapes that must never be flagged.
 */
export interface LeakDetectorOptions {
  /**
   * Readings taken before `startTime + ignoreFirstMs` are dropped: module loading and the first compilations move
   * memory in ways that say nothing about the service.
   * @default 20000
   */
  ignoreFirstMs?: number;
  /**
   * Growth before `startTime + warmUpMs` is never enough on its own: a healthy service fills its caches, pools and
   * compiled code for up to a minute under its first load, exactly as a leak would. Readings from that time still
   * count (they make a leak that started with the process stand out sooner), but a baseline is suspected only when it
   * keeps rising after the warm-up too — by `minGrowthBytes`, over at least three points. Until then the verdict is
   * inconclusive. 60 s covers the warm-up and cache-fill shapes of the benchmark with their load starting at once;
   * raise it for a service whose traffic starts later than memscope.
   * @default 60000
   */
  warmUpMs?: number;
  /**
   * Only points of the last `windowMs` are analysed, so a growth that stopped ages out. 10 min holds ~120
   * five-second points: plenty for the statistics, cheap for their O(n²).
   * @default 600000
   */
  windowMs?: number;
  /**
   * The analysed points must span at least this long (from 0 to `windowMs`).
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
   * Each baseline keeps one point per bucket of this length (from 1 to `windowMs`): the lowest reading in it, so
   * that the several scavenges per second of an external-memory leak collapse into one robust minimum.
   * @default 5000
   */
  bucketMs?: number;
  /**
   * At most this many points per baseline of the minutes scale (from 4 to 1000); the oldest is dropped first. The
   * statistics are O(n²) with a scratch buffer of n(n-1)/2 numbers, hence the upper limit.
   * @default 240
   */
  maxPoints?: number;
  /**
   * A baseline must rise at least this fast (Theil–Sen slope, bytes per second) on the minutes scale, and its
   * recent half at least half as fast. 64 KiB/s is 225 MiB an hour; slower leaks are the slow scales' job.
   * @default 65536
   */
  minSlopeBytesPerSec?: number;
  /**
   * The line must also rise at least this much across the analysed span (slope × span), across the recent half at
   * least half as much, and after the warm-up by this much again. A healthy post-GC heap carries the work in flight
   * when the GC ran — a few MiB up, for tens of seconds — so a shorter rise is not evidence.
   * @default 8388608
   */
  minGrowthBytes?: number;
  /**
   * The rise must also be this many times the baseline's own noise (the spread of consecutive points with the
   * trend taken out; see TrendEvidence.noiseBytes): a service whose work in flight swings its post-GC heap by tens of MiB needs a
   * proportionally larger rise before it is suspected, without anyone tuning `minGrowthBytes`.
   * @default 4
   */
  minGrowthNoiseRatio?: number;
  /**
   * The Mann–Kendall one-sided p-value must be at most this (from 1e-12 to 0.5).
   * @default 0.01
   */
  maxPValue?: number;
  /**
   * The Theil–Sen line must explain at least this share of the variance (R², from 0 to 1): it rejects positive
   * slopes that the line does not describe — a tilt from a few late points, a sawtooth, noise larger than the trend.
   * @default 0.5
   */
  minRSquared?: number;
  /**
   * Judge slow leaks too: an hour scale (one point a minute over the last hour: 8 KiB/s and 16 MiB at least) and a
   * six-hour scale (one point per 5 minutes over 6 hours: 2 KiB/s and 24 MiB at least). Their memory is fixed
   * (about 3 KiB per kind of memory).
   * @default true
   */
  slowScales?: boolean;
  /**
   * The kinds of memory judged; the others are left out of the verdict (their evidence stays empty). Memory tests
   * judge `heap` and `external` only: RSS never shrinks back after a forced GC, so it would read as growth.
   * @default ['heap', 'external', 'array_buffers', 'rss']
   */
  kinds?: readonly MemoryKind[];
}

/** One time scale the baselines are judged on. */
export interface LeakScale {
  /** A short name for reports: `10m`, `1h`, `6h`. */
  readonly name: string;
  readonly bucketMs: number;
  readonly windowMs: number;
  readonly capacity: number;
  readonly minSpanMs: number;
  readonly minPoints: number;
  readonly minSlopeBytesPerSec: number;
  readonly minGrowthBytes: number;
  /**
   * Growth on this scale must go on after `startTime + warmUpMs`. The minutes scale uses the `warmUpMs` option; the
   * slow scales warm up for longer, because what fills slowly in a healthy process — the allocator's arenas under
   * one-off spikes ratcheting RSS up for 20 minutes, a cache reaching its working set — looks like a slow leak until
   * it stops.
   */
  readonly warmUpMs: number;
}

export interface ResolvedLeakOptions {
  readonly ignoreFirstMs: number;
  readonly warmUpMs: number;
  readonly maxPValue: number;
  readonly minRSquared: number;
  readonly minGrowthNoiseRatio: number;
  /** Fastest first. */
  readonly scales: readonly LeakScale[];
  readonly kinds: readonly MemoryKind[];
}

const DAY_MS = 86_400_000;
const MIB = 1024 * 1024;

/** The slow scales: fixed, because what a slow leak looks like does not depend on the service's request rate. */
const HOUR_SCALE: LeakScale = {
  name: '1h',
  bucketMs: 60_000,
  windowMs: 3_600_000,
  capacity: 64,
  minSpanMs: 20 * 60_000,
  minPoints: 10,
  minSlopeBytesPerSec: 8 * 1024,
  minGrowthBytes: 16 * MIB,
  warmUpMs: 20 * 60_000,
};
const SIX_HOUR_SCALE: LeakScale = {
  name: '6h',
  bucketMs: 300_000,
  windowMs: 6 * 3_600_000,
  capacity: 76,
  minSpanMs: 2 * 3_600_000,
  minPoints: 12,
  minSlopeBytesPerSec: 2 * 1024,
  minGrowthBytes: 24 * MIB,
  warmUpMs: 3_600_000,
};

/** Every key of LeakDetectorOptions (a key added to the interface and not here fails to compile). */
export const LEAK_OPTION_KEYS = optionKeys<LeakDetectorOptions>()([
  'ignoreFirstMs', 'warmUpMs', 'windowMs', 'minSpanMs', 'minPoints', 'bucketMs', 'maxPoints', 'minSlopeBytesPerSec',
  'minGrowthBytes', 'minGrowthNoiseRatio', 'maxPValue', 'minRSquared', 'slowScales', 'kinds',
]);

/**
 * Validates `options` and fills in the defaults. Throws MEMSCOPE_E_INVALID_OPTION naming the first bad field, and
 * for an unknown key the closest valid one.
 */
export function resolveLeakOptions(options: LeakDetectorOptions = {}): ResolvedLeakOptions {
  rejectUnknownKeys(objectOption('leak', options), LEAK_OPTION_KEYS);
  const windowMs = intOption('windowMs', options.windowMs, 600_000, 1000, 7 * DAY_MS);
  const maxPoints = intOption('maxPoints', options.maxPoints, 240, 4, 1000);
  const bucketMs = intOption('bucketMs', options.bucketMs, 5000, 1, windowMs);
  const warmUpMs = intOption('warmUpMs', options.warmUpMs, 60_000, 0, DAY_MS);
  const minutes: LeakScale = {
    name: scaleName(windowMs),
    bucketMs,
    windowMs,
    capacity: maxPoints,
    minSpanMs: intOption('minSpanMs', options.minSpanMs, 30_000, 0, windowMs),
    minPoints: intOption('minPoints', options.minPoints, 6, 3, maxPoints),
    minSlopeBytesPerSec: numberOption('minSlopeBytesPerSec', options.minSlopeBytesPerSec, 65_536, 0, 1e12),
    minGrowthBytes: numberOption('minGrowthBytes', options.minGrowthBytes, 8 * MIB, 0, 1e15),
    warmUpMs,
  };
  const slow = boolOption('slowScales', options.slowScales, true);
  const slowScales = [HOUR_SCALE, SIX_HOUR_SCALE].map((s) => ({ ...s, warmUpMs: Math.max(s.warmUpMs, warmUpMs) }));
  return {
    ignoreFirstMs: intOption('ignoreFirstMs', options.ignoreFirstMs, 20_000, 0, DAY_MS),
    warmUpMs,
    maxPValue: numberOption('maxPValue', options.maxPValue, 0.01, 1e-12, 0.5),
    minRSquared: numberOption('minRSquared', options.minRSquared, 0.5, 0, 1),
    minGrowthNoiseRatio: numberOption('minGrowthNoiseRatio', options.minGrowthNoiseRatio, 4, 0, 100),
    // A slow scale no longer than the minutes scale would judge the same points again, only coarser.
    scales: [minutes, ...(slow ? slowScales.filter((s) => s.windowMs > windowMs) : [])],
    kinds: resolveKinds(options.kinds),
  };
}

function resolveKinds(value: unknown): readonly MemoryKind[] {
  if (value === undefined) return MEMORY_KINDS;
  if (!Array.isArray(value) || value.length === 0 || !value.every((k) => (MEMORY_KINDS as readonly unknown[]).includes(k))) {
    throw invalidOption('kinds', `a non-empty list of ${MEMORY_KINDS.join(', ')}`, value);
  }
  return MEMORY_KINDS.filter((k) => (value as unknown[]).includes(k));
}

/** `10m`, `1h`, `90s`: the window of a scale as people say it. */
export function scaleName(windowMs: number): string {
  if (windowMs % 3_600_000 === 0) return `${windowMs / 3_600_000}h`;
  if (windowMs % 60_000 === 0) return `${windowMs / 60_000}m`;
  return `${Math.round(windowMs / 1000)}s`;
}
