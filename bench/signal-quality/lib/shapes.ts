// The shapes the signal-quality benchmark runs: leaks through real third-party libraries and the BMS service's fault
// injection, and healthy services under the same load. Rates are set by the load (100 orders/s, 20 jobs/s) times what
// a request keeps. The knobs below were calibrated on this machine (heap + external growth between forced full GCs at
// 30 s and 150 s of load, with SQ_RECORD_BYTES 0 and 2048: a kept record weighs ~0.1 KiB/s per byte at 100 orders/s
// over a base of 70-116 KiB/s per library); every run measures its own effective rate, reported beside the nominal.

export type Setting = 'default' | 'container';
export const SETTINGS: readonly Setting[] = ['default', 'container'];

const KIB = 1024;
const MIB = 1024 * KIB;

export interface LoadSpec {
  /** `orders`: POST /api/orders of the express shapes; `jobs`: POST /api/onboarding/jobs of the BMS service. */
  target: 'orders' | 'jobs';
  /** Requests per second, open loop. */
  rate: number;
  /** Points per job (jobs only). */
  points?: number;
}

export type ServiceSpec =
  | { kind: 'express'; script: string; env?: Record<string, string> }
  | { kind: 'bms'; args: string[] };

export interface ShapeSpec {
  name: string;
  kind: 'leak' | 'healthy';
  /** One line for the report: what leaks (or what a healthy service does), through what. */
  description: string;
  service: ServiceSpec;
  load: LoadSpec;
  /** What the shape is meant to leak (leaks only); each run measures the effective rate. */
  nominalBytesPerSec?: number;
  /** When the leak starts: with the load (per request) or with the service (a time-driven leak). */
  leakStart: 'load' | 'service';
  settings: readonly Setting[];
  /** Runs per setting unless --runs says otherwise. */
  runs: number;
  /** Leaks: the longest a run lasts without a flag. Healthy: how long every run lasts. Seconds. */
  durationS: number;
  /** Leaks: the target time to first flag, seconds. */
  targetS?: number;
  /** Environment per setting (e.g. a live set that fits the container). */
  settingEnv?: Partial<Record<Setting, Record<string, string>>>;
  /** Not in the default matrix: the slow leaks recorded for replay, run for real once for 15 minutes. */
  slow?: boolean;
}

const ORDERS: LoadSpec = { target: 'orders', rate: 100 };
const JOBS: LoadSpec = { target: 'jobs', rate: 20, points: 50 };

/** The targets: >= 256 KiB/s flagged within 120 s (10 runs), >= 100 KiB/s within 180 s (5 runs). */
function leakTiming(bytesPerSec: number): Pick<ShapeSpec, 'runs' | 'durationS' | 'targetS'> {
  return bytesPerSec >= 256 * KIB ? { runs: 10, durationS: 240, targetS: 120 } : { runs: 5, durationS: 300, targetS: 180 };
}

function expressLeak(name: string, script: string, description: string, rate: number, env: Record<string, string>): ShapeSpec {
  return {
    name,
    kind: 'leak',
    description,
    service: { kind: 'express', script, env },
    load: ORDERS,
    nominalBytesPerSec: rate,
    leakStart: 'load',
    settings: SETTINGS,
    ...leakTiming(rate),
  };
}

function bmsLeak(name: string, args: string[], description: string, rate: number, leakStart: 'load' | 'service'): ShapeSpec {
  return { name, kind: 'leak', description, service: { kind: 'bms', args }, load: JOBS, nominalBytesPerSec: rate, leakStart, settings: SETTINGS, ...leakTiming(rate) };
}

function healthy(name: string, service: ServiceSpec, description: string, extra: Partial<ShapeSpec> = {}): ShapeSpec {
  return { name, kind: 'healthy', description, service, load: ORDERS, leakStart: 'load', settings: SETTINGS, runs: 5, durationS: 300, ...extra };
}

const SESSION = 'express-session default MemoryStore, a new session per cookie-less request';
const MEMORY_CACHE = 'memory-cache put() without a time, keyed per order';
const NODE_CACHE = 'node-cache without stdTTL or maxKeys, keyed per order';
const PROM_CLIENT = 'prom-client counter and histogram labelled with the order id';
const BUFFERS = 'Buffers of serialised orders appended to a debug log (external memory)';
const LISTENERS = 'a listener per order on a long-lived EventEmitter, closing over the order';

export const SHAPES: readonly ShapeSpec[] = [
  expressLeak('session-store-256k', 'session-store.mjs', SESSION, 256 * KIB, { SQ_RECORD_BYTES: '1775', SQ_LEAK_EVERY: '1' }),
  expressLeak('session-store-100k', 'session-store.mjs', SESSION, 100 * KIB, { SQ_RECORD_BYTES: '195', SQ_LEAK_EVERY: '1' }),
  expressLeak('memory-cache-256k', 'memory-cache.mjs', MEMORY_CACHE, 256 * KIB, { SQ_RECORD_BYTES: '1720', SQ_LEAK_EVERY: '1' }),
  expressLeak('memory-cache-100k', 'memory-cache.mjs', MEMORY_CACHE, 100 * KIB, { SQ_RECORD_BYTES: '108', SQ_LEAK_EVERY: '1' }),
  expressLeak('node-cache-256k', 'node-cache.mjs', NODE_CACHE, 256 * KIB, { SQ_MODE: 'unbounded', SQ_RECORD_BYTES: '1415', SQ_LEAK_EVERY: '1' }),
  expressLeak('node-cache-100k', 'node-cache.mjs', NODE_CACHE, 100 * KIB, { SQ_MODE: 'unbounded', SQ_RECORD_BYTES: '850', SQ_LEAK_EVERY: '2' }),
  expressLeak('prom-client-labels-256k', 'prom-client-labels.mjs', PROM_CLIENT, 256 * KIB, { SQ_LEAK_EVERY: '1' }),
  expressLeak('prom-client-labels-100k', 'prom-client-labels.mjs', PROM_CLIENT, 100 * KIB, { SQ_LEAK_EVERY: '3' }),
  expressLeak('buffer-log-256k', 'buffer-log.mjs', BUFFERS, 256 * KIB, { SQ_RECORD_BYTES: '1780', SQ_LEAK_EVERY: '1' }),
  expressLeak('buffer-log-100k', 'buffer-log.mjs', BUFFERS, 100 * KIB, { SQ_RECORD_BYTES: '280', SQ_LEAK_EVERY: '1' }),
  expressLeak('listeners-256k', 'listeners.mjs', LISTENERS, 256 * KIB, { SQ_RECORD_BYTES: '1705', SQ_LEAK_EVERY: '1' }),
  expressLeak('listeners-100k', 'listeners.mjs', LISTENERS, 100 * KIB, { SQ_RECORD_BYTES: '140', SQ_LEAK_EVERY: '1' }),
  bmsLeak('bms-inject-leak-2m', ['--inject-leak', '2MiB/s'], 'BMS service, --inject-leak 2MiB/s (time-driven)', 2 * MIB, 'service'),
  bmsLeak('bms-inject-leak-256k', ['--inject-leak', '256KiB/s'], 'BMS service, --inject-leak 256KiB/s (time-driven)', 256 * KIB, 'service'),
  bmsLeak('bms-inject-leak-100k', ['--inject-leak', '100KiB/s'], 'BMS service, --inject-leak 100KiB/s (time-driven)', 100 * KIB, 'service'),
  bmsLeak('bms-per-request-2m', ['--inject-leak-per-request', String(Math.round((2 * MIB) / JOBS.rate))], 'BMS service, --inject-leak-per-request 102.4KiB at 20 jobs/s', 2 * MIB, 'load'),
  bmsLeak('bms-per-request-256k', ['--inject-leak-per-request', String(Math.round((256 * KIB) / JOBS.rate))], 'BMS service, --inject-leak-per-request 12.8KiB at 20 jobs/s', 256 * KIB, 'load'),
  bmsLeak('bms-per-request-100k', ['--inject-leak-per-request', String(Math.round((100 * KIB) / JOBS.rate))], 'BMS service, --inject-leak-per-request 5KiB at 20 jobs/s', 100 * KIB, 'load'),

  healthy('lru-cache', { kind: 'express', script: 'lru-cache.mjs', env: { SQ_RECORD_BYTES: '1024' } }, 'lru-cache with max 20,000 and ttl 20 s (ttlAutopurge), keyed per order'),
  healthy('node-cache-ttl', { kind: 'express', script: 'node-cache.mjs', env: { SQ_MODE: 'ttl', SQ_RECORD_BYTES: '1024' } }, 'node-cache with stdTTL 20 s and checkperiod 5 s, keyed per order'),
  healthy('fill-then-churn-2m', { kind: 'express', script: 'fill-then-churn.mjs', env: { SQ_RECORD_BYTES: '20200', SQ_CACHE_ENTRIES: '6000' } }, 'a 6000-entry cache filling at ~2 MiB/s for 60 s, then churning'),
  healthy('fill-then-churn-256k', { kind: 'express', script: 'fill-then-churn.mjs', env: { SQ_RECORD_BYTES: '1720', SQ_CACHE_ENTRIES: '6000' } }, 'a 6000-entry cache filling at ~256 KiB/s for 60 s, then churning'),
  healthy('alloc-spikes', { kind: 'express', script: 'alloc-spikes.mjs', env: { SQ_RECORD_BYTES: '0' } }, 'one-off allocations of 8-64 MiB (heap and Buffers) held 1-10 s, every 20-60 s'),
  healthy('gc-sawtooth-large', { kind: 'express', script: 'gc-sawtooth.mjs', env: { SQ_LIVE_MIB: '1536', SQ_RECORD_BYTES: '0' } }, 'GC sawtooth on a 1.5 GiB live set with heavy churn', { settings: ['default'] }),
  healthy('gc-sawtooth-small', { kind: 'express', script: 'gc-sawtooth.mjs', env: { SQ_LIVE_MIB: '128', SQ_RECORD_BYTES: '0' } }, 'GC sawtooth on a 128 MiB live set with heavy churn (fits the container)'),
  healthy('warm-up', { kind: 'express', script: 'warm-up.mjs', env: { SQ_RECORD_BYTES: '4096' } }, 'a memo of 8000 product views of 4 KiB filling over ~60 s, then flat'),
  healthy('bms-healthy', { kind: 'bms', args: [] }, 'BMS service, no fault, 20 jobs/s', { load: JOBS }),

  {
    ...expressLeak('memory-cache-16k', 'memory-cache.mjs', MEMORY_CACHE, 16 * KIB, { SQ_RECORD_BYTES: '0', SQ_LEAK_EVERY: '5' }),
    runs: 1,
    durationS: 900,
    targetS: 3600,
    slow: true,
  },
  {
    ...expressLeak('memory-cache-4k', 'memory-cache.mjs', MEMORY_CACHE, 4 * KIB, { SQ_RECORD_BYTES: '0', SQ_LEAK_EVERY: '22' }),
    runs: 1,
    durationS: 900,
    targetS: 6 * 3600,
    slow: true,
  },
];

export function findShape(name: string): ShapeSpec | undefined {
  return SHAPES.find((shape) => shape.name === name);
}

/** `all` (the matrix: every shape but the slow ones), `leaks`, `healthy`, `slow`, or shape names, comma-separated. */
export function selectShapes(selection: string): ShapeSpec[] {
  const picked = new Set<ShapeSpec>();
  for (const part of selection.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const group = part === 'all' ? SHAPES.filter((s) => s.slow !== true)
      : part === 'leaks' ? SHAPES.filter((s) => s.kind === 'leak' && s.slow !== true)
        : part === 'healthy' ? SHAPES.filter((s) => s.kind === 'healthy')
          : part === 'slow' ? SHAPES.filter((s) => s.slow === true)
            : [findShape(part)].filter((s) => s !== undefined);
    if (group.length === 0) throw new Error(`unknown shape or group ${JSON.stringify(part)}; shapes: ${SHAPES.map((s) => s.name).join(', ')}`);
    for (const shape of group) picked.add(shape);
  }
  return [...picked];
}
