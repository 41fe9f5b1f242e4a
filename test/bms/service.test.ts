import { afterEach, describe, expect, it } from 'vitest';
import { JobStore } from '../../src/bms/service/job-store.js';
import { JobQueue } from '../../src/bms/service/job-queue.js';
import { startBmsService, type BmsService } from '../../src/bms/service/bms-service.js';
import { generatePoints } from '../../src/bms/data/generator.js';

let service: BmsService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const post = (url: string, points: unknown[]) =>
  fetch(`${url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ points }) });

describe('JobStore', () => {
  const body = (bytes: number): Buffer => Buffer.alloc(bytes, 1);

  it('evicts the oldest finished jobs past the count bound', () => {
    const store = new JobStore({ maxJobs: 3 });
    const jobs = Array.from({ length: 5 }, () => store.create(1));
    for (const j of jobs) store.succeed(j, body(2));
    expect(store.size).toBe(3);
    expect(store.get(jobs[0]!.id)).toBeUndefined();
    expect(store.get(jobs[4]!.id)?.status).toBe('succeeded');
  });

  it('evicts past the byte bound and never evicts running jobs', () => {
    const store = new JobStore({ maxResultBytes: 2000, maxResultShare: 0.25 });
    const running = store.create(1);
    store.start(running);
    const done = Array.from({ length: 8 }, () => store.create(1));
    for (const j of done) store.succeed(j, body(400));
    expect(store.bytes).toBeLessThanOrEqual(2000);
    expect(store.get(running.id)?.status).toBe('running');
    expect(store.evicted).toBe(3);
  });

  it('fails a result over its share of the byte bound instead of evicting others for it', () => {
    const store = new JobStore({ maxResultBytes: 10_000 });
    const kept = store.create(1);
    store.succeed(kept, body(900));
    const big = store.create(1);
    expect(store.succeed(big, body(1001))).toBe('failed');
    expect(big.error).toMatch(/more than the 1000/);
    expect(store.get(kept.id)?.status).toBe('succeeded');
    expect(store.bytes).toBe(900);
  });

  it('keeps the first outcome: a job failed by shutdown stays failed', () => {
    const store = new JobStore();
    const job = store.create(1);
    expect(store.fail(job, 'shut down')).toBe(true);
    expect(store.succeed(job, body(10))).toBeUndefined();
    expect(store.fail(job, 'again')).toBe(false);
    expect(job).toMatchObject({ status: 'failed', error: 'shut down' });
  });

  it('rejects bad limits naming the field', () => {
    expect(() => new JobStore({ maxResultShare: 0 })).toThrow(/store\.maxResultShare/);
    expect(() => new JobStore({ maxJobs: -1 })).toThrow(/store\.maxJobs/);
  });
});

describe('JobQueue', () => {
  const task = (id: string, bytes: number, finished: string[], ms = 10) => ({
    id,
    points: 1,
    bytes,
    run: () =>
      new Promise<void>((r) =>
        setTimeout(() => {
          finished.push(id);
          r();
        }, ms),
      ),
  });

  it('refuses work past its backlog and drains what it accepted', async () => {
    const queue = new JobQueue({ concurrency: 1, maxBacklog: 2 });
    const finished: string[] = [];
    expect(queue.offer(task('1', 1, finished))).toBe(true); // running
    expect(queue.offer(task('2', 1, finished))).toBe(true);
    expect(queue.offer(task('3', 1, finished))).toBe(true);
    expect(queue.offer(task('4', 1, finished))).toBe(false);
    await queue.drain();
    expect(finished).toEqual(['1', '2', '3']);
  });

  it('bounds the backlog in bytes, but takes a job larger than the bound into an empty backlog', async () => {
    const queue = new JobQueue({ concurrency: 1, maxBacklogBytes: 1000 });
    const finished: string[] = [];
    expect(queue.offer(task('running', 5000, finished))).toBe(true);
    expect(queue.offer(task('big', 1500, finished))).toBe(true); // alone in the backlog
    expect(queue.hasRoomFor({ points: 1, bytes: 1 })).toBe(false);
    await queue.drain();
    expect(queue.offer(task('a', 1, finished))).toBe(true); // a free worker
    expect(queue.offer(task('b', 600, finished))).toBe(true);
    expect(queue.offer(task('c', 400, finished))).toBe(true);
    expect(queue.offer(task('d', 1, finished))).toBe(false);
    expect(queue.pendingPoints).toBe(3);
    await queue.drain();
  });

  it('bounds the backlog by the seconds of work it holds, at the throughput measured from the jobs\' progress', async () => {
    let now = 0;
    const queue = new JobQueue({ concurrency: 1, maxBacklogSeconds: 10, now: () => now });
    const gates = new Map<string, () => void>();
    const gated = (id: string, points: number) => ({
      id,
      points,
      bytes: 0,
      run: (_signal: AbortSignal, progress: (points: number) => void) =>
        new Promise<void>((r) =>
          gates.set(id, () => {
            progress(points);
            r();
          }),
        ),
    });
    const settle = () => new Promise((r) => setImmediate(r));
    queue.offer(gated('a', 1000));
    expect(queue.throughput).toBeUndefined();
    // Nothing measured yet: 5,000 points/s is assumed, so 10 s are 50,000 points waiting and running.
    expect(queue.hasRoomFor({ points: 49_000, bytes: 0 })).toBe(true);
    expect(queue.hasRoomFor({ points: 49_001, bytes: 0 })).toBe(false);
    now = 2000; // 1,000 points in 2 s of busy time
    gates.get('a')!();
    await settle();
    expect(queue.throughput).toBe(500);
    queue.offer(gated('b', 3000)); // 6 s of work, running
    expect(queue.hasRoomFor({ points: 2000, bytes: 0 })).toBe(true); // 10 s in all
    expect(queue.hasRoomFor({ points: 2001, bytes: 0 })).toBe(false);
    expect(queue.offer(gated('c', 2001))).toBe(false);
    now = 2100; // the machine got 30 times faster: 3,000 points in 0.1 s
    gates.get('b')!();
    await settle();
    expect(queue.throughput).toBe(500); // 0.1 s of busy time is too short a sample to count on its own
    queue.offer(gated('c', 3000));
    now = 2400;
    gates.get('c')!();
    await settle();
    expect(queue.throughput).toBeCloseTo(0.7 * 500 + 0.3 * (6000 / 0.4), 6); // 15,000 points/s, smoothed
  });

  it('cancels: drops the waiting, aborts the running, and returns every id', async () => {
    const queue = new JobQueue({ concurrency: 1 });
    let aborted: unknown;
    queue.offer({
      id: 'running',
      points: 1,
      bytes: 1,
      run: (signal) =>
        new Promise<void>((r) => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            r();
          });
        }),
    });
    const finished: string[] = [];
    queue.offer(task('waiting', 1, finished));
    expect(queue.cancel('shutting down')).toEqual(['running', 'waiting']);
    await queue.drain();
    expect((aborted as Error).message).toBe('shutting down');
    expect(finished).toEqual([]);
    expect(queue.depth).toBe(0);
  });
});

describe('BMS service shutdown', () => {
  it('finishes accepted jobs before closing, and refuses new ones while draining', async () => {
    // Every job accepted, whatever throughput the machine gives the test: the drain is what is under test here.
    service = await startBmsService({ port: 0, concurrency: 1, maxBacklogSeconds: 3600, drainTimeoutMs: 120_000, memscope: { eventLoop: false } });
    const ids: string[] = [];
    // Large enough to take a while, processed in batches that yield to the event loop, one job at a time.
    for (let i = 0; i < 3; i++) ids.push(((await (await post(service.url, generatePoints({ points: 20_000, seed: i }))).json()) as { id: string }).id);
    expect(service.store.get(ids[2]!)?.status).toBe('queued');
    const closing = service.close();
    await new Promise((r) => setTimeout(r, 20));
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await post(service.url, [{ name: 'SITE1.AHU-01.SA-T', value: 1 }])).status).toBe(503);
    expect(await closing).toMatchObject({ pending: 3, finished: 3, abandoned: [], outcome: 'drained' });
    for (const id of ids) expect(service.store.get(id)?.status).toBe('succeeded');
  });
});

describe('BMS service shutdown that gives up', () => {
  it('fails the unfinished jobs with the reason and stops them where they are, without finishing them for nobody', async () => {
    service = await startBmsService({ port: 0, concurrency: 1, maxBacklogSeconds: 3600, memscope: { eventLoop: false } });
    const running = ((await (await post(service.url, generatePoints({ points: 60_000, seed: 1 }))).json()) as { id: string }).id;
    const waiting = ((await (await post(service.url, [{ name: 'SITE1.AHU-01.SA-T', value: 1 }])).json()) as { id: string }).id;
    while (service.store.get(running)?.status !== 'running') await new Promise((r) => setTimeout(r, 10));
    service.abortDrain(); // as a second SIGTERM does
    const report = await service.close();
    expect(report).toMatchObject({ pending: 2, finished: 0, outcome: 'aborted' });
    expect(report.abandoned.sort()).toEqual([running, waiting].sort());
    for (const id of [running, waiting]) {
      expect(service.store.get(id)).toMatchObject({ status: 'failed', error: 'the service shut down before the job finished (stopped without waiting: second signal)' });
    }
    await service.queue.drain(); // the running job stopped at its next batch …
    const phases = service.memscope.profiler.getPhaseStats();
    expect(phases.find((p) => p.name === 'store')).toBeUndefined(); // … and never got as far as its result
    expect(phases.find((p) => p.name === 'parse')!.count).toBeLessThan(120); // 120 batches of 500 in the whole job
  });
});

describe('fault injection', () => {
  it('leaks the configured bytes per accepted job', async () => {
    service = await startBmsService({ port: 0, memscope: { eventLoop: false }, faults: { leakBytesPerRequest: 64 * 1024, leakKind: 'buffer' } });
    for (let i = 0; i < 4; i++) await post(service.url, [{ name: 'SITE1.AHU-01.SA-T', value: 1 }]);
    expect(service.faults.retainedBytes).toBe(4 * 64 * 1024);
  });

  it('makes the slow phase slower and the spike phase peak higher, visible in the phase statistics', async () => {
    service = await startBmsService({ port: 0, memscope: { eventLoop: false }, faults: { slowPhase: { phase: 'classify', ms: 120 }, spikeBytes: 32 * 2 ** 20, spikePhase: 'classify' } });
    const { id } = (await (await post(service.url, generatePoints({ points: 100 }))).json()) as { id: string };
    while (service.store.get(id)?.status !== 'succeeded') await new Promise((r) => setTimeout(r, 20));
    const classify = service.memscope.profiler.getPhaseStats().find((s) => s.name === 'classify')!;
    expect(classify.duration.maxMs).toBeGreaterThanOrEqual(120);
    expect(classify.lastPeak!.external - classify.memoryAtStart!.external).toBeGreaterThan(30 * 2 ** 20);
  });

  it('leaks at a rate over time when started with --inject-leak', async () => {
    service = await startBmsService({ port: 0, memscope: { eventLoop: false }, faults: { leakBytesPerSec: 10 * 2 ** 20 } });
    await new Promise((r) => setTimeout(r, 350));
    expect(service.faults.retainedBytes).toBeGreaterThanOrEqual(2 * 2 ** 20);
  });
});
