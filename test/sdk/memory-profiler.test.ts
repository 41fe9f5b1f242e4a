import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryProfiler, withMemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { MemscopeError } from '../../src/internal/errors.js';
import { captureWarnings, fakeMemory, fakeSources } from '../helpers/fake-sources.js';
import { pointValue, testMeterProvider } from '../helpers/metrics.js';

const MiB = 2 ** 20;
const profilers: MemoryProfiler[] = [];

function profiler(options: ConstructorParameters<typeof MemoryProfiler>[0] = {}): MemoryProfiler {
  const p = new MemoryProfiler({ sampleIntervalMs: 3_600_000, eventLoop: false, gc: false, ...options });
  profilers.push(p);
  return p;
}

afterEach(() => {
  for (const p of profilers.splice(0)) p.stop();
});

describe('MemoryProfiler', () => {
  it('rejects bad options at construction, naming the field', () => {
    expect(() => new MemoryProfiler({ sampleIntervalMs: 0 })).toThrow(MemscopeError);
    expect(() => new MemoryProfiler({ sampleIntervalMs: 0 })).toThrow(/sampleIntervalMs must be an integer from 10/);
    expect(() => new MemoryProfiler({ maxPhaseNames: -1 })).toThrow(/maxPhaseNames/);
    expect(() => new MemoryProfiler({ phaseSnapshots: 'yes' as unknown as boolean })).toThrow(/phaseSnapshots must be true or false/);
  });

  it('samples on its interval and on demand', async () => {
    const p = profiler({ sampleIntervalMs: 10 }).start();
    await vi.waitFor(() => {
      expect(p.getMemoryTimeline().length).toBeGreaterThanOrEqual(4);
    });
    const timeline = p.getMemoryTimeline();
    for (let i = 1; i < timeline.length; i++) expect(timeline[i]!.time).toBeGreaterThanOrEqual(timeline[i - 1]!.time);
    const sample = timeline.at(-1)!;
    expect(sample.rss).toBeGreaterThan(0);
    expect(sample.heapUsed).toBeGreaterThan(0);
    expect(sample.heapTotal).toBeGreaterThanOrEqual(sample.heapUsed);
    expect(sample.arrayBuffers).toBeLessThanOrEqual(sample.external);
  });

  it('records the injected figures and the running phase with checkMemory({ forceSample })', () => {
    const m = fakeMemory();
    const p = profiler({ sources: fakeSources(m) }).start();
    p.markPhaseStart('data_generation');
    m.heapUsed = 33 * MiB;
    const sample = p.checkMemory({ forceSample: true });
    expect(sample).toMatchObject({ heapUsed: 33 * MiB, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers, phase: 'data_generation' });
    expect(p.getMemoryTimeline().at(-1)).toEqual(sample);
  });

  it('does not record a sample without forceSample before the interval is due', () => {
    const p = profiler().start();
    const before = p.getMemoryTimeline().length;
    p.checkMemory();
    expect(p.getMemoryTimeline().length).toBe(before);
    p.checkMemory({ forceSample: true });
    expect(p.getMemoryTimeline().length).toBe(before + 1);
  });

  it('keeps phase statistics: count, durations, memory at start and end, delta', () => {
    const m = fakeMemory({ heapUsed: 10 * MiB, rss: 100 * MiB });
    const p = profiler({ sources: fakeSources(m) }).start();
    for (let i = 0; i < 3; i++) {
      m.heapUsed = 10 * MiB;
      p.markPhaseStart('classify');
      m.heapUsed = (10 + i + 1) * MiB;
      m.rss = 100 * MiB + i * MiB;
      p.markPhaseEnd('classify');
    }
    const [stats] = p.getPhaseStats();
    expect(stats).toMatchObject({ name: 'classify', count: 3, active: 0, parent: null });
    expect(stats!.memoryAtStart!.heapUsed).toBe(10 * MiB);
    expect(stats!.memoryAtEnd!.heapUsed).toBe(13 * MiB);
    expect(stats!.delta!.heapUsed).toBe(3 * MiB);
    expect(stats!.meanDelta!.heapUsed).toBe(2 * MiB);
    expect(stats!.duration.totalMs).toBeGreaterThanOrEqual(0);
    expect(stats!.duration.maxMs).toBeGreaterThanOrEqual(stats!.duration.minMs);
    expect(stats!.duration.meanMs).toBeCloseTo(stats!.duration.totalMs / 3);
  });

  it('takes a phase peak from samples taken while it runs', () => {
    const m = fakeMemory({ heapUsed: 10 * MiB });
    const p = profiler({ sources: fakeSources(m) }).start();
    const handle = p.markPhaseStart('parse');
    m.heapUsed = 80 * MiB;
    p.checkMemory({ forceSample: true });
    m.heapUsed = 12 * MiB;
    handle.end();
    const [stats] = p.getPhaseStats();
    expect(stats!.peak!.heapUsed).toBe(80 * MiB);
    expect(stats!.lastPeak!.heapUsed).toBe(80 * MiB);
    expect(stats!.delta!.heapUsed).toBe(2 * MiB);
  });

  it("takes a phase's RSS peak from the kernel high-water mark when no sample saw it", () => {
    const m = fakeMemory({ rss: 100 * MiB, maxRss: 110 * MiB });
    const p = profiler({ sources: fakeSources(m), boundaryRssMaxAgeMs: 0 }).start();
    p.markPhaseStart('store');
    m.maxRss = 250 * MiB; // a spike between samples
    p.markPhaseEnd('store');
    expect(p.getPhaseStats()[0]!.peak!.rss).toBe(250 * MiB);
  });

  it('re-reads RSS at phase boundaries at most once per boundaryRssMaxAgeMs, heap figures every time', () => {
    const m = fakeMemory();
    const sources = fakeSources(m);
    const p = profiler({ sources, boundaryRssMaxAgeMs: 60_000 }).start();
    const rssReads = sources.calls.rss!;
    const heapReads = sources.calls.heap!;
    for (let i = 0; i < 10; i++) p.phase('tiny', () => undefined);
    expect(sources.calls.rss! - rssReads).toBe(1);
    expect(sources.calls.heap! - heapReads).toBe(20);
  });

  it('keeps phase statistics exact when the timeline has folded away their samples', () => {
    const m = fakeMemory({ heapUsed: 10 * MiB });
    const p = profiler({ sources: fakeSources(m), timeline: { recentCapacity: 4, foldedCapacity: 2 } }).start();
    p.markPhaseStart('early');
    m.heapUsed = 99 * MiB;
    p.checkMemory({ forceSample: true });
    m.heapUsed = 10 * MiB;
    p.markPhaseEnd('early');
    for (let i = 0; i < 100; i++) p.checkMemory({ forceSample: true });
    expect(p.getMemoryTimeline().length).toBeLessThanOrEqual(6);
    expect(p.getPhaseStats()[0]!.peak!.heapUsed).toBe(99 * MiB);
    expect(p.getPeak()!.heapUsed.value).toBe(99 * MiB);
  });

  it('uses the latest sample at boundaries when phaseSnapshots is off', () => {
    const m = fakeMemory({ heapUsed: 10 * MiB });
    const sources = fakeSources(m);
    const p = profiler({ sources, phaseSnapshots: false }).start();
    const reads = sources.calls.heap!;
    m.heapUsed = 50 * MiB;
    p.markPhaseStart('x');
    p.markPhaseEnd('x');
    expect(sources.calls.heap).toBe(reads);
    expect(p.getPhaseStats()[0]!.memoryAtStart!.heapUsed).toBe(10 * MiB);
  });

  it('skips and counts a failing probe, warns once, and keeps the timeline going', async () => {
    const m = fakeMemory();
    const { provider, collect } = testMeterProvider();
    const p = profiler({ sources: fakeSources(m), meter: provider.getMeter('t') }).start();
    m.failing.add('rss');
    const warnings = await captureWarnings(() => {
      for (let i = 0; i < 5; i++) p.checkMemory({ forceSample: true });
    });
    expect(warnings.filter((w) => w.code === 'MEMSCOPE_W_PROBE')).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/rss probe failed/);
    expect(p.getProbeErrorCount()).toBe(5);
    expect(p.getMemoryTimeline().at(-1)!.rss).toBe(m.rss); // last good value carried
    const rm = await collect();
    expect(pointValue(rm, 'memscope.probe.errors', { 'memscope.probe.name': 'rss' })).toBeGreaterThanOrEqual(5);
    expect(pointValue(rm, 'process.memory.usage')).toBeUndefined(); // skipped, not made up
    expect(pointValue(rm, 'memscope.memory.external')).toBe(m.external);
    await provider.shutdown();
  });

  it('reports the container limit from its source and re-reads it only after the refresh interval', () => {
    let reads = 0;
    const p = profiler({
      containerLimit: () => {
        reads++;
        return { limitBytes: 512 * MiB, cgroupVersion: 2, source: 'cgroup', file: '/sys/fs/cgroup/memory.max' };
      },
    });
    expect(p.getContainerLimit()).toBe(512 * MiB);
    expect(p.getContainerLimit()).toBe(512 * MiB);
    expect(reads).toBe(1);
  });

  it('counts a container limit read error as a probe error', () => {
    const p = profiler({ containerLimit: () => ({ limitBytes: null, cgroupVersion: null, source: 'none', file: null, error: 'EACCES' }) });
    expect(p.getContainerLimit()).toBeNull();
    expect(p.getProbeErrorCount()).toBe(1);
  });

  it('stops idempotently, keeps its data readable, and ignores phases afterwards', () => {
    const p = profiler().start();
    p.markPhaseStart('a');
    p.markPhaseEnd('a');
    p.stop();
    p.stop();
    expect(p.running).toBe(false);
    expect(p.getPhaseStats()).toHaveLength(1);
    expect(p.phase('after', () => 42)).toBe(42);
    p.markPhaseStart('after');
    expect(p.getPhaseStats()).toHaveLength(1);
  });

  it('is disposable with `using`', () => {
    let p: MemoryProfiler;
    {
      using scoped = new MemoryProfiler({ eventLoop: false }).start();
      p = scoped;
      expect(p.running).toBe(true);
    }
    expect(p.running).toBe(false);
  });

  it('withMemoryProfiler stops the profiler when fn rejects, and passes the error through', async () => {
    let seen: MemoryProfiler | undefined;
    await expect(
      withMemoryProfiler({ eventLoop: false }, async (p) => {
        seen = p;
        await Promise.resolve();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen?.running).toBe(false);
  });

  it('leaves no active handles or timers after stop()', () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();
    const p = new MemoryProfiler({ sampleIntervalMs: 10 }).start();
    p.phase('x', () => undefined);
    p.stop();
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();
    expect(after).toEqual(before);
  });
});
