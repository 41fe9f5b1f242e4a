import { describe, expect, it } from 'vitest';
import { MAX_PLAUSIBLE_BYTES, plausibleInput } from '../../../src/charts/input/plausible.js';
import type { MemorySample } from '../../../src/index.js';
import { makeRun, MIB, T0 } from '../helpers/fixtures.js';

const sample = (i: number, rss: unknown, extra: Partial<Record<string, unknown>> = {}): MemorySample =>
  ({ time: T0 + i * 100, rss, heapUsed: 10 * MIB, heapTotal: 20 * MIB, external: MIB, arrayBuffers: 0, phase: null, ...extra }) as MemorySample;

describe('plausibleInput', () => {
  it('passes a clean timeline through as the same arrays', () => {
    const run = makeRun(50);
    const { input, dropped } = plausibleInput(run);
    expect(input.samples).toBe(run.samples);
    expect(input.phases).toBe(run.phases);
    expect(dropped.count).toBe(0);
  });

  it('leaves out readings no process can report, counts them and names the first', () => {
    const samples = [sample(0, 50 * MIB), sample(1, 1e308), sample(2, -1e308), sample(3, Infinity), sample(4, MAX_PLAUSIBLE_BYTES), sample(5, 60 * MIB)];
    const { input, dropped } = plausibleInput({ samples });
    expect(input.samples.map((s) => s.rss)).toEqual([50 * MIB, NaN, NaN, NaN, NaN, 60 * MIB]);
    expect(input.samples.every((s) => s.heapUsed === 10 * MIB)).toBe(true);
    expect(dropped).toEqual({ count: 4, example: 'rss = 1e+308' });
  });

  it('treats missing readings (null in JSON, NaN) as gaps, not as implausible', () => {
    const { input, dropped } = plausibleInput({ samples: [sample(0, null), sample(1, NaN), sample(2, 5)] });
    expect(dropped.count).toBe(0);
    expect(input.samples).toHaveLength(3);
  });

  it('drops samples with an impossible time, and whatever is not a sample', () => {
    const samples = [sample(0, 1), { ...sample(1, 1), time: 1e308 }, null, 'x', { ...sample(2, 1), time: '5' }] as unknown as MemorySample[];
    const { input, dropped } = plausibleInput({ samples });
    expect(input.samples).toHaveLength(1);
    expect(dropped.count).toBe(4);
  });

  it('unfolds a folded span that reaches back over earlier samples', () => {
    const figures = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
    const ok = sample(5, 1, { folded: { count: 3, startTime: T0 + 300, min: figures, max: { ...figures, heapUsed: 9 } } });
    const crafted = sample(6, 1, { folded: { count: 3, startTime: T0 - 1e12, min: figures, max: figures } });
    const { input, dropped } = plausibleInput({ samples: [sample(0, 1), ok, crafted] });
    expect(input.samples[1]!.folded).toBeDefined();
    expect(input.samples[2]!.folded).toBeUndefined();
    expect(dropped.count).toBe(1);
  });

  it('ignores implausible limits, phases, runs and baseline points', () => {
    const { input, dropped } = plausibleInput({
      samples: [sample(0, 1)],
      phases: [{ name: 'a', start: T0, end: T0 + 1, depth: 0 }, { name: 'b', start: Infinity, end: T0, depth: 0 }, { name: 5 as unknown as string, start: T0, end: T0, depth: 0 }],
      limits: { heapLimitBytes: 1e308, containerLimitBytes: -1 },
      runs: [{ name: 'r', start: T0, end: T0 + 10 }, { name: 'bad', start: Number.NaN, end: 0 }],
      leakBaselines: { heap: [{ time: T0, value: MIB }, { time: T0, value: -5 }] },
    });
    expect(input.phases!.map((p) => p.name)).toEqual(['a']);
    expect(input.limits).toEqual({ heapLimitBytes: null, containerLimitBytes: null });
    expect(input.runs!.map((r) => r.name)).toEqual(['r']);
    expect(input.leakBaselines!.heap).toEqual([{ time: T0, value: MIB }]);
    expect(dropped.count).toBe(3);
  });
});
