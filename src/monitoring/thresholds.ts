/**
 * THE one place for every threshold, window and `for` of memscope's alert and recording rules (the monitoring-mixin
 * habit). `recording-rules.ts` and `alert-rules.ts` only turn these numbers into PromQL; `scripts/generate-rules.ts`
 * writes the result to `deploy/prometheus/rules/` (production) and `test/rules/generated/` (test).
 *
 * Two profiles share every expression and differ only in numbers: `production`, tuned for a 15 s scrape of a
 * long-running service, and `test`, with windows short enough that an end-to-end test sees an alert fire within
 * about two minutes of a real process misbehaving.
 */

/** A Prometheus duration: `30s`, `5m`, `1h`. */
export type PromDuration = `${number}${'s' | 'm' | 'h' | 'd'}`;

export type ProfileName = 'production' | 'test';

/** One severity level of an alert that exists as a warning and as a critical (same name, two rules). */
export interface RatioLevel {
  /** Fires above this share of the limit, 0 to 1. */
  ratio: number;
  for: PromDuration;
}

export interface Thresholds {
  profile: ProfileName;
  /** The scrape job of the instrumented service: `up` and `absent()` need a selector, memscope's own series do not. */
  serviceJob: string;
  /** Rule-group evaluation interval; `undefined` leaves it to the global `evaluation_interval` of prometheus.yml. */
  evaluationInterval: PromDuration | undefined;
  /** V8 heap used (sum over spaces) over V8's heap limit: past it V8 aborts with "heap out of memory". */
  heapNearLimit: { warning: RatioLevel; critical: RatioLevel };
  /** Process RSS over the cgroup memory limit: past it the kernel OOM-kills the process (SIGKILL, no stack trace). */
  rssNearContainerLimit: { warning: RatioLevel; critical: RatioLevel };
  /** V8 heap limit over the container limit; above `maxRatio` the OOM killer strikes before V8 can report anything. */
  heapLimitAboveContainerLimit: { maxRatio: number; for: PromDuration };
  /** The leak alert: memscope's verdict, confirmed by a PromQL trend on the post-GC baseline, after a warm-up. */
  leak: {
    /** Window of `deriv()` over the post-GC baseline. */
    derivWindow: PromDuration;
    /** The baseline must rise at least this fast over `derivWindow`, bytes per second. */
    minGrowthBytesPerSecond: number;
    /** No verdict is trusted until the process has run this long (restart guard). */
    warmUp: PromDuration;
    for: PromDuration;
  };
  /**
   * The exhaustion forecast (`memscope_memory_exhaustion_forecast_seconds`): the SDK's time until the heap limit or
   * the container limit at the current post-GC baseline trend. A level fires when the forecast stays under its
   * horizon for its `for`. The SDK forecasts only from a trend of the running process, so a deploy or a restart (a
   * new process, a new baseline) starts with no forecast instead of extrapolating the jump.
   */
  exhaustion: { warning: { horizon: PromDuration; for: PromDuration }; critical: { horizon: PromDuration; for: PromDuration } };
  /** Share of wall-clock time the main thread spends in GC pauses. */
  gcPressure: { rateWindow: PromDuration; maxTimeRatio: number; for: PromDuration };
  /** A phase's heap delta compared with its own recent history. */
  phaseDeltaJump: { history: PromDuration; factor: number; minBytes: number; for: PromDuration };
  /** `up == 0` of one instance of the service. */
  targetDown: { for: PromDuration };
  /** No instance of the service is up, or none is discovered at all. */
  jobMissing: { for: PromDuration };
  /** memscope probes failing: their series are absent, so alerts built on them go blind. */
  probeErrors: { window: PromDuration; for: PromDuration };
  /** Process restarts seen as changes of `memscope_process_start_time_seconds`. */
  restarts: { window: PromDuration; maxRestarts: number; for: PromDuration };
}

const MiB = 2 ** 20;
const KiB = 2 ** 10;

export const PRODUCTION: Thresholds = {
  profile: 'production',
  serviceJob: 'bms',
  // The global evaluation_interval (15 s, the scrape interval) applies: one evaluation per fresh sample.
  evaluationInterval: undefined,
  heapNearLimit: {
    // 85 % for 5 min: GC could not bring the heap back under it for twenty scrapes in a row, so it is live data,
    // not a sawtooth peak (a sawtooth crosses the line only at its peaks and resets `for` every trough).
    warning: { ratio: 0.85, for: '5m' },
    // 95 %: V8 is running back-to-back mark-compacts ("ineffective mark-compacts near heap limit") and aborts soon;
    // 2 min is long enough to skip one huge request, short enough to page before the crash.
    critical: { ratio: 0.95, for: '2m' },
  },
  rssNearContainerLimit: {
    warning: { ratio: 0.85, for: '5m' },
    // 90 %, not 95 %: RSS rarely shrinks (V8 and malloc keep their pages), so unlike the heap no GC will pull it
    // back, and the kernel kills without warning at 100 %. One burst of traffic is all the margin left.
    critical: { ratio: 0.9, for: '2m' },
  },
  heapLimitAboveContainerLimit: {
    // 1: the heap alone may outgrow the container. The real margin is smaller (RSS = heap + code + stacks + buffers),
    // but a stricter ratio would also flag deliberate, tight settings; the runbook says to aim for ~75 %.
    maxRatio: 1,
    // A standing misconfiguration, never urgent; 15 min skips replicas that a rolling deploy replaces anyway.
    for: '15m',
  },
  leak: {
    // 30 min is three times the SDK's own 10 min window: the trend must outlast what the detector looked at. A step
    // of h bytes moves deriv() by at most 1.5 h / window (and for less than one window), a single spike far less.
    derivWindow: '30m',
    // The slowest rate the SDK's verdict reaches (2 KiB/s, its six-hour scale): the trend confirms the verdict — a
    // flat baseline or a step it was fooled by — but must not veto a slow leak the verdict has found. Over 30 min of
    // 15 s scrapes, deriv()'s own noise on a post-GC baseline wandering by ±5 MiB is under 1 KiB/s.
    minGrowthBytesPerSecond: 2 * KiB,
    // As long as derivWindow, so the trend never spans a restart: across one, the post-GC baseline falls, then
    // climbs back while caches fill, and a 30 min deriv() keeps rising for a quarter of an hour after the climb
    // (test/rules/must-not-fire.test.yml shows both). Fast leaks that restart sooner are caught by
    // MemscopeHeapNearLimit, MemscopeRssNearContainerLimit and MemscopeProcessRestarting.
    warmUp: '30m',
    // The SDK verdict can flip to 1 for a few minutes on a one-off step (until the step leaves the recent half of
    // its window, ~5 min); 15 min of agreement is three times that.
    for: '15m',
  },
  exhaustion: {
    warning: { horizon: '4h', for: '15m' },
    critical: { horizon: '1h', for: '5m' },
  },
  gcPressure: {
    // Twenty scrapes: one long mark-compact moves the share by a few percent at most.
    rateWindow: '5m',
    // A healthy Node.js service pauses 1-5 % of the time for GC; 10 % sustained means the heap is too small for the
    // live data or allocation is out of hand, and latency already suffers.
    maxTimeRatio: 0.1,
    for: '15m',
  },
  phaseDeltaJump: {
    history: '1h',
    // Three times the phase's hourly average: far outside what GC timing does to one phase's delta.
    factor: 3,
    // 32 MiB floor: a phase's heap delta moves by up to the young generation's size (16-64 MiB on 64-bit Node)
    // depending on whether a scavenge ran inside it; smaller jumps are noise.
    minBytes: 32 * MiB,
    // The gauge keeps the last completed instance: 5 min means the next instances did not bring it back down.
    for: '5m',
  },
  // 5 min: twenty failed scrapes; a rolling restart of one replica takes well under that.
  targetDown: { for: '5m' },
  // Critical: no replica is being scraped, so the service is down or every other alert here is blind.
  jobMissing: { for: '5m' },
  probeErrors: {
    window: '10m',
    // increase() over 10 min stays > 0 for 10 min after one failure; 15 min of it means the probe keeps failing.
    for: '15m',
  },
  restarts: {
    window: '1h',
    // Three restarts in an hour is a crash loop (OOM kills, most likely), not a deploy (one restart per replica).
    maxRestarts: 2,
    // changes() already spans an hour; 5 min only keeps a single evaluation from paging.
    for: '5m',
  },
};

/**
 * Same rules, short windows: the end-to-end test scrapes every few seconds and must see e.g. a 1 MiB/s leak fire
 * within ~2 minutes (the SDK's verdict takes ~60 s, the warm-up 1 min, `for` 30 s). Ratios and byte thresholds stay
 * those of production, so the test exercises the real expressions at the real levels.
 */
export const TEST: Thresholds = {
  ...PRODUCTION,
  profile: 'test',
  evaluationInterval: '5s',
  heapNearLimit: { warning: { ratio: 0.85, for: '30s' }, critical: { ratio: 0.95, for: '15s' } },
  rssNearContainerLimit: { warning: { ratio: 0.85, for: '30s' }, critical: { ratio: 0.9, for: '15s' } },
  heapLimitAboveContainerLimit: { maxRatio: 1, for: '30s' },
  leak: { derivWindow: '1m', minGrowthBytesPerSecond: 2 * KiB, warmUp: '1m', for: '30s' },
  exhaustion: { warning: { horizon: '4h', for: '30s' }, critical: { horizon: '1h', for: '15s' } },
  gcPressure: { rateWindow: '1m', maxTimeRatio: 0.1, for: '30s' },
  phaseDeltaJump: { history: '5m', factor: 3, minBytes: 32 * MiB, for: '30s' },
  targetDown: { for: '30s' },
  jobMissing: { for: '30s' },
  probeErrors: { window: '1m', for: '30s' },
  restarts: { window: '5m', maxRestarts: 2, for: '30s' },
};

export const PROFILES: Readonly<Record<ProfileName, Thresholds>> = { production: PRODUCTION, test: TEST };

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Seconds in a Prometheus duration of one unit (`90s`, `30m`); throws on anything else. */
export function durationSeconds(duration: PromDuration): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(duration);
  if (m === null) throw new Error(`invalid duration ${JSON.stringify(duration)}: expected a whole number and one of s, m, h, d`);
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

/** Throws, naming the field, when a profile's numbers contradict each other or leave their range. */
export function validateThresholds(t: Thresholds): Thresholds {
  const ratio = (field: string, value: number, max = 1): void => {
    if (!(value > 0 && value <= max)) throw new Error(`${t.profile}.${field} must be in (0, ${max}], got ${value}`);
  };
  const positive = (field: string, value: number): void => {
    if (!(value > 0)) throw new Error(`${t.profile}.${field} must be > 0, got ${value}`);
  };
  for (const [name, alert] of [['heapNearLimit', t.heapNearLimit], ['rssNearContainerLimit', t.rssNearContainerLimit]] as const) {
    ratio(`${name}.warning.ratio`, alert.warning.ratio);
    ratio(`${name}.critical.ratio`, alert.critical.ratio);
    if (alert.warning.ratio >= alert.critical.ratio) {
      throw new Error(`${t.profile}.${name}.warning.ratio (${alert.warning.ratio}) must be below critical.ratio (${alert.critical.ratio})`);
    }
  }
  ratio('heapLimitAboveContainerLimit.maxRatio', t.heapLimitAboveContainerLimit.maxRatio, 10);
  positive('leak.minGrowthBytesPerSecond', t.leak.minGrowthBytesPerSecond);
  if (durationSeconds(t.leak.warmUp) < durationSeconds(t.leak.derivWindow)) {
    throw new Error(
      `${t.profile}.leak.warmUp (${t.leak.warmUp}) must be at least leak.derivWindow (${t.leak.derivWindow}): ` +
        'the trend must not span a restart',
    );
  }
  if (durationSeconds(t.exhaustion.critical.horizon) >= durationSeconds(t.exhaustion.warning.horizon)) {
    throw new Error(`${t.profile}.exhaustion.critical.horizon (${t.exhaustion.critical.horizon}) must be shorter than warning.horizon (${t.exhaustion.warning.horizon})`);
  }
  ratio('gcPressure.maxTimeRatio', t.gcPressure.maxTimeRatio);
  if (!(t.phaseDeltaJump.factor > 1)) throw new Error(`${t.profile}.phaseDeltaJump.factor must be > 1, got ${t.phaseDeltaJump.factor}`);
  positive('phaseDeltaJump.minBytes', t.phaseDeltaJump.minBytes);
  if (!(Number.isInteger(t.restarts.maxRestarts) && t.restarts.maxRestarts >= 0)) {
    throw new Error(`${t.profile}.restarts.maxRestarts must be a whole number >= 0, got ${t.restarts.maxRestarts}`);
  }
  everyDuration(t, t.profile);
  if (!/^[a-zA-Z_][a-zA-Z0-9_-]*$/.test(t.serviceJob)) {
    throw new Error(`${t.profile}.serviceJob is not a job name: ${JSON.stringify(t.serviceJob)}`);
  }
  return t;
}

/** Parses every duration of a profile (each string field but the two names), so a typo fails the generator. */
function everyDuration(value: unknown, path: string): void {
  if (typeof value === 'string' && !path.endsWith('.profile') && !path.endsWith('.serviceJob')) {
    try {
      durationSeconds(value as PromDuration);
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) everyDuration(inner, `${path}.${key}`);
  }
}
