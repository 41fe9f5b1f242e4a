import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { OTEL_EXPORTER_DASHBOARDS, renderDashboard } from '../../src/dashboards/index.js';
import { otelExporterRuleFiles } from '../../src/monitoring/render-rules.js';
import { memscopeMetricShapes, renameSeries, seriesRenames, toOtelExporterMetricName } from '../../src/exporter/metric-naming.js';
import { ROOT } from '../helpers/child.js';

const renames = seriesRenames('otel-prometheus-exporter');

describe('toOtelExporterMetricName', () => {
  it('writes names as @opentelemetry/exporter-prometheus does: no unit, _total on monotonic sums only', () => {
    expect(toOtelExporterMetricName('process.memory.usage', DataPointType.SUM, false)).toBe('process_memory_usage');
    expect(toOtelExporterMetricName('memscope.sampler.time', DataPointType.SUM, true)).toBe('memscope_sampler_time_total');
    expect(toOtelExporterMetricName('a.total', DataPointType.SUM, true)).toBe('a_total');
    expect(toOtelExporterMetricName('v8js.gc.duration', DataPointType.HISTOGRAM, false)).toBe('v8js_gc_duration');
    expect(toOtelExporterMetricName('9lives..x-y', DataPointType.GAUGE, false)).toBe('_9lives_x_y');
  });
});

describe('seriesRenames', () => {
  it('maps every memscope instrument whose two names differ, histograms with their three sample names', () => {
    expect(memscopeMetricShapes().length).toBeGreaterThan(30);
    expect(renames.get('process_memory_usage_bytes')).toBe('process_memory_usage');
    expect(renames.get('v8js_gc_duration_seconds_bucket')).toBe('v8js_gc_duration_bucket');
    expect(renames.get('nodejs_eventloop_utilization_ratio')).toBe('nodejs_eventloop_utilization');
    expect(renames.has('memscope_build_info')).toBe(false);
    expect(seriesRenames('otlp').size).toBe(0);
  });
});

describe('renameSeries', () => {
  it('renames whole series names only, never recording rules, labels or longer names', () => {
    const expr = 'sum by (job) (process_memory_usage_bytes{a="process_memory_usage_bytes"}) / instance:memscope_heap_used_ratio:limit + process_memory_usage_bytes_other';
    expect(renameSeries(expr, renames)).toBe(
      'sum by (job) (process_memory_usage{a="process_memory_usage"}) / instance:memscope_heap_used_ratio:limit + process_memory_usage_bytes_other',
    );
  });
});

describe('the shipped otel-prometheus-exporter dashboards and rules', () => {
  it('are what the generators write today (npx tsx scripts/generate-dashboards.ts, generate-rules.ts)', () => {
    for (const d of OTEL_EXPORTER_DASHBOARDS) expect(readFileSync(join(ROOT, 'dashboards', d.file), 'utf8'), d.file).toBe(renderDashboard(d.build()));
    for (const f of otelExporterRuleFiles()) expect(readFileSync(join(ROOT, f.path), 'utf8'), f.path).toBe(f.text);
  });

  it('name no series the otlp way', () => {
    const texts = [...OTEL_EXPORTER_DASHBOARDS.map((d) => renderDashboard(d.build())), ...otelExporterRuleFiles().map((f) => f.text)];
    for (const text of texts) {
      const tokens = new Set(text.match(/[A-Za-z_:][A-Za-z0-9_:]*/g));
      expect([...renames.keys()].filter((name) => tokens.has(name))).toEqual([]);
    }
  });
});
