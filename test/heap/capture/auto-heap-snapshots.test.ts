import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AutoHeapSnapshots, type HeapSnapshotOptions } from '../../../src/heap/capture/auto-heap-snapshots.js';
import type { CaptureEvent, CaptureMemory } from '../../../src/heap/capture/capture-options.js';
import { MemscopeError } from '../../../src/internal/errors.js';
import { startMemscope } from '../../../src/exporter/start-memscope.js';
import type { LeakVerdict } from '../../../src/sdk/leak/leak-detector.js';
import { checkMetrics } from '../../helpers/promtool.js';

const MiB = 2 ** 20;
const METRICS_DOC = new URL('../../../docs/metrics.md', import.meta.url);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An AutoHeapSnapshots over a verdict the test sets, with an injected clock, memory and writer. */
function harness(options: Partial<HeapSnapshotOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'memscope-auto-'));
  dirs.push(dir);
  const state: { now: number; verdict: Partial<LeakVerdict> | undefined; memory: CaptureMemory } = {
    now: 1_000_000,
    verdict: { status: 'inconclusive' },
    memory: { heapUsed: 50 * MiB, heapLimit: 4096 * MiB, rss: 200 * MiB, containerLimit: null, systemAvailable: 16_384 * MiB },
  };
  const events: CaptureEvent[] = [];
  const auto = new AutoHeapSnapshots(
    {
      directory: dir,
      signal: null,
      analyse: false,
      pairMaxDelayMs: 60_000,
      now: () => state.now,
      memory: () => ({ ...state.memory }),
      writeSnapshot: (path) => { writeFileSync(path, '{}'); },
      freeDiskBytes: () => 1e12,
      onEvent: (e) => events.push(e),
      ...options,
    },
    () => state.verdict as LeakVerdict | undefined,
  );
  const check = (): void => { auto.capture.check(); };
  return { dir, state, events, auto, check };
}

describe('AutoHeapSnapshots', () => {
  it('starts a pair when the verdict turns to suspected, once, and finishes it', () => {
    const h = harness();
    h.check();
    expect(h.events).toEqual([]);
    h.state.verdict = { status: 'suspected' };
    h.check();
    expect(h.events.map((e) => e.type === 'snapshot' && [e.reason, e.pair])).toEqual([['leak_verdict', 'first']]);
    // Still suspected: no second trigger (the pair's second snapshot is the only thing to come).
    h.state.now += 30_000;
    h.check();
    expect(h.events).toHaveLength(1);
    h.state.now += 30_000;
    h.check();
    expect(h.events.map((e) => e.type === 'snapshot' && e.pair)).toEqual(['first', 'second']);
    expect(h.auto.latestPair()).toMatchObject({ reason: 'leak_verdict', topConstructor: null, diffFile: null });
    h.state.now += 60_000;
    h.check();
    expect(h.events).toHaveLength(2);
  });

  it('starts a pair when the forecast falls under its horizon, and not again while it stays there', () => {
    const h = harness({ forecastHorizonMs: 3_600_000 });
    h.state.verdict = { status: 'no-leak', forecast: { heap: { seconds: 7200 } as never, container: null } };
    h.check();
    expect(h.events).toEqual([]);
    h.state.verdict = { status: 'no-leak', forecast: { heap: null, container: { seconds: 1800 } as never } };
    h.check();
    expect(h.events.map((e) => e.type === 'snapshot' && e.reason)).toEqual(['forecast']);
  });

  it('can be told to ignore the verdict and the forecast', () => {
    const h = harness({ onLeakSuspected: false, forecastHorizonMs: null });
    h.state.verdict = { status: 'suspected', forecast: { heap: { seconds: 1 } as never, container: null } };
    h.check();
    expect(h.events).toEqual([]);
  });

  it('refuses, counted, when the memory rule says a snapshot could kill the process', () => {
    const h = harness();
    h.state.memory = { ...h.state.memory, heapUsed: 4090 * MiB };
    h.state.verdict = { status: 'suspected' };
    h.check();
    expect(h.events).toMatchObject([{ type: 'refused', reason: 'leak_verdict', refused: 'heap_limit' }]);
    expect(h.auto.stats().refusals.heap_limit).toBe(1);
  });

  it('rejects unknown and bad options naming them under heapSnapshots', () => {
    const bad = (o: object): unknown => {
      try {
        new AutoHeapSnapshots({ directory: '/tmp/x', signal: null, ...o }, () => undefined);
        return undefined;
      } catch (e) {
        return e;
      }
    };
    expect(bad({ onLeak: true })).toBeInstanceOf(MemscopeError);
    expect((bad({ onLeak: true }) as Error).message).toMatch(/unknown option "heapSnapshots.onLeak".*onLeakSuspected/);
    expect((bad({ forecastHorizonMs: -1 }) as Error).message).toMatch(/^heapSnapshots.forecastHorizonMs must be/);
    expect((bad({ analyse: 'yes' }) as Error).message).toMatch(/^heapSnapshots.analyse must be true or false/);
  });
});

describe('heap snapshots as series', () => {
  it('exports exactly the series docs/metrics.md lists for them, lint-clean, with the pair in the info series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-auto-metrics-'));
    dirs.push(dir);
    const kept: number[][] = [];
    const memscope = await startMemscope({
      serviceName: 'snapshot-metrics-test',
      shutdownSignals: [],
      // A detector that speaks at once on exact points, so a heap that grows from one forced GC to the next is
      // suspected within the test.
      leak: { ignoreFirstMs: 0, warmUpMs: 0, minSpanMs: 0, minPoints: 3, bucketMs: 1, minSlopeBytesPerSec: 0, minGrowthBytes: 0, minGrowthNoiseRatio: 0 },
      heapSnapshots: { directory: dir, signal: null, analyse: false, checkIntervalMs: 20, pairMaxDelayMs: 50, writeSnapshot: (path) => { writeFileSync(path, '{}'); } },
    });
    try {
      const p = memscope.profiler;
      for (let i = 0; i < 8 && p.getHeapSnapshots()?.latestPair() == null; i++) {
        kept.push(new Array<number>(500_000).fill(i));
        p.forceGc();
        await new Promise((r) => setTimeout(r, 60));
      }
      for (let i = 0; i < 50 && p.getHeapSnapshots()?.latestPair() == null; i++) await new Promise((r) => setTimeout(r, 20));
      const pair = p.getHeapSnapshots()?.latestPair();
      expect(pair).toMatchObject({ reason: 'leak_verdict' });
      expect(readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'))).toHaveLength(2);

      const text = await memscope.reader.render();
      const doc = readFileSync(METRICS_DOC, 'utf8');
      const listed = [...doc.slice(doc.indexOf('### With heap snapshots')).matchAll(/^\| `([a-z0-9_:]+)` \|/gm)].map((m) => m[1]!);
      const scraped = [...text.matchAll(/^# TYPE (memscope_heap_snapshot\S*|memscope_heap_snapshots\S*) /gm)].map((m) => m[1]!);
      expect(scraped.sort()).toEqual([...listed].sort());
      expect(text).toMatch(/^memscope_heap_snapshots_total\{memscope_snapshot_reason="leak_verdict"\} 2$/m);
      expect(text).toMatch(/^memscope_heap_snapshots_total\{memscope_snapshot_reason="signal"\} 0$/m);
      expect(text).toMatch(/^memscope_heap_snapshot_refusals_total\{memscope_snapshot_refusal="container_limit"\} 0$/m);
      expect(text).toContain(`memscope_snapshot_after="${pair!.after}"`);
      const { findings } = checkMetrics(text);
      expect(findings).toEqual([]);
    } finally {
      await memscope.shutdown();
      kept.length = 0;
    }
  });
});
