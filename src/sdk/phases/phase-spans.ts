import { context, trace, ProxyTracerProvider, SpanStatusCode, type Context, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { errorMessage } from '../../internal/errors.js';
import { ATTR_PHASE_NAME } from '../semconv.js';
import { inspect } from 'node:util';
import type { PhaseMemory } from './phase-stats.js';

/**
 * Phases as OpenTelemetry spans. Uses whatever tracer provider is registered (or the one given); with none, the
 * API's no-op tracer returns non-recording spans and memscope skips every attribute it would have computed.
 */
/** The API's no-op provider, the delegate of the global proxy until an SDK registers one. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();

export class PhaseSpans {
  private readonly tracer: Tracer;

  constructor(private readonly provider: TracerProvider, version: string) {
    this.tracer = provider.getTracer('memscope', version);
  }

  /**
   * Whether spans can be recorded at all: not while the global proxy still delegates to the no-op provider (checked
   * per phase, since an SDK may register later). Saves creating and ending a non-recording span for every phase.
   */
  private get enabled(): boolean {
    return !(this.provider instanceof ProxyTracerProvider) || this.provider.getDelegate() !== NOOP_PROVIDER;
  }

  start(label: string, parentSpan: Span | undefined): Span | undefined {
    if (!this.enabled) return undefined;
    const parent: Context = parentSpan === undefined ? context.active() : trace.setSpan(context.active(), parentSpan);
    const span = this.tracer.startSpan(`phase ${label}`, { attributes: { [ATTR_PHASE_NAME]: label } }, parent);
    if (!span.isRecording()) {
      span.end();
      return undefined;
    }
    return span;
  }

  end(span: Span, start: PhaseMemory, end: PhaseMemory, peak: PhaseMemory, failure?: { error: unknown }): void {
    span.setAttributes({
      'memscope.phase.memory.start.heap_used': start.heapUsed,
      'memscope.phase.memory.start.rss': start.rss,
      'memscope.phase.memory.end.heap_used': end.heapUsed,
      'memscope.phase.memory.end.rss': end.rss,
      'memscope.phase.memory.delta.heap_used': end.heapUsed - start.heapUsed,
      'memscope.phase.memory.delta.rss': end.rss - start.rss,
      'memscope.phase.memory.peak.heap_used': peak.heapUsed,
      'memscope.phase.memory.peak.rss': peak.rss,
    });
    if (failure !== undefined) {
      const { error } = failure;
      span.recordException(error instanceof Error ? error : { message: describeThrown(error) });
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }

  /** Runs `fn` with `span` as the active span, so spans the caller creates inside become its children. */
  static runWith<T>(span: Span, fn: () => T): T {
    return context.with(trace.setSpan(context.active(), span), fn);
  }
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return inspect(value, { depth: 2, breakLength: Infinity });
  } catch {
    return errorMessage(value);
  }
}
