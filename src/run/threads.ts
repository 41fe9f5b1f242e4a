import type { Meter, ObservableResult } from '@opentelemetry/api';
import { BroadcastChannel, threadId } from 'node:worker_threads';
import type { RunThreadReport } from '../report/report-model.js';
import type { LeakStatus } from '../sdk/leak/leak-detector.js';
import type { MemoryProfiler } from '../sdk/memory-profiler.js';
import type { PhaseStats } from '../sdk/phases/phase-stats.js';
import { ATTR_THREAD_ID, METRIC_THREAD_HEAP_TOTAL, METRIC_THREAD_HEAP_USED } from '../sdk/semconv.js';
import { MemoryTimeline } from '../sdk/timeline/timeline.js';
import type { MemorySample } from '../sdk/types.js';

/**
 * Worker threads report to their process's main thread over a BroadcastChannel: every thread of a process can reach
 * it without holding the Worker object (the preload of a worker knows nothing of who created it). Messages carry a
 * version so that two copies of memscope in one process do not misread each other.
 */
const CHANNEL = 'memscope.threads';
const PROTOCOL = 1;

type ThreadMessage =
  | { memscope: typeof PROTOCOL; kind: 'sample'; threadId: number; sample: MemorySample }
  | { memscope: typeof PROTOCOL; kind: 'bye'; threadId: number; sample: MemorySample; phases: PhaseStats[]; leak?: ThreadVerdict };

type ThreadVerdict = { status: LeakStatus; summary: string };

/**
 * In a worker thread: sends the thread's memory (its own V8 heap) every `intervalMs`, and its phases and leak verdict
 * when it ends normally. A thread stopped with `worker.terminate()` runs no exit handler: its last sample stands.
 * Returns the stop function. Nothing here keeps the thread alive.
 */
export function reportThread(profiler: MemoryProfiler, intervalMs: number): () => void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  const post = (message: ThreadMessage): void => {
    try {
      channel.postMessage(message);
    } catch {
      // The main thread is going away: nothing to report to.
    }
  };
  const sample = (): MemorySample => ({ ...profiler.checkMemory() });
  post({ memscope: PROTOCOL, kind: 'sample', threadId, sample: sample() });
  const timer = setInterval(() => { post({ memscope: PROTOCOL, kind: 'sample', threadId, sample: sample() }); }, intervalMs);
  timer.unref();
  const bye = (): void => {
    clearInterval(timer);
    const verdict = profiler.getLeakVerdict();
    post({
      memscope: PROTOCOL,
      kind: 'bye',
      threadId,
      sample: sample(),
      phases: profiler.getPhaseStats(),
      ...(verdict === undefined ? {} : { leak: { status: verdict.status, summary: verdict.summary } }),
    });
    channel.close();
  };
  process.once('exit', bye);
  return () => {
    process.off('exit', bye);
    clearInterval(timer);
    channel.close();
  };
}

interface ThreadState {
  threadId: number;
  startedAt: number;
  endedAt: number;
  ended: boolean;
  timeline: MemoryTimeline;
  latest: MemorySample;
  peakHeapUsed: number;
  phases: PhaseStats[];
  leak?: ThreadVerdict;
}

/** A thread silent this long (it reports every second) is gone: terminated, or its process is ending. */
const STALE_MS = 5000;

/** Threads kept; past it the oldest ended thread makes room (a pool that churns threads must not grow this). */
const MAX_THREADS = 64;

/**
 * In the main thread: the worker threads' reports, as a timeline per thread (bounded: 1 point a second, folded when
 * old) and as the `memscope_thread_heap_*` series labelled `thread_id` while each thread runs.
 */
export class ThreadCollector {
  private readonly threads = new Map<number, ThreadState>();
  private channel: BroadcastChannel | undefined;
  private untracked = 0;

  constructor(meter: Meter | undefined) {
    if (meter === undefined) return;
    const used = meter.createObservableGauge(METRIC_THREAD_HEAP_USED, { description: 'V8 heap in use by a worker thread (its own isolate).', unit: 'By' });
    const total = meter.createObservableGauge(METRIC_THREAD_HEAP_TOTAL, { description: 'V8 heap committed by a worker thread (its own isolate).', unit: 'By' });
    used.addCallback((result: ObservableResult) => { this.observe(result, 'heapUsed'); });
    total.addCallback((result: ObservableResult) => { this.observe(result, 'heapTotal'); });
  }

  start(): this {
    if (this.channel !== undefined) return this;
    const channel = new BroadcastChannel(CHANNEL);
    channel.unref();
    channel.onmessage = (event: unknown) => {
      this.receive((event as { data?: unknown }).data);
    };
    this.channel = channel;
    return this;
  }

  stop(): void {
    this.channel?.close();
    this.channel = undefined;
  }

  /** Threads that were not tracked because MAX_THREADS were running at once. */
  get untrackedThreads(): number {
    return this.untracked;
  }

  reports(): RunThreadReport[] {
    return [...this.threads.values()].map((t) => ({
      threadId: t.threadId,
      label: `thread ${t.threadId}`,
      startedAt: t.startedAt,
      endedAt: t.endedAt,
      ended: t.ended,
      peakHeapUsedBytes: t.peakHeapUsed,
      timeline: t.timeline.toArray(),
      phases: t.phases,
      ...(t.leak === undefined ? {} : { leak: t.leak }),
    }));
  }

  /** Applies one message; anything that is not a message of this protocol is ignored. */
  receive(data: unknown): void {
    const m = data as Partial<ThreadMessage> | null;
    if (typeof m !== 'object' || m === null || m.memscope !== PROTOCOL || typeof m.threadId !== 'number' || !isSample(m.sample)) return;
    const state = this.state(m.threadId, m.sample);
    if (state === undefined) return;
    state.timeline.push(m.sample);
    state.latest = m.sample;
    state.endedAt = m.sample.time;
    state.peakHeapUsed = Math.max(state.peakHeapUsed, m.sample.heapUsed);
    if (m.kind === 'bye') {
      state.ended = true;
      state.phases = Array.isArray(m.phases) ? m.phases : [];
      if (m.leak !== undefined) state.leak = m.leak;
    }
  }

  private state(id: number, first: MemorySample): ThreadState | undefined {
    const known = this.threads.get(id);
    if (known !== undefined) return known;
    if (this.threads.size >= MAX_THREADS) {
      const oldestEnded = [...this.threads.values()].find((t) => t.ended);
      if (oldestEnded === undefined) {
        this.untracked++;
        return undefined;
      }
      this.threads.delete(oldestEnded.threadId);
    }
    const state: ThreadState = {
      threadId: id,
      startedAt: first.time,
      endedAt: first.time,
      ended: false,
      // One point a second: two minutes at full resolution, the rest folded into at most 240 buckets (~45 kB).
      timeline: new MemoryTimeline({ recentCapacity: 120, foldedCapacity: 240 }),
      latest: first,
      peakHeapUsed: first.heapUsed,
      phases: [],
    };
    this.threads.set(id, state);
    return state;
  }

  private observe(result: ObservableResult, field: 'heapUsed' | 'heapTotal'): void {
    for (const t of this.threads.values()) {
      // A thread stopped with terminate() never says goodbye: its series ends when its reports stop.
      if (!t.ended && Date.now() - t.endedAt <= STALE_MS) result.observe(t.latest[field], { [ATTR_THREAD_ID]: t.threadId });
    }
  }
}

function isSample(value: unknown): value is MemorySample {
  const s = value as Partial<MemorySample> | null;
  return typeof s === 'object' && s !== null && typeof s.time === 'number' && typeof s.heapUsed === 'number' && typeof s.heapTotal === 'number' && typeof s.rss === 'number';
}
