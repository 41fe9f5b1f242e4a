import { describe, expect, it } from 'vitest';
import { LeakDetector, leakBasis, leakConfidence } from '../../../src/sdk/leak/leak-detector.js';
import { MEMORY_KINDS } from '../../../src/sdk/types.js';
import { MIB, START, prng, simulate } from './service-simulator.js';

const MINUTE = 60_000;

describe('LeakDetector', () => {
  describe('verdict', () => {
    it('is inconclusive, warming up, before startTime + warmUpMs and before any event, and says for how long', () => {
      expect(new LeakDetector().verdict()).toMatchObject({ status: 'inconclusive', suspected: false, summary: 'inconclusive: warming up' });
      const d = new LeakDetector({}, START);
      d.recordGc(START + 25_000, true, { heapUsed: MIB, external: MIB, rss: 10 * MIB });
      const v = d.verdict(START + 59_999);
      expect(v).toMatchObject({ status: 'inconclusive', suspected: false, slopeBytesPerSec: 0, confidence: 0, basis: null, moreMs: 1 });
      expect(v.summary).toBe('inconclusive: warming up (about 1 s more)');
      expect(d.verdict(START + 30_000).summary).toBe('inconclusive: warming up (about 30 s more)');
      for (const kind of MEMORY_KINDS) expect(v.evidence[kind].status).toBe('warming-up');
      const after = d.verdict(START + 60_000);
      expect(after.evidence.heap.status).toBe('insufficient-data');
      expect(after.status).toBe('inconclusive');
      expect(after.summary).toMatch(/^inconclusive: JS heap has 1 baseline point/);
    });

    it('starts the warm-up at the first event when no startTime is given', () => {
      const d = new LeakDetector({ warmUpMs: 1000, ignoreFirstMs: 0 });
      d.recordSample(START, { rss: MIB });
      expect(d.verdict(START + 999).evidence.rss.status).toBe('warming-up');
      expect(d.verdict(START + 1000).evidence.rss.status).toBe('insufficient-data');
    });

    it('drops readings of the first ignoreFirstMs and keeps those of the rest of the warm-up', () => {
      const d = new LeakDetector({}, START);
      for (let t = 0; t < 60_000; t += 1000) d.recordSample(START + t, { rss: MIB * (t < 20_000 ? 1 : 2) });
      const points = d.baseline('rss');
      expect(points.length).toBe(8);
      expect(points.every((p) => p.time >= START + 20_000 && p.value === 2 * MIB)).toBe(true);
    });

    it('says "no leak" only once every kind it judges has enough data, and names the one it waits for', () => {
      const d = new LeakDetector({ ignoreFirstMs: 0, warmUpMs: 0, minSpanMs: 10_000, minPoints: 3, bucketMs: 1000 }, START);
      for (let t = 0; t <= 20_000; t += 1000) {
        d.recordSample(START + t, { rss: 100 * MIB });
        d.recordGc(START + t, false, { heapUsed: 10 * MIB, external: MIB, arrayBuffers: MIB, rss: 100 * MIB });
      }
      const waiting = d.verdict(START + 21_000);
      expect(waiting.status).toBe('inconclusive');
      expect(waiting.evidence.heap).toMatchObject({ status: 'insufficient-data', points: 0 });
      expect(waiting.summary).toBe('inconclusive: JS heap has 0 baseline points');
      for (let t = 0; t <= 20_000; t += 5000) d.recordGc(START + t, true, { heapUsed: 10 * MIB, external: MIB, arrayBuffers: MIB, rss: 100 * MIB });
      const judged = d.verdict(START + 21_000);
      expect(judged).toMatchObject({ status: 'no-leak', suspected: false, moreMs: null });
      expect(judged.summary).toMatch(/^no leak: no baseline grows \(JS heap \+0 B\/s over 20 s\)$/);
    });

    it('judges only the kinds it is told to', () => {
      const d = new LeakDetector({ ignoreFirstMs: 0, warmUpMs: 0, minSpanMs: 0, minPoints: 3, bucketMs: 1, kinds: ['heap'] }, START);
      for (let i = 0; i < 5; i++) d.recordGc(START + i * 1000, true, { heapUsed: 10 * MIB, external: (i + 1) * 100 * MIB });
      const v = d.verdict(START + 5000);
      expect(v.status).toBe('no-leak');
      expect(v.evidence.external.points).toBe(0);
      expect(d.baseline('external')).toHaveLength(5);
    });

    it('analyses complete buckets of the last windowMs only', () => {
      const d = new LeakDetector({ warmUpMs: 0, ignoreFirstMs: 0, windowMs: 60_000, minSpanMs: 10_000 }, START);
      for (let t = 0; t <= 120_000; t += 1000) d.recordSample(START + t, { rss: MIB });
      const e = d.verdict(START + 120_000).evidence.rss;
      // Buckets 60-65 s ... 115-120 s; the one starting at 120 s is still open.
      expect(e.points).toBe(11);
      expect(e.spanMs).toBe(50_000);
    });

    it('returns the same object until something that matters changes', () => {
      const run = simulate({ majorEveryMs: 7000, heapLive: (t) => 40 * MIB + (MIB * t) / 1000 }, 3 * MINUTE);
      const d = run.detector;
      const now = START + 3 * MINUTE + 1000;
      expect(d.verdict(now).status).toBe('suspected');
      const v = d.verdict(now);
      expect(d.verdict(now)).toBe(v);
      expect(d.verdict(now + 2000)).toBe(v); // same bucket, same points
      expect(Object.isFrozen(v) && Object.isFrozen(v.evidence) && Object.isFrozen(v.evidence.heap)).toBe(true);
      d.recordGc(now + 3000, true, { heapUsed: 500 * MIB, external: 4 * MIB, rss: 600 * MIB });
      expect(d.verdict(now + 3000)).toEqual(v); // recomputed, but the new point's bucket is still open
      const closed = d.verdict(now + 5000);
      expect(closed.evidence.heap.points).toBe(v.evidence.heap.points + 1);
    });

    it('scores confidence from the p-value and R²', () => {
      expect(leakConfidence(0.01, 0.5)).toBeCloseTo(0.5, 12);
      expect(leakConfidence(1e-4, 1)).toBe(1);
      expect(leakConfidence(1e-9, 2)).toBe(1);
      expect(leakConfidence(0, 1)).toBe(1);
      expect(leakConfidence(1, 0.9)).toBe(0);
      expect(leakConfidence(1e-3, -3)).toBe(0);
      expect(leakConfidence(Number.NaN, 0.9)).toBe(0);
    });
  });

  describe('input', () => {
    it('ignores garbage without throwing', () => {
      const d = new LeakDetector({ warmUpMs: 0, ignoreFirstMs: 0 }, START);
      const bad: unknown[] = [Number.NaN, Infinity, -Infinity, '1', null, undefined, {}, -1];
      expect(() => {
        for (const x of bad) {
          d.recordGc(x as number, true, { heapUsed: MIB, external: MIB, rss: MIB });
          d.recordGc(START + 1000, true, { heapUsed: x as number, external: x as number, arrayBuffers: x as number, rss: x as number });
          d.recordGc(START + 1000, x as boolean, x as never);
          d.recordSample(x as number, { rss: MIB });
          d.recordSample(START + 1000, { rss: x as number });
          d.recordSample(START + 1000, x as never);
          d.verdict(x as number);
        }
      }).not.toThrow();
      // -1 as a time is a valid epoch time long before START: ignored as stale. Only the valid readings remain.
      expect(MEMORY_KINDS.map((k) => d.baseline(k).length)).toEqual([0, 0, 0, 0]);
      expect(d.verdict().suspected).toBe(false);
    });

    it('counts only true as a major GC', () => {
      const d = new LeakDetector({ warmUpMs: 0, ignoreFirstMs: 0 }, START);
      d.recordGc(START, 1 as unknown as boolean, { heapUsed: MIB, external: MIB });
      d.recordGc(START, 'yes' as unknown as boolean, { heapUsed: MIB, external: MIB });
      expect(d.baseline('heap')).toEqual([]);
      d.recordGc(START, true, { heapUsed: MIB, external: MIB });
      expect(d.baseline('heap')).toHaveLength(1);
    });

    it('folds a GC reading that arrives after a later sample into its bucket', () => {
      const d = new LeakDetector({ warmUpMs: 0, ignoreFirstMs: 0 }, START);
      d.recordSample(START + 4900, { rss: 50 * MIB });
      d.recordSample(START + 5100, { rss: 50 * MIB });
      d.recordGc(START + 4800, false, { heapUsed: MIB, external: MIB, rss: 40 * MIB });
      expect(d.baseline('rss')).toEqual([
        { time: START + 4800, value: 40 * MIB },
        { time: START + 5100, value: 50 * MIB },
      ]);
    });

    it('survives one wild timestamp, and restarts its baselines when the clock really steps back', () => {
      const d = new LeakDetector({ warmUpMs: 0, ignoreFirstMs: 0 }, START);
      for (let t = 0; t < 100_000; t += 1000) d.recordSample(START + t, { rss: MIB });
      const before = d.baseline('rss').length;
      d.recordSample(START - 3_600_000, { rss: MIB }); // one bad time: ignored
      d.recordSample(START + 100_000, { rss: MIB });
      expect(d.baseline('rss').length).toBe(before + 1);
      // The clock steps back an hour: three readings in a row confirm it, then recording resumes on the new clock.
      for (let t = 0; t < 10_000; t += 1000) d.recordSample(START - 3_600_000 + t, { rss: 2 * MIB });
      expect(d.baseline('rss').every((p) => p.value === 2 * MIB)).toBe(true);
      expect(d.baseline('rss').length).toBe(2);
    });
  });

  it('holds at most maxPoints points per baseline after a million events over a simulated day', () => {
    const d = new LeakDetector({}, START);
    const rand = prng(99);
    const step = 86_400_000 / 1_000_000;
    for (let i = 0; i < 1_000_000; i++) {
      const t = START + i * step;
      const heap = 50 * MIB + rand() * 20 * MIB;
      if (i % 10 === 0) d.recordSample(t, { rss: 200 * MIB + rand() * MIB });
      else d.recordGc(t, i % 97 === 0, { heapUsed: heap, external: 4 * MIB + rand() * MIB, arrayBuffers: 3 * MIB, rss: 200 * MIB });
      if (i % 50_000 === 0) d.verdict(t);
    }
    for (const kind of MEMORY_KINDS) {
      const points = d.baseline(kind);
      expect(points.length).toBeLessThanOrEqual(240);
      expect(points.every((p, i) => i === 0 || p.time > points[i - 1]!.time)).toBe(true);
    }
    expect(d.baseline('rss')).toHaveLength(240);
    expect(d.baseline('heap').length).toBeGreaterThan(200); // a major every ~8.4 s fills it as well
    expect(d.verdict().suspected).toBe(false);
  });

  describe('leakBasis', () => {
    const none = { status: 'no-growth' as const, slopeBytesPerSec: 0 };
    const grows = (slopeBytesPerSec: number) => ({ status: 'suspected' as const, slopeBytesPerSec });
    const evidence = (e: Partial<Record<'heap' | 'external' | 'array_buffers' | 'rss', ReturnType<typeof grows>>>) => ({ heap: none, external: none, array_buffers: none, rss: none, ...e });

    it('names external memory for a Buffer leak whose JS wrappers raise the heap too, and array buffers never over external at the same pace', () => {
      expect(leakBasis(evidence({ heap: grows(90 * 1024), external: grows(1024 * 1024), array_buffers: grows(1040 * 1024), rss: grows(1200 * 1024) }))).toBe('external');
    });

    it('names the heap when it grows as fast as any other kind (within 10 %), and RSS only when nothing else grows', () => {
      expect(leakBasis(evidence({ heap: grows(1000), external: grows(1080), rss: grows(50_000) }))).toBe('heap');
      expect(leakBasis(evidence({ rss: grows(50_000) }))).toBe('rss');
      expect(leakBasis(evidence({}))).toBeNull();
    });
  });
});
