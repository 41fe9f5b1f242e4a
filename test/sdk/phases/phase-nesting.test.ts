import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryProfiler } from '../../../src/sdk/memory-profiler.js';
import { captureWarnings } from '../../helpers/fake-sources.js';
import { pointValue, testMeterProvider } from '../../helpers/metrics.js';

let profiler: MemoryProfiler | undefined;
afterEach(() => profiler?.stop());

function start(options: ConstructorParameters<typeof MemoryProfiler>[0] = {}): MemoryProfiler {
  profiler = new MemoryProfiler({ sampleIntervalMs: 3_600_000, eventLoop: false, gc: false, ...options }).start();
  return profiler;
}

describe('phase()', () => {
  it('nests phases across await', async () => {
    const p = start();
    const paths: string[][] = [];
    await p.phase('onboarding', async () => {
      paths.push(p.currentPhasePath());
      await sleep(1);
      await p.phase('classify', async () => {
        await sleep(1);
        paths.push(p.currentPhasePath());
      });
      paths.push(p.currentPhasePath());
    });
    expect(paths).toEqual([['onboarding'], ['onboarding', 'classify'], ['onboarding']]);
    expect(p.getPhaseStats().find((s) => s.name === 'classify')?.parent).toBe('onboarding');
  });

  it('keeps concurrent flows apart', async () => {
    const p = start();
    const seen = new Map<string, string[]>();
    const job = (id: string, delays: number[]) =>
      p.phase(`job_${id}`, async () => {
        for (const [i, d] of delays.entries()) {
          await p.phase(`step`, async () => {
            await sleep(d);
            seen.set(`${id}:${i}`, p.currentPhasePath());
          });
        }
      });
    await Promise.all([job('a', [5, 1, 3]), job('b', [1, 4, 2]), job('c', [2, 2, 2])]);
    for (const id of ['a', 'b', 'c']) {
      for (let i = 0; i < 3; i++) expect(seen.get(`${id}:${i}`)).toEqual([`job_${id}`, 'step']);
    }
    const step = p.getPhaseStats().find((s) => s.name === 'step')!;
    expect(step.count).toBe(9);
    expect(step.active).toBe(0);
  });

  it('returns what fn returns, synchronously for sync functions', () => {
    const p = start();
    expect(p.phase('sync', () => 7)).toBe(7);
    expect(p.getPhaseStats()[0]!.count).toBe(1);
  });

  it('ends the phase and rethrows when fn throws or rejects', async () => {
    const p = start();
    expect(() => p.phase('bad', () => {
      throw new Error('sync boom');
    })).toThrow('sync boom');
    await expect(p.phase('bad', () => Promise.reject(new Error('async boom')))).rejects.toThrow('async boom');
    expect(p.getPhaseStats()[0]).toMatchObject({ name: 'bad', count: 2, active: 0 });
  });

  it('nests marks started inside a phase() under it', async () => {
    const p = start();
    await p.phase('outer', async () => {
      await sleep(1);
      p.markPhaseStart('inner');
      expect(p.currentPhasePath()).toEqual(['outer']);
      p.markPhaseEnd('inner');
    });
    expect(p.getPhaseStats().find((s) => s.name === 'inner')?.parent).toBe('outer');
  });

  it('nests a mark under the innermost open mark, never under another flow\'s phase()', async () => {
    const p = start();
    p.markPhaseStart('outer_mark');
    p.markPhaseStart('inner_mark');
    p.markPhaseEnd('inner_mark');
    p.markPhaseEnd('outer_mark');
    let release!: () => void;
    const otherRequest = p.phase('other_request', () => new Promise<void>((resolve) => (release = resolve)));
    // Started outside other_request's async context, while it runs: a top-level mark.
    await Promise.resolve();
    p.markPhaseStart('batch');
    p.markPhaseEnd('batch');
    release();
    await otherRequest;
    const parentOf = (name: string) => p.getPhaseStats().find((s) => s.name === name)?.parent;
    expect(parentOf('inner_mark')).toBe('outer_mark');
    expect(parentOf('outer_mark')).toBeNull();
    expect(parentOf('batch')).toBeNull();
  });

  it('does not nest under a phase that has ended', async () => {
    const p = start();
    const scheduled: Array<() => Promise<void>> = [];
    p.phase('startup', () => {
      // A loop scheduled from inside a phase carries its async context past the phase's end.
      scheduled.push(() => p.phase('tick', async () => {
        await sleep(1);
      }));
    });
    for (const tick of scheduled) await tick();
    expect(p.getPhaseStats().find((s) => s.name === 'tick')?.parent).toBeNull();
    expect(p.currentPhasePath()).toEqual([]);
  });

  it('keeps wall-clock intervals of completed phases with their nesting depth, bounded', async () => {
    const p = start({ maxPhaseIntervals: 3 });
    const before = performance.timeOrigin + performance.now();
    await p.phase('outer', async () => {
      await p.phase('inner', () => sleep(2));
    });
    p.phase('a', () => undefined);
    p.phase('b', () => undefined);
    const intervals = p.getPhaseIntervals();
    expect(intervals.map((i) => [i.name, i.depth])).toEqual([['outer', 0], ['a', 0], ['b', 0]]);
    expect(intervals[0]!.start).toBeGreaterThanOrEqual(before - 1);
    // It spans the inner sleep(2): libuv's cached loop time can fire a 2 ms timer up to 1 ms early by performance.now().
    expect(intervals[0]!.end - intervals[0]!.start).toBeGreaterThanOrEqual(1);
  });

  it('labels timeline samples with the most recently started running phase', () => {
    const p = start();
    p.markPhaseStart('a');
    p.markPhaseStart('b');
    expect(p.checkMemory({ forceSample: true }).phase).toBe('b');
    p.markPhaseEnd('b');
    expect(p.checkMemory({ forceSample: true }).phase).toBe('a');
    p.markPhaseEnd('a');
    expect(p.checkMemory({ forceSample: true }).phase).toBeNull();
  });
});

describe('phase misuse', () => {
  it('warns once and counts an end without a start, never throwing', async () => {
    const { provider, collect } = testMeterProvider();
    const p = start({ meter: provider.getMeter('t') });
    const warnings = await captureWarnings(() => {
      p.markPhaseEnd('never_started');
      p.markPhaseEnd('never_started');
    });
    expect(warnings.filter((w) => w.code === 'MEMSCOPE_W_PHASE')).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/not running.*never_started/);
    const rm = await collect();
    expect(pointValue(rm, 'memscope.phase.misuse', { 'memscope.phase.misuse': 'not_started' })).toBe(2);
    await provider.shutdown();
  });

  it('counts a handle ended twice and a name ended twice as ended_twice', async () => {
    const { provider, collect } = testMeterProvider();
    const p = start({ meter: provider.getMeter('t') });
    const h = p.markPhaseStart('x');
    h.end();
    h.end();
    p.markPhaseEnd('x');
    const rm = await collect();
    expect(pointValue(rm, 'memscope.phase.misuse', { 'memscope.phase.misuse': 'ended_twice' })).toBe(2);
    expect(p.getPhaseStats()[0]!.count).toBe(1);
    await provider.shutdown();
  });

  it('folds names past the cap into "other" in stats and labels', async () => {
    const { provider, collect } = testMeterProvider({ maxPhaseNames: 5 });
    const p = start({ meter: provider.getMeter('t'), maxPhaseNames: 5 });
    const warnings = await captureWarnings(() => {
      for (let i = 0; i < 50; i++) p.phase(`point_${i}`, () => undefined);
    });
    const names = p.getPhaseStats().map((s) => s.name).sort();
    expect(names).toEqual(['other', 'point_0', 'point_1', 'point_2', 'point_3', 'point_4']);
    expect(p.getPhaseStats().find((s) => s.name === 'other')!.count).toBe(45);
    expect(warnings.filter((w) => /maxPhaseNames/.test(w.message))).toHaveLength(1);
    const rm = await collect();
    expect(pointValue(rm, 'memscope.phase.misuse', { 'memscope.phase.misuse': 'name_overflow' })).toBe(45);
    const duration = rm.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'memscope.phase.duration')!;
    expect(duration.dataPoints).toHaveLength(6);
    await provider.shutdown();
  });

  it('does not spend a slot of the name cap on an end without a start', () => {
    const p = start({ maxPhaseNames: 1 });
    p.markPhaseEnd('typo');
    p.phase('real', () => undefined);
    expect(p.getPhaseStats().map((s) => s.name)).toEqual(['real']);
  });

  it('stops tracking new phases past maxActivePhases instead of growing', () => {
    const p = start({ maxActivePhases: 3 });
    for (let i = 0; i < 10; i++) p.markPhaseStart('open');
    expect(p.getPhaseStats()[0]!.active).toBe(3);
    expect(p.phase('still_runs', () => 'ok')).toBe('ok');
  });
});
