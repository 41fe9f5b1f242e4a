import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { HeapInfo } from 'node:v8';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import type { MemorySources } from '../../src/sdk/probes/memory-probes.js';
import { captureWarnings, fakeMemory, fakeSources } from '../helpers/fake-sources.js';
import { testMeterProvider } from '../helpers/metrics.js';

// Faults injected into the SDK at run time: probes that throw or answer garbage, a wall clock that jumps, thousands
// of start/stop cycles, worker threads. The host keeps running, memscope's figures stay numbers, and each fault that
// memscope can see is counted.

let profiler: MemoryProfiler | undefined;
afterEach(() => {
  profiler?.stop();
  profiler = undefined;
  vi.useRealTimers();
});

const QUIET = { sampleIntervalMs: 3_600_000, eventLoop: false, gc: false } as const;

/** Drives everything a service and a scrape would: samples, phases sync and async, marks, a render. */
async function exercise(p: MemoryProfiler, render: () => Promise<string>): Promise<string> {
  p.checkMemory({ forceSample: true });
  expect(p.phase('sync', () => 'value')).toBe('value');
  expect(await p.phase('async', () => Promise.resolve('later'))).toBe('later');
  p.markPhaseStart('mark').end();
  p.getPhaseStats();
  p.getGcStats();
  p.getContainerLimit();
  return render();
}

const GARBAGE: unknown[] = [Number.NaN, -1, Number.POSITIVE_INFINITY, 1e308, 'x', undefined, null, {}, [], () => 1, 2n];

describe('probes that throw or answer garbage', () => {
  it('keeps the host running and counts every failing probe, whichever fails', async () => {
    for (const failing of ['rss', 'heap', 'spaces', 'memoryUsage', 'resourceUsage']) {
      const memory = fakeMemory({ failing: new Set([failing]) });
      const { provider, reader } = testMeterProvider();
      const p = new MemoryProfiler({ ...QUIET, meter: provider.getMeter('t'), sources: fakeSources(memory) }).start();
      const text = await exercise(p, () => reader.render());
      expect(p.getProbeErrorCount(), failing).toBeGreaterThan(0);
      expect(text).toMatch(/^memscope_probe_errors_total\{memscope_probe_name="[a-z_]+"\} [1-9]\d*$/m);
      for (const s of p.getMemoryTimeline()) for (const v of [s.rss, s.heapUsed, s.heapTotal, s.external, s.arrayBuffers]) expect(Number.isFinite(v)).toBe(true);
      p.stop();
      await provider.shutdown();
    }
  });

  it('survives every probe answering garbage, and keeps the timeline and phases numeric', async () => {
    for (const value of GARBAGE) {
      const garbage = (): never => value as never;
      const sources: MemorySources = {
        rss: garbage,
        heapStatistics: () => ({ used_heap_size: value, total_heap_size: value, external_memory: value, heap_size_limit: value, total_physical_size: value }) as unknown as HeapInfo,
        heapSpaceStatistics: garbage,
        memoryUsage: garbage,
        resourceUsage: garbage,
      };
      const { provider, reader } = testMeterProvider();
      const p = new MemoryProfiler({ ...QUIET, meter: provider.getMeter('t'), sources }).start();
      let text = '';
      const warnings = await captureWarnings(async () => { text = await exercise(p, () => reader.render()); });
      for (const s of p.getMemoryTimeline()) for (const v of [s.rss, s.heapUsed, s.heapTotal, s.external, s.arrayBuffers]) expect(Number.isFinite(v)).toBe(true);
      for (const stat of p.getPhaseStats()) expect(stat.count).toBeGreaterThan(0);
      // Counted as the probes failing, each of them, and the rest of the collection is still served.
      // (An empty list is a valid answer for heap spaces.)
      for (const probe of ['rss', 'heap', 'array_buffers', 'max_rss', ...(Array.isArray(value) ? [] : ['heap_spaces'])]) {
        expect(text, `${String(value)}: ${probe}`).toMatch(new RegExp(`^memscope_probe_errors_total\\{memscope_probe_name="${probe}"\\} [1-9]\\d*$`, 'm'));
      }
      expect(text).toMatch(/^memscope_build_info\{/m);
      expect(reader.collectionErrors).toBe(0);
      expect(warnings.every((w) => w.code === undefined || w.code.startsWith('MEMSCOPE_W_'))).toBe(true);
      p.stop();
      await provider.shutdown();
    }
  });
});

describe('a wall clock that jumps', () => {
  it('keeps phase durations and timeline times from going backwards when Date jumps back an hour and on a day', () => {
    const p = (profiler = new MemoryProfiler({ ...QUIET, sources: fakeSources(fakeMemory()) }).start());
    vi.useFakeTimers({ toFake: ['Date'] });
    const durations: number[] = [];
    for (const jump of [-3_600_000, 86_400_000, -86_400_000 * 365]) {
      vi.setSystemTime(Date.now() + jump);
      p.phase('jumpy', () => { p.checkMemory({ forceSample: true }); });
      durations.push(p.getPhaseStats().find((s) => s.name === 'jumpy')!.duration.lastMs);
    }
    expect(durations.every((d) => d >= 0 && d < 60_000)).toBe(true);
    const times = p.getMemoryTimeline().map((s) => s.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(p.getPhaseIntervals().every((i) => i.end >= i.start)).toBe(true);
  });
});

describe('start and stop, thousands of times', () => {
  const fds = (): number => readdirSync('/proc/self/fd').length;
  const handles = (): number => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;

  /** `n` profilers, each started, used and stopped; the heap used afterwards (after a full GC). */
  async function cycles(n: number): Promise<number> {
    for (let i = 0; i < n; i++) {
      const p = new MemoryProfiler({ sampleIntervalMs: 10, maxPhaseIntervals: 10, timeline: { recentCapacity: 10, foldedCapacity: 2 } }).start();
      await p.phase('cycle', () => Promise.resolve(i));
      p.stop();
      p.stop();
      p.start(); // a stopped profiler stays stopped
      expect(p.running).toBe(false);
    }
    global.gc?.();
    return process.memoryUsage().heapUsed;
  }

  it('leaves no descriptor, handle or memory behind: 2,000 cycles hold what 1,000 held', async () => {
    const before = { fds: fds(), handles: handles() };
    await cycles(200); // warm-up: code compiled, the async context created once
    const afterOne = await cycles(1000);
    const afterTwo = await cycles(1000);
    expect({ fds: fds(), handles: handles() }).toEqual(before);
    // Twice the cycles, not twice the memory: what 1,000 more cycles add is within noise (1 MiB).
    expect(afterTwo - afterOne).toBeLessThan(2 ** 20);
  }, 120_000);
});

describe('worker threads', () => {
  const DIST = new URL('../../dist/index.js', import.meta.url).href;

  it('runs a profiler and memscope per worker, and a terminated worker takes nothing of the host with it', async () => {
    // Each worker starts memscope with a metrics server, runs phases, reports its phase count, then either stops
    // cleanly or is terminated mid-work.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      (async () => {
        const { startMemscope } = await import(${JSON.stringify(DIST)});
        const memscope = await startMemscope({ server: { port: 0 }, shutdownSignals: [], sampleIntervalMs: 10 });
        for (let i = 0; i < 200; i++) await memscope.profiler.phase('work', () => Promise.resolve(i));
        const res = await fetch(memscope.server.url + '/metrics');
        const text = await res.text();
        parentPort.postMessage({ status: res.status, count: memscope.profiler.getPhaseStats()[0].count, served: text.includes('memscope_phase_duration_seconds_count') });
        if (workerData.clean) await memscope.shutdown();
        else setInterval(() => memscope.profiler.phase('busy', () => 1), 1);
      })();
    `;
    const results = await Promise.all([true, false, true, false].map((clean) => new Promise<{ status: number; count: number; served: boolean }>((resolve, reject) => {
      const worker = new Worker(code, { eval: true, workerData: { clean } });
      worker.once('message', (m: { status: number; count: number; served: boolean }) => {
        void worker.terminate().then(() => { resolve(m); });
      });
      worker.once('error', reject);
    })));
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ status: 200, count: 200, served: true })));
    // The host is fine: its own profiler still works.
    const p = (profiler = new MemoryProfiler(QUIET).start());
    expect(p.phase('after-workers', () => 42)).toBe(42);
  }, 60_000);
});
