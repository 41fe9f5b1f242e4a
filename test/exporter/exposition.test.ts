import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { startMemscope, type Memscope } from '../../src/exporter/start-memscope.js';
import { defaultMemorySources } from '../../src/sdk/probes/memory-probes.js';
import { checkMetrics } from '../helpers/promtool.js';

const GOLDEN = new URL('../golden/exposition.txt', import.meta.url);
const METRICS_DOC = new URL('../../docs/metrics.md', import.meta.url);

/** Families of an exposition: name -> { type, label names of its samples (le excluded) }. */
function families(text: string): Map<string, { type: string; labels: Set<string> }> {
  const out = new Map<string, { type: string; labels: Set<string> }>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1]!, { type: m[2]!, labels: new Set() });
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (m === null) throw new Error(`unparseable sample line: ${line}`);
    const name = m[1]!;
    const family = out.get(name) ?? out.get(name.replace(/_(bucket|sum|count)$/, ''));
    if (family === undefined) throw new Error(`sample without a TYPE: ${line}`);
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) if (l[1] !== 'le') family.labels.add(l[1]!);
  }
  return out;
}

/**
 * The series names docs/metrics.md lists, with their types: the main table, or with `snapshots` the table of the
 * series a profiler with heap snapshots adds.
 */
function documented(snapshots = false): Map<string, string> {
  const doc = readFileSync(METRICS_DOC, 'utf8');
  const split = doc.indexOf('### With heap snapshots');
  const part = snapshots ? doc.slice(split) : doc.slice(0, split);
  return new Map([...part.matchAll(/^\| `([a-z0-9_:]+)` \| [^|]+ \| (\w+) \|/gm)].map((m) => [m[1]!, m[2]!]));
}

let memscope: Memscope | undefined;
const kept: number[][] = [];
let exposition: string;

beforeAll(async () => {
  // A probe that fails once (counted, skipped) and then recovers, so its series is back in the scrape.
  const sources = defaultMemorySources();
  let failures = 1;
  const resourceUsage = sources.resourceUsage.bind(sources);
  sources.resourceUsage = () => {
    if (failures-- > 0) throw new Error('getrusage failed');
    return resourceUsage();
  };
  memscope = await startMemscope({
    serviceName: 'exposition-test',
    shutdownSignals: [],
    maxPhaseNames: 3,
    sources,
    containerLimit: () => ({ limitBytes: 512 * 2 ** 20, cgroupVersion: 2, source: 'cgroup', file: '/sys/fs/cgroup/memory.max' }),
    // A detector that speaks at once on exact points, so the verdict's series and both forecasts are in the scrape.
    leak: { ignoreFirstMs: 0, warmUpMs: 0, minSpanMs: 0, minPoints: 3, bucketMs: 1, minSlopeBytesPerSec: 0, minGrowthBytes: 0, minGrowthNoiseRatio: 0 },
  });
  const p = memscope.profiler;
  for (let i = 0; i < 10; i++) await p.phase(`phase_${i}`, async () => new Promise((r) => setTimeout(r, 1)));
  p.markPhaseStart('running');
  p.markPhaseEnd('never_started');
  // A heap that grows from one full GC to the next: a trend, hence a forecast.
  for (let i = 0; i < 10; i++) {
    kept.push(new Array<number>(500_000).fill(i));
    p.forceGc();
    await new Promise((r) => setTimeout(r, 20));
  }
  p.getLeakVerdict();
  await new Promise((r) => setTimeout(r, 100)); // GC entries and an event-loop histogram tick
  exposition = await memscope.reader.render();
});

afterAll(async () => {
  await memscope?.shutdown();
});

describe('exposition', () => {
  it('holds exactly the series docs/metrics.md lists, with the documented types', () => {
    const scraped = families(exposition);
    const docs = documented();
    expect([...scraped.keys()].sort()).toEqual([...docs.keys()].sort());
    for (const [name, type] of docs) expect(scraped.get(name)?.type, name).toBe(type);
  });

  it('passes promtool check metrics with zero findings', () => {
    const { findings, exitCode } = checkMetrics(exposition);
    expect(findings).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('matches the golden exposition (names, types, label names)', () => {
    const shape = [...families(exposition)]
      .map(([name, f]) => `${name} ${f.type} {${[...f.labels].sort().join(',')}}`)
      .sort()
      .join('\n')
      .concat('\n');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, shape);
    expect(shape).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('folds phases past the cap into "other" and counts the misuse', () => {
    const phases = [...exposition.matchAll(/^memscope_phase_duration_seconds_count\{memscope_phase_name="([^"]+)"\}/gm)].map((m) => m[1]);
    expect(phases.sort()).toEqual(['other', 'phase_0', 'phase_1', 'phase_2']);
    expect(exposition).toMatch(/^memscope_phase_duration_seconds_count\{memscope_phase_name="other"\} 7$/m);
    expect(exposition).toMatch(/^memscope_phase_misuse_total\{memscope_phase_misuse="name_overflow"\} 8$/m);
    expect(exposition).not.toMatch(/otel_metric_overflow/);
  });

  it('counts the failed probe and still exports its series once it recovers', () => {
    expect(exposition).toMatch(/^memscope_probe_errors_total\{memscope_probe_name="max_rss"\} 1$/m);
    expect(exposition).toMatch(/^memscope_process_memory_max_rss_bytes \d+$/m);
  });

  it('exports the leak verdict per kind of memory it can judge, as a state set, and both forecasts', () => {
    expect(exposition).toMatch(/^memscope_leak_suspected\{memscope_memory_type="heap"\} 1$/m);
    expect(exposition).toMatch(/^memscope_leak_verdict\{memscope_leak_status="suspected"\} 1$/m);
    expect(exposition).toMatch(/^memscope_leak_verdict\{memscope_leak_status="no_leak"\} 0$/m);
    expect(exposition).toMatch(/^memscope_leak_verdict\{memscope_leak_status="inconclusive"\} 0$/m);
    expect(exposition).toMatch(/^memscope_memory_exhaustion_forecast_seconds\{memscope_memory_limit="heap"\} \d/m);
    expect(exposition).toMatch(/^memscope_memory_exhaustion_forecast_seconds\{memscope_memory_limit="container"\} \d/m);
    expect(exposition).toMatch(/^memscope_heap_measurements_total \d+$/m);
  });
});
