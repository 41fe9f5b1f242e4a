import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { captureHeapSnapshot, HeapSnapshotCapture } from '../../../src/heap/capture/heap-capture.js';
import type { CaptureEvent, CaptureMemory, HeapCaptureOptions } from '../../../src/heap/capture/capture-options.js';
import { memoryRefusal, usableHeapLimit } from '../../../src/heap/capture/memory-check.js';
import { MemscopeError } from '../../../src/internal/errors.js';

const MiB = 2 ** 20;

/** A capture with an injected clock, memory and writer: no real snapshot, no real sleep. */
function harness(options: Partial<HeapCaptureOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'memscope-capture-'));
  const state = { now: 1_000_000, memory: { heapUsed: 50 * MiB, heapLimit: 4096 * MiB, rss: 200 * MiB, containerLimit: null, systemAvailable: 16_384 * MiB } as CaptureMemory, fileBytes: 1000 };
  const events: CaptureEvent[] = [];
  const writes: string[] = [];
  const capture = new HeapSnapshotCapture({
    directory: dir,
    signal: null,
    now: () => state.now,
    memory: () => ({ ...state.memory }),
    writeSnapshot: (path) => {
      writes.push(path);
      writeFileSync(path, Buffer.alloc(state.fileBytes, 0x7b));
    },
    freeDiskBytes: () => 100 * 1024 * MiB,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { dir, state, events, writes, capture, files: () => readdirSync(dir).filter((n) => n.endsWith('.heapsnapshot')).sort() };
}

describe('HeapSnapshotCapture', () => {
  const dirs: string[] = [];
  let warnings: Array<{ code?: string; message: string }> = [];
  const onWarning = (w: Error & { code?: string }): void => { warnings.push({ code: w.code, message: w.message }); };
  beforeEach(() => {
    warnings = [];
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.removeListener('warning', onWarning);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const make = (options: Partial<HeapCaptureOptions> = {}) => {
    const h = harness(options);
    dirs.push(h.dir);
    return h;
  };

  it('takes a pair: the first on trigger, the second once the heap grew by pairGrowth', () => {
    const h = make({ pairGrowth: '10 MiB', pairMaxDelayMs: 600_000 });
    const first = h.capture.trigger('leak_verdict');
    expect(first).toMatchObject({ ok: true, reason: 'leak_verdict' });
    h.state.memory.heapUsed += 5 * MiB;
    h.capture.check();
    expect(h.files()).toHaveLength(1);
    h.state.memory.heapUsed += 5 * MiB;
    h.capture.check();
    expect(h.files()).toHaveLength(2);
    const pair = h.capture.stats().latestPair!;
    expect(pair.reason).toBe('leak_verdict');
    expect([pair.before, pair.after].map((p) => p.split('/').pop()).sort()).toEqual(h.files());
    expect(h.events.flatMap((e) => (e.type === 'snapshot' ? [e.pair] : []))).toEqual(['first', 'second']);
    // Files appear complete or not at all: written under a temporary name, then renamed.
    expect(h.writes.every((w) => w.endsWith('.heapsnapshot.partial'))).toBe(true);
    expect(readdirSync(h.dir).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('takes the second snapshot after pairMaxDelayMs when the heap does not grow', () => {
    const h = make({ pairGrowth: '1 GiB', pairMaxDelayMs: 60_000 });
    h.capture.trigger('forecast');
    h.state.now += 59_999;
    h.capture.check();
    expect(h.files()).toHaveLength(1);
    h.state.now += 1;
    h.capture.check();
    expect(h.files()).toHaveLength(2);
  });

  it('starts a pair on its own when the heap reaches heapShareTrigger of its limit, and not below', () => {
    const h = make({ heapShareTrigger: 0.8 });
    h.state.memory.heapLimit = 1000 * MiB;
    h.state.memory.heapUsed = 790 * MiB;
    h.capture.check();
    expect(h.files()).toEqual([]);
    h.state.memory.heapUsed = 800 * MiB;
    h.capture.check();
    expect(h.files()).toHaveLength(1);
    expect(h.files()[0]).toMatch(/-heap_share\.heapsnapshot$/);
  });

  it('rate-limits automatic pairs to one per minIntervalMs, counting each refusal', () => {
    const h = make({ minIntervalMs: 1_800_000, pairMaxDelayMs: 1000 });
    h.capture.trigger('leak_verdict');
    h.state.now += 1000;
    h.capture.check(); // completes the pair
    h.state.now += 60_000;
    expect(h.capture.trigger('leak_verdict')).toMatchObject({ ok: false, refused: 'rate_limited' });
    expect(h.capture.trigger('forecast')).toMatchObject({ ok: false, refused: 'rate_limited' });
    expect(h.capture.stats().refusals.rate_limited).toBe(2);
    h.state.now += 1_800_000;
    expect(h.capture.trigger('leak_verdict')).toMatchObject({ ok: true });
    expect(h.files()).toHaveLength(3);
  });

  it('rate-limits on-demand snapshots separately (onDemandMinIntervalMs)', () => {
    const h = make({ onDemandMinIntervalMs: 10_000 });
    expect(h.capture.snapshot()).toMatchObject({ ok: true });
    h.state.now += 9_999;
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'rate_limited' });
    h.state.now += 1;
    expect(h.capture.snapshot()).toMatchObject({ ok: true });
  });

  it('never writes two at once: a snapshot asked for while one is written is refused as busy', () => {
    let inner: unknown;
    const h = make({
      writeSnapshot: (path) => {
        inner = h.capture.snapshot('signal');
        writeFileSync(path, 'x');
      },
      onDemandMinIntervalMs: 0,
    });
    expect(h.capture.trigger('leak_verdict')).toMatchObject({ ok: true });
    expect(inner).toMatchObject({ ok: false, refused: 'busy' });
  });

  it('never writes while another live process holds the directory lock, and takes over a dead one', async () => {
    const h = make();
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(h.dir, '.memscope-heap.lock'), String(sleeper.pid));
      expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'busy' });
      sleeper.kill();
      await new Promise((resolve) => sleeper.once('exit', resolve));
      expect(h.capture.snapshot()).toMatchObject({ ok: true });
      expect(existsSync(join(h.dir, '.memscope-heap.lock'))).toBe(false);
    } finally {
      sleeper.kill();
    }
  });

  it('keeps maxFiles files, deleting the oldest first', () => {
    const h = make({ maxFiles: 2, onDemandMinIntervalMs: 0 });
    const paths: string[] = [];
    for (let i = 0; i < 4; i++) {
      h.state.now += 1000;
      const r = h.capture.snapshot();
      if (r.ok) paths.push(r.path.split('/').pop()!);
    }
    expect(paths).toHaveLength(4);
    expect(h.files()).toEqual(paths.slice(2));
  });

  it('refuses when the estimated file does not fit the disk budget, before writing anything', () => {
    // 50 MiB heap x fileFactor 2.5 = 125 MiB estimated, against a 100 MiB budget.
    const h = make({ maxDiskBytes: '100 MiB' });
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'disk_budget' });
    expect(h.writes).toEqual([]);
  });

  it('makes room within the disk budget by deleting old files, and deletes a new file the real size of which does not fit', () => {
    const h = make({ maxDiskBytes: 3000, fileFactor: 0, onDemandMinIntervalMs: 0 });
    h.state.fileBytes = 1000;
    for (let i = 0; i < 3; i++) {
      h.state.now += 1000;
      h.capture.snapshot();
    }
    expect(h.files()).toHaveLength(3);
    h.state.now += 1000;
    h.capture.snapshot(); // 4 x 1000 > 3000: the oldest goes
    expect(h.files()).toHaveLength(3);
    const total = h.files().reduce((sum, f) => sum + statSync(join(h.dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(3000);
    h.state.fileBytes = 5000; // larger than the whole budget on its own
    h.state.now += 1000;
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'disk_budget' });
    expect(h.files().every((f) => statSync(join(h.dir, f)).size <= 3000)).toBe(true);
  });

  it('never deletes the first snapshot of the pair it is completing', () => {
    const h = make({ maxFiles: 1, pairMaxDelayMs: 1000 });
    h.capture.trigger('leak_verdict');
    h.state.now += 1000;
    h.capture.check();
    // One file allowed, but the pair's first is kept: the second is refused rather than orphaning the first.
    expect(h.capture.stats().refusals.disk_budget).toBe(1);
    expect(h.files()).toHaveLength(1);
  });

  it('refuses when the disk has less free space than the estimate', () => {
    const h = make({ freeDiskBytes: () => 10 * MiB });
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'disk_space' });
  });

  it('refuses near the heap limit, near the container limit and beyond available memory', () => {
    const h = make({ memoryFactor: 10, heapHeadroom: '16 MiB', onDemandMinIntervalMs: 0 });
    h.state.memory = { heapUsed: 500 * MiB, heapLimit: 510 * MiB, rss: 600 * MiB, containerLimit: null, systemAvailable: null };
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'heap_limit' });
    h.state.memory = { heapUsed: 100 * MiB, heapLimit: 4096 * MiB, rss: 300 * MiB, containerLimit: 1024 * MiB, systemAvailable: null };
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'container_limit' }); // 300 + 10 x 100 > 1024
    h.state.memory.containerLimit = 2048 * MiB;
    h.state.memory.systemAvailable = 512 * MiB;
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'system_memory' });
    h.state.memory.systemAvailable = 8192 * MiB;
    expect(h.capture.snapshot()).toMatchObject({ ok: true });
    expect(h.writes).toHaveLength(1);
    expect(h.capture.stats().refusals).toMatchObject({ heap_limit: 1, container_limit: 1, system_memory: 1 });
  });

  it('warns once per refusal reason with MEMSCOPE_W_HEAP_SNAPSHOT, and counts every refusal', async () => {
    const h = make({ freeDiskBytes: () => 0, onDemandMinIntervalMs: 0 });
    for (let i = 0; i < 3; i++) h.capture.snapshot();
    await new Promise((resolve) => setImmediate(resolve));
    // Other tests' warnings arrive on later ticks too: this capture's are the ones naming its directory.
    const mine = warnings.filter((w) => w.code === 'MEMSCOPE_W_HEAP_SNAPSHOT' && w.message.includes(h.dir));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toMatch(/refused: disk_space/);
    expect(h.capture.stats().refusals.disk_space).toBe(3);
  });

  it('reports a failing write as write_failed and leaves no partial file', () => {
    const h = make({
      writeSnapshot: (path) => {
        writeFileSync(path, 'half');
        throw new Error('ENOSPC: no space left on device');
      },
    });
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'write_failed', detail: expect.stringMatching(/ENOSPC/) as unknown });
    expect(readdirSync(h.dir).filter((n) => !n.startsWith('.'))).toEqual([]);
  });

  it('measures each pause and reports it in stats and events', () => {
    const h = make({
      writeSnapshot: (path) => {
        const end = performance.now() + 20;
        while (performance.now() < end) {
          // a 20 ms synchronous write, as V8's is
        }
        writeFileSync(path, 'x');
      },
    });
    h.capture.snapshot();
    const stats = h.capture.stats();
    expect(stats.snapshots).toBe(1);
    expect(stats.lastPauseMs).toBeGreaterThanOrEqual(19);
    expect(stats.maxPauseMs).toBe(stats.lastPauseMs);
    expect(h.events[0]).toMatchObject({ type: 'snapshot', pauseMs: stats.lastPauseMs, bytes: 1 });
  });

  it('survives a throwing onEvent listener', () => {
    const h = make({ onEvent: () => { throw new Error('listener bug'); } });
    expect(h.capture.snapshot()).toMatchObject({ ok: true });
  });

  it('takes a snapshot on its signal while started, and removes the handler on stop', async () => {
    const before = process.listenerCount('SIGUSR2');
    const h = make({ signal: 'SIGUSR2' });
    h.capture.start();
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.kill(process.pid, 'SIGUSR2');
    for (let i = 0; i < 100 && h.files().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(h.files()).toHaveLength(1);
    expect(h.files()[0]).toMatch(/-signal\.heapsnapshot$/);
    h.capture.stop();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    expect(h.capture.snapshot()).toMatchObject({ ok: false, refused: 'stopped' });
  });

  it('validates its options at construction, naming the field', () => {
    const bad: Array<[Partial<HeapCaptureOptions>, RegExp]> = [
      [{ directory: '' }, /^directory must be/],
      [{ signal: 'SIGKILL' }, /^signal must be/],
      [{ heapShareTrigger: 1.5 }, /^heapShareTrigger must be/],
      [{ maxFiles: 0 }, /^maxFiles must be/],
      [{ maxDiskBytes: 'lots' }, /^maxDiskBytes must be/],
      [{ pairGrowth: -1 }, /^pairGrowth must be/],
    ];
    for (const [options, message] of bad) {
      const error = (() => {
        try {
          new HeapSnapshotCapture({ directory: '/tmp/x', ...options });
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify(options)).toBeInstanceOf(MemscopeError);
      expect((error as MemscopeError).code).toBe('MEMSCOPE_E_INVALID_OPTION');
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('memoryRefusal', () => {
  const o = { memoryFactor: 10, heapHeadroomBytes: 16 * MiB };
  it('allows a snapshot exactly at the container limit and refuses one byte past it', () => {
    const m = { heapUsed: 100 * MiB, heapLimit: 4096 * MiB, rss: 200 * MiB, containerLimit: 1200 * MiB, systemAvailable: null };
    expect(memoryRefusal(m, o)).toBeUndefined();
    expect(memoryRefusal({ ...m, rss: 200 * MiB + 1 }, o)?.refused).toBe('container_limit');
  });
});

describe('usableHeapLimit', () => {
  it('takes the young generation out of V8\'s heap_size_limit, as measured on Node 20 and 24', () => {
    // --max-old-space-size=64: Node 20 reports 112 MiB, Node 24 256 MiB; both die at about 64 MiB used.
    expect(usableHeapLimit(112 * MiB, '--max-old-space-size=64', 20)).toBe(64 * MiB);
    expect(usableHeapLimit(256 * MiB, '--max-old-space-size=64', 24)).toBe(64 * MiB);
    expect(usableHeapLimit(76 * MiB, '--max-old-space-size=64 --max-semi-space-size=4', 24)).toBe(64 * MiB);
    expect(usableHeapLimit(4144 * MiB, '', 20)).toBe(4096 * MiB);
    expect(usableHeapLimit(100 * MiB, '', 24)).toBe(25 * MiB); // never below a quarter
  });
});

describe('captureHeapSnapshot', () => {
  it('writes a real, complete V8 heap snapshot into the directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-capture-real-'));
    try {
      const result = captureHeapSnapshot({ directory: join(dir, 'nested') });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.bytes).toBe(statSync(result.path).size);
      expect(result.bytes).toBeGreaterThan(1 * MiB);
      expect(result.pauseMs).toBeGreaterThan(0);
      expect(readdirSync(join(dir, 'nested'))).toEqual([result.path.split('/').pop()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
