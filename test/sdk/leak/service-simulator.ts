import { LeakDetector, type LeakDetectorOptions, type LeakVerdict } from '../../../src/sdk/leak/leak-detector.js';
import type { MemoryKind } from '../../../src/sdk/types.js';

/**
 * A deterministic stand-in for a Node.js service as the leak detector sees it: GC events at realistic cadences
 * (scavenges several times a second, majors every few seconds or never) carrying the figures read right after
 * them, plus periodic RSS samples. Only test code: it lives next to the tests, not in src/.
 */

export const START = Date.UTC(2025, 0, 6, 9, 0, 0);
export const KIB = 1024;
export const MIB = 1024 * 1024;

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). Tests never use Math.random. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate (Box–Muller) from a uniform source. */
export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * Slow, trendless wander: an Ornstein–Uhlenbeck process (stationary standard deviation `sd`, correlation time
 * `tauMs`) on a one-second grid, linearly interpolated so that it gives the same value however often it is read.
 */
export function slowWander(seed: number, sd: number, tauMs: number, durationMs: number): (t: number) => number {
  const rand = prng(seed);
  const steps = Math.ceil(durationMs / 1000) + 2;
  const grid = new Float64Array(steps);
  const keep = Math.exp(-1000 / tauMs);
  grid[0] = sd * gaussian(rand);
  for (let i = 1; i < steps; i++) grid[i] = keep * grid[i - 1]! + sd * Math.sqrt(1 - keep * keep) * gaussian(rand);
  return (t) => {
    const i = Math.min(Math.floor(t / 1000), steps - 2);
    const f = t / 1000 - i;
    return grid[i]! * (1 - f) + grid[i + 1]! * f;
  };
}

/** A service. Functions take milliseconds since START and return bytes. */
export interface ServiceModel {
  /** Live JS heap: what a major GC leaves behind. Default a flat 40 MiB. */
  heapLive?: (t: number) => number;
  /** Live external memory (Buffers and other C++-backed objects). Default a flat 4 MiB. */
  external?: (t: number) => number;
  /** Native memory outside the V8 heap and external (RSS only). Default 0. */
  native?: (t: number) => number;
  /** Mean time between major GCs (±15 % jitter), or null for none at all. */
  majorEveryMs: number | null;
  /** Mean time between scavenges (0.5–1.5× jitter). Default 250. */
  scavengeEveryMs?: number;
  /** Sampler period (RSS samples). Default 1000. */
  sampleEveryMs?: number;
  /** Dead objects promoted to old space, freed only by the next major GC: the sawtooth. Default 1 MiB/s. */
  promotionBytesPerSec?: number;
  /** Uniform ± noise of heap used after a GC. Default 512 KiB. */
  heapNoise?: number;
  /** Dead Buffers still present after a GC: uniform in [0, externalNoise). Default 512 KiB. */
  externalNoise?: number;
  /** Uniform ± noise of RSS readings. Default 1 MiB. */
  rssNoise?: number;
  /** Changes an event's figures before the detector sees it (spikes). */
  tamper?: (event: SimEvent) => void;
  seed?: number;
}

export interface SimEvent {
  /** Milliseconds since START. */
  t: number;
  type: 'major' | 'minor' | 'sample';
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

/** The events of `model` over `durationMs`, in time order. */
export function* serviceEvents(model: ServiceModel, durationMs: number): Generator<SimEvent> {
  const rand = prng(model.seed ?? 1);
  const heapLive = model.heapLive ?? (() => 40 * MIB);
  const external = model.external ?? (() => 4 * MIB);
  const native = model.native ?? (() => 0);
  const scavengeMs = model.scavengeEveryMs ?? 250;
  const sampleMs = model.sampleEveryMs ?? 1000;
  const promotion = model.promotionBytesPerSec ?? MIB;
  const heapNoise = model.heapNoise ?? 512 * KIB;
  const externalNoise = model.externalNoise ?? 512 * KIB;
  const rssNoise = model.rssNoise ?? MIB;
  const uniform = (amplitude: number): number => (2 * rand() - 1) * amplitude;

  let lastMajor = 0;
  let nextMinor = scavengeMs * rand();
  let nextMajor = model.majorEveryMs === null ? Infinity : model.majorEveryMs * rand();
  let nextSample = sampleMs;
  for (;;) {
    const t = Math.min(nextMinor, nextMajor, nextSample);
    if (t > durationMs) return;
    const type = t === nextMajor ? 'major' : t === nextMinor ? 'minor' : 'sample';
    if (type === 'major') {
      lastMajor = t;
      nextMajor = t + model.majorEveryMs! * (0.85 + 0.3 * rand());
    } else if (type === 'minor') {
      nextMinor = t + scavengeMs * (0.5 + rand());
    } else {
      nextSample = t + sampleMs;
    }
    const heapUsed = heapLive(t) + (promotion * (t - lastMajor)) / 1000 + uniform(heapNoise);
    const ext = external(t) + externalNoise * rand();
    const event: SimEvent = {
      t,
      type,
      heapUsed,
      external: ext,
      arrayBuffers: Math.max(0, ext - MIB),
      // Measured on Node 20: RSS follows heapTotal, which grows with the sawtooth and shrinks back after majors.
      rss: 30 * MIB + heapUsed + 8 * MIB + ext + native(t) + uniform(rssNoise),
    };
    model.tamper?.(event);
    yield event;
  }
}

/** Feeds an event to the detector the way the SDK does: GC readings through recordGc, samples through recordSample. */
export function feed(detector: LeakDetector, e: SimEvent): void {
  if (e.type === 'sample') detector.recordSample(START + e.t, { rss: e.rss });
  else detector.recordGc(START + e.t, e.type === 'major', e);
}

export interface RunResult {
  detector: LeakDetector;
  final: LeakVerdict;
  /** Every distinct verdict, with the time (ms since START) it was first seen. Asked for after every event. */
  verdicts: { t: number; verdict: LeakVerdict }[];
}

/** Runs a model through a fresh detector (started at START), asking for the verdict after every event. */
export function simulate(model: ServiceModel, durationMs: number, options?: LeakDetectorOptions): RunResult {
  const detector = new LeakDetector(options, START);
  const verdicts: RunResult['verdicts'] = [];
  let last: LeakVerdict | undefined;
  for (const e of serviceEvents(model, durationMs)) {
    feed(detector, e);
    const v = detector.verdict(START + e.t);
    if (v !== last) verdicts.push({ t: e.t, verdict: v });
    last = v;
  }
  return { detector, final: detector.verdict(START + durationMs), verdicts };
}

/** Milliseconds since START at which the verdict first named a basis, or null. */
export function firstSuspected(run: RunResult, basis?: MemoryKind): number | null {
  const hit = run.verdicts.find(({ verdict }) => verdict.suspected && (basis === undefined || verdict.basis === basis));
  return hit?.t ?? null;
}

/** The verdict standing at `fromMs` (reported at `fromMs`) and every later one. */
export function verdictsSince(run: RunResult, fromMs: number): RunResult['verdicts'] {
  const standing = run.verdicts.filter(({ t }) => t <= fromMs).at(-1);
  const later = run.verdicts.filter(({ t }) => t > fromMs);
  return standing === undefined ? later : [{ t: fromMs, verdict: standing.verdict }, ...later];
}

/** Times (ms since START) of suspected verdicts standing at or after `fromMs`. */
export function suspectedSince(run: RunResult, fromMs: number): number[] {
  return verdictsSince(run, fromMs)
    .filter(({ verdict }) => verdict.suspected)
    .map(({ t }) => t);
}
