import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMemscope, type Memscope } from '../../src/exporter/start-memscope.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';

// memscope writes its own exposition (docs/benchmarks.md says why), so Prometheus' own parser must accept it: a real
// Prometheus scrapes it, and the scrape must be healthy with every family ingested.
let memscope: Memscope | undefined;
let prometheus: RunningPrometheus | undefined;

beforeAll(async () => {
  const m = await startMemscope({ serviceName: 'scrape-test', server: { port: 0 }, shutdownSignals: [], bearerToken: 'tok' });
  memscope = m;
  await m.profiler.phase('classify "quoted" \\ name', async () => new Promise((r) => setTimeout(r, 5)));
  m.profiler.forceGc();
  const target = new URL(m.server!.url).host;
  prometheus = await startPrometheus({
    config: [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: memscope',
      '    authorization: { credentials: tok }',
      `    static_configs: [{ targets: ['${target}'] }]`,
    ].join('\n'),
  });
});

afterAll(async () => {
  await prometheus?.stop();
  await memscope?.shutdown();
});

describe('a real Prometheus scraping memscope', () => {
  it('scrapes successfully and ingests every family', async () => {
    const up = await prometheus!.waitFor('up{job="memscope"}', (r) => r.length === 1 && r[0]!.value[1] === '1');
    expect(up).toHaveLength(1);
    const samples = await prometheus!.query('scrape_samples_scraped{job="memscope"}');
    const scraped = Number(samples[0]!.value[1]);
    const exposed = (await memscope!.reader.render()).split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    expect(scraped).toBeGreaterThan(100);
    expect(Math.abs(scraped - exposed)).toBeLessThan(10); // event-loop series come and go between renders
    const names = await prometheus!.api<string[]>('/api/v1/label/__name__/values');
    for (const name of ['process_memory_usage_bytes', 'v8js_memory_heap_used_bytes', 'v8js_gc_duration_seconds_bucket', 'memscope_phase_duration_seconds_count', 'memscope_leak_verdict', 'target_info']) {
      expect(names).toContain(name);
    }
  });

  it('keeps escaped label values intact', async () => {
    const result = await prometheus!.waitFor('memscope_phase_duration_seconds_count', (r) => r.length > 0);
    expect(result[0]!.metric.memscope_phase_name).toBe('classify "quoted" \\ name');
  });

  it('returns the histogram in a form histogram_quantile understands', async () => {
    const q = await prometheus!.waitFor('histogram_quantile(0.5, sum by (le) (v8js_gc_duration_seconds_bucket))', (r) => r.length === 1 && r[0]!.value[1] !== 'NaN');
    expect(Number(q[0]!.value[1])).toBeGreaterThan(0);
  });
});
