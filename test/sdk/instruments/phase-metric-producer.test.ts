import { afterEach, describe, expect, it } from 'vitest';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusReader } from '../../../src/exporter/prometheus-reader.js';
import { memscopeViews } from '../../../src/exporter/views.js';
import { MemoryProfiler } from '../../../src/sdk/memory-profiler.js';
import { PhaseMetricProducer } from '../../../src/sdk/instruments/phase-metric-producer.js';
import { bucketIndex } from '../../../src/sdk/phases/phase-stats.js';
import { PHASE_DURATION_BUCKETS } from '../../../src/sdk/semconv.js';

// The producer carries the phase series that a Meter carried before: users must see the same names, types, labels
// and values whichever way they arrive.

const PHASE_FAMILY = /^(memscope_phase_[a-z_]+?)(_bucket|_sum|_count)?(\{[^}]*\})? (\S+)/;

interface Setup {
  profiler: MemoryProfiler;
  reader: PrometheusReader;
  provider: MeterProvider;
}

const running: Setup[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) {
    s.profiler.stop();
    await s.provider.shutdown();
  }
});

function setup(withProducer: boolean): Setup {
  const phaseMetrics = withProducer ? new PhaseMetricProducer() : undefined;
  const reader = new PrometheusReader({ targetInfo: false, ...(phaseMetrics === undefined ? {} : { metricProducers: [phaseMetrics] }) });
  const provider = new MeterProvider({ readers: [reader], views: memscopeViews({ maxPhaseNames: 3 }) });
  const profiler = new MemoryProfiler({
    meter: provider.getMeter('memscope'),
    maxPhaseNames: 3,
    gc: false,
    eventLoop: false,
    phaseSnapshots: false,
    ...(phaseMetrics === undefined ? {} : { phaseMetrics }),
  });
  const s = { profiler, reader, provider };
  running.push(s);
  return s;
}

/** The phase series of an exposition, with sample values except the durations' (wall-clock) sums and buckets. */
function phaseSeries(text: string): { headers: string[]; samples: string[] } {
  const headers = text.split('\n').filter((l) => /^# (HELP|TYPE|UNIT) memscope_phase_/.test(l)).sort();
  const samples: string[] = [];
  for (const line of text.split('\n')) {
    const m = PHASE_FAMILY.exec(line);
    if (m === null) continue;
    const [, name, suffix, labels, value] = m;
    const timed = name === 'memscope_phase_duration_seconds' && suffix !== '_count';
    samples.push(`${name}${suffix ?? ''}${(labels ?? '').replace(/,?le="[^"]*"/, '')} ${timed ? '<timed>' : value}`);
  }
  return { headers, samples: [...new Set(samples)].sort() };
}

function drive(p: MemoryProfiler): void {
  for (let i = 0; i < 5; i++) p.phase(`sync_${i}`, () => i);
  p.phase('sync_0', () => 'again');
  p.markPhaseStart('open');
  p.markPhaseStart('done').end();
  p.markPhaseEnd('never_started');
}

describe('PhaseMetricProducer', () => {
  it('exports the same phase series, labels and values as the Meter did', async () => {
    const onMeter = setup(false);
    const produced = setup(true);
    drive(onMeter.profiler);
    drive(produced.profiler);
    const a = phaseSeries(await onMeter.reader.render());
    const b = phaseSeries(await produced.reader.render());
    expect(a.samples.length).toBeGreaterThan(10);
    expect(b.headers).toEqual(a.headers);
    expect(b.samples).toEqual(a.samples);
  });

  it('puts each duration in the bucket OpenTelemetry puts it in, bounds included', async () => {
    const { provider, reader } = setup(false);
    const histogram = provider.getMeter('t').createHistogram('h', { advice: { explicitBucketBoundaries: [...PHASE_DURATION_BUCKETS] } });
    const values = [0, ...PHASE_DURATION_BUCKETS, ...PHASE_DURATION_BUCKETS.map((b) => b * 1.0001), 1e9];
    const counts = new Array<number>(PHASE_DURATION_BUCKETS.length + 1).fill(0);
    for (const v of values) {
      histogram.record(v);
      counts[bucketIndex(PHASE_DURATION_BUCKETS, v)]! += 1;
    }
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'h');
    const point = metric?.dataPoints[0]?.value as { buckets: { counts: number[] } } | undefined;
    expect(point?.buckets.counts).toEqual(counts);
  });

  it('counts every phase at collection time, without a recording per phase', async () => {
    const produced = setup(true);
    const p = produced.profiler;
    p.phase('hot', () => undefined);
    const before = await produced.reader.render();
    for (let i = 0; i < 1000; i++) p.phase('hot', () => undefined);
    const after = await produced.reader.render();
    expect(before).toMatch(/memscope_phase_duration_seconds_count\{[^}]*memscope_phase_name="hot"[^}]*\} 1\n/);
    expect(after).toMatch(/memscope_phase_duration_seconds_count\{[^}]*memscope_phase_name="hot"[^}]*\} 1001\n/);
  });
});
