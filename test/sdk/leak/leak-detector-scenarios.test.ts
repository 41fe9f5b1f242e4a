import { describe, expect, it } from 'vitest';
import type { LeakVerdict } from '../../../src/sdk/leak/leak-detector.js';
import type { MemoryKind } from '../../../src/sdk/types.js';
import {
  KIB,
  MIB,
  firstSuspected,
  serviceEvents,
  simulate,
  slowWander,
  suspectedSince,
  verdictsSince,
  type ServiceModel,
} from './service-simulator.js';

// Whole event streams — GC events at realistic cadences plus RSS samples — through a detector with the default
// options, asking for the verdict after every event. Three seeds each; all deterministic.
const SEEDS = [1, 2, 3];
const MINUTE = 60_000;

/**
 * Asserts that a leak running since the process started is named by `basis` within two minutes — the minute of
 * warm-up, in which growth is never enough on its own, then enough growth after it — and stays named to the end.
 */
function expectFlagged(model: ServiceModel, basis: MemoryKind, slope: number, basisByMs = 2 * MINUTE): LeakVerdict {
  const run = simulate(model, 4 * MINUTE);
  const first = firstSuspected(run);
  expect(first, 'flagged at all').not.toBeNull();
  expect(first!).toBeGreaterThan(MINUTE);
  expect(first!).toBeLessThanOrEqual(2 * MINUTE);
  // From basisByMs to the end, every verdict names the right memory.
  expect(verdictsSince(run, basisByMs).filter(({ verdict }) => verdict.basis !== basis).map(({ t }) => t)).toEqual([]);
  expect(run.final.suspected).toBe(true);
  expect(run.final.basis).toBe(basis);
  expect(run.final.slopeBytesPerSec).toBeGreaterThan(slope * 0.85);
  expect(run.final.slopeBytesPerSec).toBeLessThan(slope * 1.15);
  expect(run.final.confidence).toBeGreaterThanOrEqual(0.5);
  expect(run.final.confidence).toBeLessThanOrEqual(1);
  return run.final;
}

describe('LeakDetector on simulated services', () => {
  describe('flags a leak that starts with the process within two minutes', () => {
    it.each(SEEDS)('a linear heap leak of 1 MiB/s with ±1 MiB post-GC noise (seed %i)', (seed) => {
      const final = expectFlagged(
        { seed, majorEveryMs: 7000, heapLive: (t) => 40 * MIB + (MIB * t) / 1000, heapNoise: MIB },
        'heap',
        MIB,
      );
      // The leak raises RSS too; the heap is named because it is the root.
      expect(final.evidence.rss.status).toBe('suspected');
      expect(final.evidence.external.status).toBe('no-growth');
    });

    it.each(SEEDS)('a staircase heap leak of +6 MiB every 10 s (seed %i)', (seed) => {
      // Majors come faster than steps, so pairs of readings on one tread are ties plus noise: Mann–Kendall needs a
      // seventh or eighth heap point, and RSS (a point every 5 s) raises the alarm first.
      expectFlagged(
        { seed, majorEveryMs: 7000, heapLive: (t) => 40 * MIB + 6 * MIB * Math.floor(t / 10_000), heapNoise: MIB },
        'heap',
        0.6 * MIB,
      );
    });

    it.each(SEEDS)('a heap leak under ±4 MiB of post-GC noise (seed %i)', (seed) => {
      expectFlagged(
        { seed, majorEveryMs: 7000, heapLive: (t) => 40 * MIB + (MIB * t) / 1000, heapNoise: 4 * MIB },
        'heap',
        MIB,
      );
    });

    it.each(SEEDS)('a Buffer leak seen only through scavenges, with no major GC at all (seed %i)', (seed) => {
      const final = expectFlagged(
        {
          seed,
          majorEveryMs: null,
          scavengeEveryMs: 200,
          promotionBytesPerSec: 32 * KIB,
          external: (t) => 4 * MIB + (MIB * t) / 1000,
          externalNoise: 2 * MIB,
        },
        'external',
        MIB,
      );
      expect(final.evidence.heap.status).toBe('insufficient-data');
      expect(final.evidence.heap.points).toBe(0);
      expect(final.evidence.array_buffers.status).toBe('suspected');
    });

    it.each(SEEDS)('a native leak that only RSS shows (seed %i)', (seed) => {
      const final = expectFlagged({ seed, majorEveryMs: 10_000, native: (t) => (MIB * t) / 1000 }, 'rss', MIB);
      expect(final.evidence.heap.status).toBe('no-growth');
      expect(final.evidence.external.status).toBe('no-growth');
    });

    it('a heap leak of 100 KiB/s, once it has grown by minGrowthBytes after the warm-up', () => {
      const run = simulate({ majorEveryMs: 7000, heapLive: (t) => 40 * MIB + (100 * KIB * t) / 1000 }, 5 * MINUTE);
      const first = firstSuspected(run, 'heap');
      expect(first).not.toBeNull();
      expect(first!).toBeGreaterThan(2 * MINUTE); // 8 MiB at 100 KiB/s takes 82 s after the minute of warm-up
      expect(first!).toBeLessThanOrEqual(3 * MINUTE);
      expect(run.final.basis).toBe('heap');
    });
  });

  describe('stays quiet', () => {
    it.each(SEEDS)('on a GC sawtooth over a flat baseline (seed %i)', (seed) => {
      const model: ServiceModel = { seed, majorEveryMs: 7000, promotionBytesPerSec: 4 * MIB };
      // The sawtooth is really there: heap read after scavenges climbs ~28 MiB between majors.
      let low = Infinity;
      let high = 0;
      for (const e of serviceEvents(model, MINUTE)) {
        if (e.type === 'minor') [low, high] = [Math.min(low, e.heapUsed), Math.max(high, e.heapUsed)];
      }
      expect(high - low).toBeGreaterThan(20 * MIB);

      const run = simulate(model, 5 * MINUTE);
      expect(firstSuspected(run)).toBeNull();
      expect(run.final.evidence.heap.status).toBe('no-growth');
      expect(run.final.evidence.rss.status).toBe('no-growth');
    });

    it.each(SEEDS)('on a warm-up that rises for 40 s then stays flat for 5 min (seed %i)', (seed) => {
      const run = simulate(
        { seed, majorEveryMs: 7000, heapLive: (t) => 40 * MIB + (2 * MIB * Math.min(t, 40_000)) / 1000 },
        40_000 + 5 * MINUTE,
      );
      expect(firstSuspected(run, 'heap')).toBeNull();
      // Right after the rise the flat part is too short to tell from a pause in a leak (RSS may be flagged for a
      // bucket or two); once it is as long as the rise seen after warm-up, nothing may be.
      expect(suspectedSince(run, 65_000)).toEqual([]);
      expect(run.final.evidence.heap.status).toBe('no-growth');
    });

    it.each(SEEDS)('on a single step up that then stays flat, once the flat part is long enough (seed %i)', (seed) => {
      const run = simulate({ seed, majorEveryMs: 7000, heapLive: (t) => 40 * MIB + (t > MINUTE ? 30 * MIB : 0) }, 5 * MINUTE);
      expect(suspectedSince(run, 110_000)).toEqual([]);
      expect(run.final.suspected).toBe(false);
    });

    it.each(SEEDS)('on one-off spikes of heap, external and RSS (seed %i)', (seed) => {
      const spiked = new Set<string>();
      const once = (key: string, from: number, type: string, apply: () => void, e: { t: number; type: string }): void => {
        if (e.t >= from && e.type === type && !spiked.has(key)) {
          spiked.add(key);
          apply();
        }
      };
      const run = simulate(
        {
          seed,
          majorEveryMs: 7000,
          tamper: (e) => {
            once('heap', 120_000, 'major', () => (e.heapUsed += 64 * MIB), e);
            once('rss', 150_000, 'sample', () => (e.rss += 100 * MIB), e);
            once('external', 180_000, 'minor', () => (e.external += 50 * MIB), e);
          },
        },
        5 * MINUTE,
      );
      expect(spiked.size).toBe(3);
      expect(firstSuspected(run)).toBeNull();
    });

    it.each(SEEDS)('on a healthy service with no major GC at all (seed %i)', (seed) => {
      const run = simulate({ seed, majorEveryMs: null, scavengeEveryMs: 250, promotionBytesPerSec: 32 * KIB }, 5 * MINUTE);
      expect(firstSuspected(run)).toBeNull();
      expect(run.final.evidence.heap.status).toBe('insufficient-data');
      expect(run.final.evidence.external.status).toBe('no-growth');
    });

    it.each(SEEDS)('on slow trendless wander of heap and native memory (seed %i)', (seed) => {
      // Ornstein–Uhlenbeck wander, sd 1.5 MiB over ~90 s (heap) and 1 MiB over ~60 s (native, half of it in
      // external). Over seeds 1-40 this model raised one transient false alarm (seed 19, 135-175 s); without
      // minGrowthBytes, eight.
      const heap = slowWander(seed + 100, 1.5 * MIB, 90_000, 11 * MINUTE);
      const native = slowWander(seed + 200, MIB, MINUTE, 11 * MINUTE);
      const run = simulate(
        {
          seed,
          majorEveryMs: 7000,
          heapLive: (t) => 40 * MIB + heap(t),
          native,
          external: (t) => 4 * MIB + native(t) / 2,
        },
        10 * MINUTE,
      );
      expect(firstSuspected(run)).toBeNull();
    });

    it('on growth slower than minSlopeBytesPerSec, while reporting its slope', () => {
      const run = simulate({ majorEveryMs: 7000, heapLive: (t) => 40 * MIB + (30 * KIB * t) / 1000 }, 10 * MINUTE);
      expect(firstSuspected(run)).toBeNull();
      expect(run.final.evidence.heap.pValue).toBeLessThan(1e-6);
      // Nothing suspected: the largest slope among kinds with enough data.
      expect(run.final.slopeBytesPerSec).toBeGreaterThan(25 * KIB);
      expect(run.final.slopeBytesPerSec).toBeLessThan(35 * KIB);
      expect(run.final.confidence).toBe(0);
    });
  });

  // The hour and six-hour scales, on hours of events (a scavenge and a sample every 5 s to keep them quick: the slow
  // scales keep one point per minute or five anyway).
  describe('on the slow scales', { timeout: 180_000 }, () => {
    const HOUR = 60 * MINUTE;
    const slow = { majorEveryMs: 30_000, scavengeEveryMs: 5000, sampleEveryMs: 5000 } as const;

    it('flags a 16 KiB/s heap leak within the hour, and a 4 KiB/s one within six hours', () => {
      const fast = simulate({ ...slow, heapLive: (t) => 40 * MIB + (16 * KIB * t) / 1000 }, HOUR);
      expect(firstSuspected(fast, 'heap')).not.toBeNull();
      expect(fast.final.evidence.heap.scale).not.toBe('10m');
      const slower = simulate({ ...slow, heapLive: (t) => 40 * MIB + (4 * KIB * t) / 1000 }, 6 * HOUR);
      expect(firstSuspected(slower, 'heap')).not.toBeNull();
      expect(slower.final.evidence.heap.scale).toBe('6h');
    });

    // Measured in the signal-quality benchmark (alloc-spikes): one-off 8-64 MiB allocations ratchet the allocator's
    // arenas, so RSS outside the heap climbs ~50 MiB over its first 20-25 minutes, then holds. Judged on the hour
    // scale from its first 20 minutes on, that climb is a 30 KiB/s "leak"; the slow scales' own warm-up waits it out.
    it('stays quiet on RSS that ratchets up for 25 minutes, then holds', () => {
      for (const seed of SEEDS) {
        const ratchet = (t: number): number => 50 * MIB * Math.min(1, t / (25 * MINUTE)) ** 0.7;
        const run = simulate({ ...slow, seed, native: ratchet }, 3 * HOUR);
        expect(firstSuspected(run), `seed ${seed}`).toBeNull();
      }
    });

    // Filling at 34 KiB/s at first — under the minutes scale's floor, over the hour scale's — and slowing down.
    it('stays quiet on a cache that fills over 45 minutes to its working set, then holds', () => {
      for (const seed of SEEDS) {
        const fill = (t: number): number => 40 * MIB + 30 * MIB * (1 - Math.exp(-t / (15 * MINUTE)));
        const run = simulate({ ...slow, seed, heapLive: fill }, 3 * HOUR);
        expect(firstSuspected(run), `seed ${seed}`).toBeNull();
      }
    });
  });
});
