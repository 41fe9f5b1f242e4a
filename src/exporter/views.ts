import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import { intOption, objectOption, rejectUnknownKeys } from '../internal/validate.js';

/**
 * Views that set OpenTelemetry's per-metric cardinality limit deliberately for memscope's instruments. The SDK's
 * default silently folds everything past 2,000 attribute sets into `otel.metric.overflow`; memscope bounds its own
 * labels (phase names are capped at maxPhaseNames, then `other`), so its limits are exact: a phase metric has at most
 * (maxPhaseNames + 1) phase labels x 2 memory types, and nothing else of memscope has more than 64 attribute sets.
 *
 * Services with their own MeterProvider add these to its `views` (see docs/guides/existing-otel-sdk.md).
 */
export function memscopeViews(options: { maxPhaseNames?: number } = {}): ViewOptions[] {
  const o = objectOption('options', options);
  rejectUnknownKeys(o, ['maxPhaseNames']);
  const maxPhaseNames = intOption('maxPhaseNames', o.maxPhaseNames, 100, 1, 10_000);
  return [
    { instrumentName: 'memscope.phase.*', aggregationCardinalityLimit: (maxPhaseNames + 1) * 2 + 1 },
  ];
}
