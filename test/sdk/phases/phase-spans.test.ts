import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MemoryProfiler } from '../../../src/sdk/memory-profiler.js';
import { fakeMemory, fakeSources } from '../../helpers/fake-sources.js';

const MiB = 2 ** 20;
let profiler: MemoryProfiler | undefined;
afterEach(() => profiler?.stop());

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, provider };
}

describe('phase spans', () => {
  it('records each phase as a span carrying its memory figures', () => {
    const { exporter, provider } = tracing();
    const m = fakeMemory({ heapUsed: 10 * MiB, rss: 100 * MiB });
    profiler = new MemoryProfiler({ tracerProvider: provider, sources: fakeSources(m), eventLoop: false, gc: false }).start();
    profiler.markPhaseStart('normalize');
    m.heapUsed = 40 * MiB;
    profiler.checkMemory({ forceSample: true });
    m.heapUsed = 15 * MiB;
    profiler.markPhaseEnd('normalize');
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('phase normalize');
    expect(span?.attributes).toMatchObject({
      'memscope.phase.name': 'normalize',
      'memscope.phase.memory.start.heap_used': 10 * MiB,
      'memscope.phase.memory.end.heap_used': 15 * MiB,
      'memscope.phase.memory.delta.heap_used': 5 * MiB,
      'memscope.phase.memory.peak.heap_used': 40 * MiB,
    });
  });

  it('parents nested phases across await and marks a failed phase as an error', async () => {
    const { exporter, provider } = tracing();
    profiler = new MemoryProfiler({ tracerProvider: provider, eventLoop: false, gc: false }).start();
    const p = profiler;
    await p.phase('job', async () => {
      await sleep(1);
      await p.phase('parse', async () => sleep(1));
      await expect(p.phase('store', () => Promise.reject(new Error('disk full')))).rejects.toThrow();
    });
    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    const job = byName.get('phase job')!;
    expect(byName.get('phase parse')!.parentSpanContext?.spanId).toBe(job.spanContext().spanId);
    expect(byName.get('phase store')!.parentSpanContext?.spanId).toBe(job.spanContext().spanId);
    expect(byName.get('phase store')!.status.code).toBe(SpanStatusCode.ERROR);
    expect(byName.get('phase store')!.events.some((e) => e.name === 'exception')).toBe(true);
  });

  it('makes the phase span active inside phase() so the caller’s spans become its children', async () => {
    const { exporter, provider } = tracing();
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    try {
      profiler = new MemoryProfiler({ tracerProvider: provider, eventLoop: false, gc: false }).start();
      const tracer = provider.getTracer('app');
      await profiler.phase('validate', async () => {
        await sleep(1);
        tracer.startSpan('app.work').end();
      });
      const spans = exporter.getFinishedSpans();
      const phase = spans.find((s) => s.name === 'phase validate')!;
      const work = spans.find((s) => s.name === 'app.work')!;
      expect(work.parentSpanContext?.spanId).toBe(phase.spanContext().spanId);
    } finally {
      context.disable();
    }
  });

  it('starts recording spans when a global tracer provider is registered after the profiler was created', () => {
    const { exporter, provider } = tracing();
    profiler = new MemoryProfiler({ eventLoop: false, gc: false }).start();
    profiler.phase('before', () => undefined);
    trace.setGlobalTracerProvider(provider);
    try {
      profiler.phase('after', () => undefined);
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['phase after']);
    } finally {
      trace.disable();
    }
  });

  it('creates no spans when no tracer provider is registered', () => {
    expect(trace.getTracerProvider().getTracer('x').startSpan('probe').isRecording()).toBe(false);
    profiler = new MemoryProfiler({ eventLoop: false, gc: false }).start();
    expect(profiler.phase('quiet', () => 1)).toBe(1);
  });

  it('marks a phase that throws undefined or rejects with nothing as an error', async () => {
    const { exporter, provider } = tracing();
    profiler = new MemoryProfiler({ tracerProvider: provider, eventLoop: false, gc: false }).start();
    const p = profiler;
    expect(() => p.phase('sync_undefined', () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw undefined;
    })).toThrow();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    await expect(p.phase('async_empty', () => Promise.reject())).rejects.toBeUndefined();
    const status = new Map(exporter.getFinishedSpans().map((s) => [s.name, s.status.code]));
    expect(status.get('phase sync_undefined')).toBe(SpanStatusCode.ERROR);
    expect(status.get('phase async_empty')).toBe(SpanStatusCode.ERROR);
  });
});
