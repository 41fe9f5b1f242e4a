import { context, trace, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_PHASE_NAME } from '../semconv.js';
import { inspect } from 'node:util';
import type { PhaseMemory } from './phase-stats.js';

/**
 * Phases as OpenTelemetry spans. Uses whatever tracer provider is registered (or the one given); with none, the
 * API's no-op tracer returns non-recording spans and memscope skips every attribute it would have computed.
 */
export class PhaseSpans {
  constructor(private readonly tracer: Tracer) {}

  start(label: string, parentSpan: Span | undefined): Span | undefined {
    const parent: Context = parentSpan === undefined ? context.active() : trace.setSpan(context.active(), parentSpan);
    const span = this.tracer.startSpan(`phase ${label}`, { attributes: { [ATTR_PHASE_NAME]: label } }, parent);
    if (!span.isRecording()) {
      span.end();
      return undefined;
    }
    return span;
  }

  end(span: Span, start: PhaseMemory, end: PhaseMemory, peak: PhaseMemory, error?: unknown): void {
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
    if (error !== undefined) {
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
  return typeof value === 'string' ? value : inspect(value, { depth: 2, breakLength: Infinity });
}
