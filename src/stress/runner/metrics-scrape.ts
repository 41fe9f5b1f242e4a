import type { MemoryKind } from '../../sdk/types.js';

/** The service's leak verdict as it exports it: memscope_leak_verdict, _slope and _suspected per kind, _confidence. */
export interface ScrapedVerdict {
  status: 'suspected' | 'no-leak' | 'inconclusive';
  /** Per kind the detector has judged (absent while inconclusive): its slope, and whether it is suspected. */
  kinds: Partial<Record<MemoryKind, { slopeBytesPerSec: number; suspected: boolean }>>;
  confidence: number;
}

/** One scrape of the target's memscope series (bytes), or null where the series is absent. */
export interface MemoryReading {
  /** Epoch ms of the scrape. */
  time: number;
  rss: number | null;
  heapUsed: number | null;
  heapTotal: number | null;
  heapLimit: number | null;
  external: number | null;
  arrayBuffers: number | null;
  containerLimit: number | null;
  verdict: ScrapedVerdict | null;
}

interface Sample {
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const KINDS: readonly MemoryKind[] = ['heap', 'external', 'array_buffers', 'rss'];
const STATUSES = { suspected: 'suspected', no_leak: 'no-leak', inconclusive: 'inconclusive' } as const;

/** The Prometheus text exposition as samples per metric name (comments and unparsable lines skipped). */
export function parseExposition(text: string): Map<string, Sample[]> {
  const series = new Map<string, Sample[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (m === null) continue;
    const value = Number(m[3]);
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1] as string] = l[2] as string;
    const list = series.get(m[1] as string) ?? [];
    list.push({ labels, value });
    series.set(m[1] as string, list);
  }
  return series;
}

/** What a scrape says about memory; a target without memscope's series reads as all nulls. */
export function readMemory(text: string, time: number): MemoryReading {
  const series = parseExposition(text);
  const one = (name: string): number | null => series.get(name)?.[0]?.value ?? null;
  const sum = (name: string): number | null => {
    const list = series.get(name);
    return list === undefined ? null : list.reduce((a, s) => a + s.value, 0);
  };
  return {
    time,
    rss: one('process_memory_usage_bytes'),
    heapUsed: sum('v8js_memory_heap_used_bytes'),
    heapTotal: sum('v8js_memory_heap_space_size_bytes'),
    heapLimit: one('memscope_v8js_memory_heap_limit_bytes'),
    external: one('memscope_memory_external_bytes'),
    arrayBuffers: one('memscope_memory_array_buffers_bytes'),
    containerLimit: one('memscope_container_memory_limit_bytes'),
    verdict: readVerdict(series),
  };
}

function readVerdict(series: Map<string, Sample[]>): ScrapedVerdict | null {
  const states = series.get('memscope_leak_verdict');
  const current = states?.find((s) => s.value === 1)?.labels.memscope_leak_status;
  if (current === undefined || !(current in STATUSES)) return null;
  const kinds: ScrapedVerdict['kinds'] = {};
  for (const kind of KINDS) {
    const slope = series.get('memscope_leak_slope_bytes_per_second')?.find((s) => s.labels.memscope_memory_type === kind);
    const suspected = series.get('memscope_leak_suspected')?.find((s) => s.labels.memscope_memory_type === kind);
    if (slope !== undefined || suspected !== undefined) kinds[kind] = { slopeBytesPerSec: slope?.value ?? 0, suspected: suspected?.value === 1 };
  }
  return {
    status: STATUSES[current as keyof typeof STATUSES],
    kinds,
    confidence: series.get('memscope_leak_confidence_ratio')?.[0]?.value ?? 0,
  };
}

/** Whether a reading carries memscope's memory series at all (a plain service's /metrics, or none, does not). */
export function hasMemscopeSeries(reading: MemoryReading): boolean {
  return reading.rss !== null && reading.heapUsed !== null;
}
