import type { Meter } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it, vi } from 'vitest';
import {
  PROMETHEUS_CONTENT_TYPE,
  PrometheusSerializer,
  formatPrometheusBound,
  formatPrometheusNumber,
  type PrometheusDropReason,
  type PrometheusSerializerOptions,
} from '../../src/exporter/prometheus-serializer.js';
import { MemscopeError } from '../../src/internal/errors.js';
import { GC_DURATION_BUCKETS } from '../../src/sdk/semconv.js';
import { checkMetrics } from '../helpers/promtool.js';

/** A pull reader that only collects: the in-memory end of a real MeterProvider. */
class CollectingReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }

  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

interface Fixture {
  provider: MeterProvider;
  meter: (name?: string, version?: string) => Meter;
  collect: () => Promise<ResourceMetrics>;
}

function fixture(
  resource: Record<string, string> = { 'service.name': 'bms', 'service.instance.id': 'bms-1' },
  views: ConstructorParameters<typeof MeterProvider>[0] = {},
): Fixture {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ ...views, readers: [reader], resource: resourceFromAttributes(resource) });
  return {
    provider,
    meter: (name = 'memscope', version = '0.1.0') => provider.getMeter(name, version),
    collect: async () => {
      const { resourceMetrics, errors } = await reader.collect();
      expect(errors).toEqual([]);
      return resourceMetrics;
    },
  };
}

/** Serializes and asserts that real promtool (Prometheus' text parser and linter) has nothing to say. */
function serializeClean(resourceMetrics: ResourceMetrics, options?: PrometheusSerializerOptions): string {
  const text = new PrometheusSerializer(options).serialize(resourceMetrics);
  expect(checkMetrics(text)).toEqual({ findings: [], exitCode: 0 });
  return text;
}

function conflictRecorder(): { options: PrometheusSerializerOptions; reports: [string, PrometheusDropReason][] } {
  const reports: [string, PrometheusDropReason][] = [];
  return { options: { onConflict: (name, reason) => reports.push([name, reason]) }, reports };
}

describe('PrometheusSerializer', () => {
  it('writes gauges, up-down counters, counters and histograms as Prometheus text 0.0.4', async () => {
    const { meter, collect } = fixture();
    const m = meter();
    m.createGauge('process.memory.usage', { unit: 'By', description: 'Memory in use.' })
      .record(52428800, { 'memscope.memory.type': 'rss' });
    m.createObservableGauge('nodejs.eventloop.utilization', { unit: '1', description: 'Event loop utilization.' })
      .addCallback((result) => {
        result.observe(0.25);
      });
    m.createUpDownCounter('memscope.phase.active', { description: 'Phases running.' })
      .add(2, { 'memscope.phase.name': 'say "hi" \\ to\nall' });
    m.createCounter('memscope.probe.errors', { unit: '{error}', description: 'Probe failures.' })
      .add(3, { 'memscope.probe.name': 'heap', attempt: 1, retried: true, tags: ['a', 'b'] });
    m.createCounter('memscope.sampler.time', { unit: 's', description: 'Time spent sampling.' }).add(0.125);
    const gc = m.createHistogram('v8js.gc.duration', {
      unit: 's',
      description: 'GC pauses.',
      advice: { explicitBucketBoundaries: [...GC_DURATION_BUCKETS] },
    });
    for (const seconds of [0.00005, 0.0002, 0.0002, 0.003, 3]) gc.record(seconds, { 'v8js.gc.type': 'minor' });

    const text = serializeClean(await collect());

    expect(text).toBe(
      [
        '# HELP target_info Target metadata',
        '# TYPE target_info gauge',
        'target_info{service_name="bms",service_instance_id="bms-1"} 1',
        '# HELP process_memory_usage_bytes Memory in use.',
        '# TYPE process_memory_usage_bytes gauge',
        'process_memory_usage_bytes{memscope_memory_type="rss"} 52428800',
        '# HELP nodejs_eventloop_utilization_ratio Event loop utilization.',
        '# TYPE nodejs_eventloop_utilization_ratio gauge',
        'nodejs_eventloop_utilization_ratio 0.25',
        '# HELP memscope_phase_active Phases running.',
        '# TYPE memscope_phase_active gauge',
        'memscope_phase_active{memscope_phase_name="say \\"hi\\" \\\\ to\\nall"} 2',
        '# HELP memscope_probe_errors_total Probe failures.',
        '# TYPE memscope_probe_errors_total counter',
        'memscope_probe_errors_total{memscope_probe_name="heap",attempt="1",retried="true",tags="[\\"a\\",\\"b\\"]"} 3',
        '# HELP memscope_sampler_time_seconds_total Time spent sampling.',
        '# TYPE memscope_sampler_time_seconds_total counter',
        'memscope_sampler_time_seconds_total 0.125',
        '# HELP v8js_gc_duration_seconds GC pauses.',
        '# TYPE v8js_gc_duration_seconds histogram',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.0001"} 1',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.00025"} 3',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.0005"} 3',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.001"} 3',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.0025"} 3',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.005"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.01"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.025"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.05"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.1"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.25"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="0.5"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="1"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="2.5"} 4',
        'v8js_gc_duration_seconds_bucket{v8js_gc_type="minor",le="+Inf"} 5',
        'v8js_gc_duration_seconds_sum{v8js_gc_type="minor"} 3.00345',
        'v8js_gc_duration_seconds_count{v8js_gc_type="minor"} 5',
        '',
      ].join('\n'),
    );
    expect(text).not.toMatch(/^# UNIT/m);
    expect(text).not.toMatch(/otel_scope_/);
  });

  it('writes new values on every scrape from its cached headers', async () => {
    const { meter, collect } = fixture();
    const serializer = new PrometheusSerializer({ targetInfo: false });
    const errors = meter().createCounter('memscope.probe.errors', { unit: '{error}' });
    const gc = meter().createHistogram('v8js.gc.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.001, 0.01] } });
    errors.add(1);
    gc.record(0.005);
    const first = serializer.serialize(await collect());
    errors.add(2);
    gc.record(0.0001);

    const second = serializer.serialize(await collect());

    expect(first).toContain('memscope_probe_errors_total 1\n');
    expect(second).toContain('memscope_probe_errors_total 3\n');
    expect(second).toContain('v8js_gc_duration_seconds_bucket{le="0.001"} 1\nv8js_gc_duration_seconds_bucket{le="0.01"} 2\n');
    expect(second).toContain('v8js_gc_duration_seconds_bucket{le="+Inf"} 2\nv8js_gc_duration_seconds_sum 0.0051\n');
    expect(second.match(/^# HELP/gm)).toHaveLength(2);
  });

  it('falls back to a generic HELP and escapes backslashes and newlines in it', async () => {
    const { meter, collect } = fixture();
    meter().createGauge('memscope.build.info').record(1, { 'memscope.version': '0.1.0' });
    meter().createGauge('memscope.odd', { description: 'two\nlines \\ here' }).record(1);

    const text = serializeClean(await collect(), { targetInfo: false });

    expect(text).toContain('# HELP memscope_build_info OpenTelemetry metric memscope.build.info\n');
    expect(text).toContain('memscope_build_info{memscope_version="0.1.0"} 1\n');
    expect(text).toContain('# HELP memscope_odd two\\nlines \\\\ here\n');
  });

  describe('target_info', () => {
    it('carries the resource attributes under translated keys', async () => {
      const { collect } = fixture({ 'service.name': 'bms', 'deployment.environment.name': 'ci', '1st.key': 'x' });

      const text = serializeClean(await collect());

      expect(text).toBe(
        '# HELP target_info Target metadata\n# TYPE target_info gauge\n' +
          'target_info{service_name="bms",deployment_environment_name="ci",key_1st_key="x"} 1\n',
      );
    });

    it('is left out with targetInfo: false and when the resource has no attributes', async () => {
      const withResource = fixture();
      withResource.meter().createGauge('g').record(1);
      const empty = fixture({});
      empty.meter().createGauge('g').record(1);

      expect(serializeClean(await withResource.collect(), { targetInfo: false })).toBe('# HELP g OpenTelemetry metric g\n# TYPE g gauge\ng 1\n');
      expect(serializeClean(await empty.collect())).toBe('# HELP g OpenTelemetry metric g\n# TYPE g gauge\ng 1\n');
    });

    it('keeps its name when a metric translates to target_info', async () => {
      const { meter, collect } = fixture();
      const { options, reports } = conflictRecorder();
      meter().createGauge('target.info').record(7);

      const text = serializeClean(await collect(), options);

      expect(text).not.toContain('target_info 7');
      expect(reports).toEqual([['target_info', 'name-collision']]);
    });
  });

  describe('name conflicts', () => {
    it('merges metrics of one type from two scopes under one HELP/TYPE and drops repeated series', async () => {
      const { meter, collect } = fixture();
      const { options, reports } = conflictRecorder();
      meter('first').createGauge('shared.depth', { description: 'From the first scope.' }).record(1, { queue: 'a', shard: '1' });
      const second = meter('second').createGauge('shared.depth', { description: 'From the second scope.' });
      second.record(2, { queue: 'b' });
      second.record(3, { shard: '1', queue: 'a' });

      const text = serializeClean(await collect(), { ...options, targetInfo: false });

      expect(text).toBe(
        '# HELP shared_depth From the first scope.\n# TYPE shared_depth gauge\n' +
          'shared_depth{queue="a",shard="1"} 1\nshared_depth{queue="b"} 2\n',
      );
      expect(reports).toEqual([['shared_depth', 'duplicate-series']]);
    });

    it('keeps the first metric when a later one has another type, and reports it once', async () => {
      const { meter, collect } = fixture();
      const { options, reports } = conflictRecorder();
      const serializer = new PrometheusSerializer({ ...options, targetInfo: false });
      meter('first').createGauge('request.size', { unit: 'By' }).record(10);
      meter('second').createHistogram('request.size', { unit: 'By', advice: { explicitBucketBoundaries: [100] } }).record(20);

      const text = serializer.serialize(await collect());
      serializer.serialize(await collect());

      expect(checkMetrics(text).findings).toEqual([]);
      expect(text).toBe('# HELP request_size_bytes OpenTelemetry metric request.size\n# TYPE request_size_bytes gauge\nrequest_size_bytes 10\n');
      expect(reports).toEqual([['request_size_bytes', 'type-mismatch']]);
    });

    it('keeps a histogram’s _count, _sum and _bucket series its own', async () => {
      const { meter, collect } = fixture();
      const { options, reports } = conflictRecorder();
      meter().createHistogram('lat', { advice: { explicitBucketBoundaries: [1] } }).record(0.5);
      meter().createGauge('lat.count').record(99);
      meter().createGauge('lat_sum').record(98);

      const text = serializeClean(await collect(), { ...options, targetInfo: false });

      expect(text).not.toMatch(/ 9[89]\n/);
      expect(reports).toEqual([['lat_count', 'name-collision'], ['lat_sum', 'name-collision']]);
    });

    it('reports metrics whose name translates to nothing', async () => {
      const { meter, collect } = fixture();
      const { options, reports } = conflictRecorder();
      meter().createGauge('g').record(1);
      const collected = await collect();
      // The API refuses such names, so a producer that bypasses it is simulated by editing the collected data.
      const gauge = collected.scopeMetrics[0]!.metrics[0]!;
      collected.scopeMetrics[0]!.metrics.push({ ...gauge, descriptor: { ...gauge.descriptor, name: '...' } });

      const text = serializeClean(collected, { ...options, targetInfo: false });

      expect(text).toBe('# HELP g OpenTelemetry metric g\n# TYPE g gauge\ng 1\n');
      expect(reports).toEqual([['...', 'invalid-name']]);
    });
  });

  describe('labels', () => {
    it('joins the values of keys that translate to one label name, as Prometheus does', async () => {
      const { meter, collect } = fixture();
      meter().createGauge('g').record(1, { 'a_b': 'second', 'a.b': 'first', c: 'x' });
      meter().createGauge('same').record(1, { 'a-b': 'v', 'a.b': 'v' });

      const text = serializeClean(await collect(), { targetInfo: false });

      expect(text).toContain('g{a_b="first;second",c="x"} 1\n');
      expect(text).toContain('same{a_b="v"} 1\n');
    });

    it('leaves out reserved and untranslatable keys, and le on histograms', async () => {
      const { meter, collect } = fixture();
      meter().createGauge('g').record(1, { __name__: 'evil', '..': 'gone', le: 'kept on gauges', ok: 'yes' });
      meter().createHistogram('h', { advice: { explicitBucketBoundaries: [1] } }).record(2, { le: 'dropped', ok: 'yes' });

      const text = new PrometheusSerializer({ targetInfo: false }).serialize(await collect());

      // Valid, and what Prometheus' OTLP ingestion stores; only promtool's linter frowns at `le` off histograms.
      expect(checkMetrics(text).findings).toEqual(['g non-histogram metrics should not have "le" label']);
      expect(text).toContain('g{le="kept on gauges",ok="yes"} 1\n');
      expect(text).toContain('h_bucket{ok="yes",le="1"} 0\nh_bucket{ok="yes",le="+Inf"} 1\nh_sum{ok="yes"} 2\nh_count{ok="yes"} 1\n');
    });
  });

  describe('histograms', () => {
    it('writes no _sum when the SDK has none (instruments that may record negative values)', async () => {
      const views = {
        views: [{ instrumentName: 'balance', aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [0, 10] } } }],
      } satisfies ConstructorParameters<typeof MeterProvider>[0];
      const { meter, collect } = fixture({}, views);
      meter().createUpDownCounter('balance').add(5);

      const text = serializeClean(await collect());

      expect(text).toBe(
        '# HELP balance OpenTelemetry metric balance\n# TYPE balance histogram\n' +
          'balance_bucket{le="0"} 0\nbalance_bucket{le="10"} 1\nbalance_bucket{le="+Inf"} 1\nbalance_count 1\n',
      );
    });

    it('leaves out exponential histograms, which text 0.0.4 cannot carry, and reports them', async () => {
      const views = {
        views: [{ instrumentName: 'expo', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
      } satisfies ConstructorParameters<typeof MeterProvider>[0];
      const { meter, collect } = fixture({}, views);
      const { options, reports } = conflictRecorder();
      meter().createHistogram('expo').record(1);
      meter().createGauge('g').record(1);

      const text = serializeClean(await collect(), options);

      expect(text).toBe('# HELP g OpenTelemetry metric g\n# TYPE g gauge\ng 1\n');
      expect(reports).toEqual([['expo', 'unsupported-type']]);
    });
  });

  describe('at run time', () => {
    it('survives an onConflict callback that throws', async () => {
      const { meter, collect } = fixture();
      meter('a').createGauge('x').record(1);
      meter('b').createCounter('x').add(1);
      meter('c').createHistogram('x', { advice: { explicitBucketBoundaries: [1] } }).record(1);
      const serializer = new PrometheusSerializer({
        onConflict: () => {
          throw new Error('host bug');
        },
      });

      const resourceMetrics = await collect();

      let text = '';
      expect(() => (text = serializer.serialize(resourceMetrics))).not.toThrow();
      expect(text).toContain('# TYPE x gauge\nx 1\n');
      expect(checkMetrics(text).findings).toEqual([]);
    });

    it('skips a family it cannot read instead of throwing', async () => {
      const { meter, collect } = fixture();
      const { options, reports } = conflictRecorder();
      meter().createGauge('g').record(1);
      meter().createGauge('broken').record(1);
      const collected = await collect();
      const broken = collected.scopeMetrics[0]!.metrics[1]!;
      Object.defineProperty(broken, 'dataPoints', { get: () => { throw new Error('producer bug'); } });

      const text = serializeClean(collected, { ...options, targetInfo: false });

      expect(text).toBe('# HELP g OpenTelemetry metric g\n# TYPE g gauge\ng 1\n');
      expect(reports).toEqual([['broken', 'internal-error']]);
    });
  });

  it('rejects bad options at construction, naming the field', () => {
    expect(() => new PrometheusSerializer({ targetInfo: 'yes' as unknown as boolean })).toThrow(MemscopeError);
    expect(() => new PrometheusSerializer({ targetInfo: 'yes' as unknown as boolean })).toThrow(/targetInfo must be true or false/);
    expect(() => new PrometheusSerializer({ onConflict: 1 as unknown as () => void })).toThrow(/onConflict must be a function/);
  });

  it('exports the 0.0.4 content type', () => {
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});

describe('promtool helper', () => {
  it('reports findings for an exposition Prometheus would flag', () => {
    const result = checkMetrics('# TYPE requests_total gauge\nrequests_total 1\n');

    expect(result.exitCode).not.toBe(0);
    expect(result.findings).toContain('requests_total no help text');
  });

  it('reports parse errors', () => {
    expect(checkMetrics('# HELP a x\n# TYPE a gauge\na{b="1",b="2"} 1\n').findings.join('\n')).toMatch(/duplicate label names/);
  });

  it('throws, never skips, when promtool is missing, and says so louder on CI', () => {
    vi.stubEnv('CI', undefined);
    expect(() => checkMetrics('', '/nonexistent/promtool')).toThrow(/apt-get install -y --no-install-recommends prometheus/);
    vi.stubEnv('CI', 'true');
    expect(() => checkMetrics('', '/nonexistent/promtool')).toThrow(/on CI, where it is required/);
    vi.unstubAllEnvs();
  });
});

describe('formatPrometheusBound', () => {
  it.each([
    [0.0001, '0.0001'],
    [0.00025, '0.00025'],
    [2.5, '2.5'],
    [600, '600'],
    [0.00001, '0.00001'],
    [-1.5e-7, '-0.00000015'],
    [1234567.5, '1234567.5'],
    [2 ** 60, '1152921504606847000'],
    [1e21, '1000000000000000000000'],
    [1.25e22, '12500000000000000000000'],
  ])('writes le bound %d as %s', (value, expected) => {
    expect(formatPrometheusBound(value)).toBe(expected);
  });

  it('puts tiny bounds in fixed notation on the bucket lines', async () => {
    const { meter, collect } = fixture({});
    meter().createHistogram('tiny', { advice: { explicitBucketBoundaries: [1e-7, 0.00001] } }).record(1e-6);

    const text = serializeClean(await collect());

    expect(text).toContain('tiny_bucket{le="0.0000001"} 0\ntiny_bucket{le="0.00001"} 1\n');
  });
});

describe('formatPrometheusNumber', () => {
  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [0, '0'],
    [-3, '-3'],
    [52428800, '52428800'],
    [2 ** 53, '9007199254740992'],
    [2 ** 60, '1.152921504606847e+18'],
    [1e21, '1e+21'],
    [0.0001, '0.0001'],
    [0.00025, '0.00025'],
    [2.5, '2.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [0.00001, '1e-05'],
    [-1.5e-7, '-1.5e-07'],
    [1234567.5, '1.2345675e+06'],
    [999999.5, '999999.5'],
    [1.5e-300, '1.5e-300'],
  ])('writes %d as %s', (value, expected) => {
    expect(formatPrometheusNumber(value)).toBe(expected);
  });
});
