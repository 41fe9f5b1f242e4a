import { describe, expect, it } from 'vitest';
import { ThreadCollector } from '../../src/run/threads.js';
import type { MemorySample } from '../../src/sdk/types.js';
import { testMeterProvider, pointValue } from '../helpers/metrics.js';

function sample(time: number, heapUsed: number): MemorySample {
  return { time, rss: 100e6, heapUsed, heapTotal: heapUsed * 2, external: 0, arrayBuffers: 0, phase: null };
}
const message = (threadId: number, s: MemorySample, kind: 'sample' | 'bye' = 'sample', extra: object = {}): object => ({ memscope: 1, kind, threadId, sample: s, ...extra });

describe('ThreadCollector', () => {
  it('keeps a timeline and the peak per thread, and its phases and verdict when it says goodbye', () => {
    const c = new ThreadCollector(undefined);
    const now = Date.now();
    c.receive(message(1, sample(now, 10)));
    c.receive(message(1, sample(now + 1000, 30)));
    c.receive(message(2, sample(now, 5)));
    c.receive(message(1, sample(now + 2000, 20), 'bye', { phases: [], leak: { status: 'no-leak', summary: 'no leak: no baseline grows' } }));
    const [one, two] = c.reports();
    expect(one).toMatchObject({ threadId: 1, label: 'thread 1', ended: true, peakHeapUsedBytes: 30, startedAt: now, endedAt: now + 2000, leak: { status: 'no-leak' } });
    expect(one?.timeline).toHaveLength(3);
    expect(two).toMatchObject({ threadId: 2, ended: false, peakHeapUsedBytes: 5 });
  });

  it('ignores what is not a message of its protocol', () => {
    const c = new ThreadCollector(undefined);
    for (const junk of [null, 42, 'x', { memscope: 2, kind: 'sample', threadId: 1, sample: sample(1, 1) }, { memscope: 1, kind: 'sample', threadId: 1, sample: { time: 1 } }]) c.receive(junk);
    expect(c.reports()).toEqual([]);
  });

  it('tracks at most 64 threads, making room with ended ones and counting the rest', () => {
    const c = new ThreadCollector(undefined);
    const now = Date.now();
    for (let id = 1; id <= 64; id++) c.receive(message(id, sample(now, id)));
    c.receive(message(65, sample(now, 65)));
    expect(c.untrackedThreads).toBe(1);
    c.receive(message(3, sample(now, 3), 'bye', { phases: [] }));
    c.receive(message(66, sample(now, 66)));
    expect(c.reports()).toHaveLength(64);
    expect(c.reports().map((t) => t.threadId)).not.toContain(3);
    expect(c.reports().map((t) => t.threadId)).toContain(66);
  });

  it('serves each running thread\'s heap labelled thread.id, and drops a thread once it ended or fell silent', async () => {
    const { provider, collect } = testMeterProvider();
    const c = new ThreadCollector(provider.getMeter('t'));
    const now = Date.now();
    c.receive(message(7, sample(now, 1234)));
    c.receive(message(8, sample(now - 60_000, 99)));
    c.receive(message(9, sample(now, 55)));
    c.receive(message(9, sample(now, 56), 'bye', { phases: [] }));
    const rm = await collect();
    expect(pointValue(rm, 'memscope.thread.heap.used', { 'thread.id': 7 as unknown as string })).toBe(1234);
    expect(pointValue(rm, 'memscope.thread.heap.total', { 'thread.id': 7 as unknown as string })).toBe(2468);
    expect(pointValue(rm, 'memscope.thread.heap.used', { 'thread.id': 8 as unknown as string })).toBeUndefined();
    expect(pointValue(rm, 'memscope.thread.heap.used', { 'thread.id': 9 as unknown as string })).toBeUndefined();
    await provider.shutdown();
  });
});
