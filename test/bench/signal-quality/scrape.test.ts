import { describe, expect, it } from 'vitest';
import { flaggedKinds, fromTable, isFlagged, parseExposition, toRow, toTable } from '../../../bench/signal-quality/lib/scrape.js';

const EXPOSITION = `# HELP memscope_leak_suspected 1 when the leak detector suspects this kind of memory leaks, else 0.
# TYPE memscope_leak_suspected gauge
memscope_leak_suspected{memscope_memory_type="heap"} 1
memscope_leak_suspected{memscope_memory_type="external"} 0
memscope_leak_slope_bytes_per_second{memscope_memory_type="heap"} 262144.5
memscope_leak_confidence_ratio 0.93
memscope_memory_post_gc_bytes{memscope_memory_type="heap"} 31457280
v8js_gc_duration_seconds_count{v8js_gc_type="major"} 12
v8js_gc_duration_seconds_count{v8js_gc_type="minor"} 80
v8js_gc_duration_seconds_bucket{v8js_gc_type="major",le="+Inf"} 12
v8js_memory_heap_used_bytes{v8js_heap_space_name="old_space"} 30000000
v8js_memory_heap_used_bytes{v8js_heap_space_name="new_space"} 1000000
process_memory_usage_bytes 104857600 1796307813644
memscope_container_memory_limit_bytes 536870912
target_info{service_name="a \\"quoted\\" name, with comma",host_name="h"} 1
nodejs_eventloop_delay_max_seconds NaN
`;

describe('parseExposition', () => {
  it('reads names, labels (escaped quotes and commas inside values), values and skips comments and timestamps', () => {
    const samples = parseExposition(EXPOSITION);
    expect(samples).toHaveLength(14);
    expect(samples[0]).toEqual({ name: 'memscope_leak_suspected', labels: { memscope_memory_type: 'heap' }, value: 1 });
    expect(samples.find((s) => s.name === 'target_info')?.labels.service_name).toBe('a "quoted" name, with comma');
    expect(samples.find((s) => s.name === 'process_memory_usage_bytes')?.value).toBe(104857600);
    expect(samples.find((s) => s.name === 'v8js_gc_duration_seconds_bucket')?.labels.le).toBe('+Inf');
    expect(Number.isNaN(samples.at(-1)!.value)).toBe(true);
  });

  it('skips lines that do not parse instead of failing the scrape', () => {
    expect(parseExposition('broken{label="x 1\nok 2\n{nope} 3\nvalue_missing\n')).toEqual([{ name: 'ok', labels: {}, value: 2 }]);
  });
});

describe('toRow', () => {
  it('keeps the leak series, post-GC baselines, GC counts, container limit; sums heap used; names RSS', () => {
    const row = toRow(parseExposition(EXPOSITION));
    expect(row).toEqual({
      'memscope_leak_suspected{memscope_memory_type="heap"}': 1,
      'memscope_leak_suspected{memscope_memory_type="external"}': 0,
      'memscope_leak_slope_bytes_per_second{memscope_memory_type="heap"}': 262144.5,
      memscope_leak_confidence_ratio: 0.93,
      'memscope_memory_post_gc_bytes{memscope_memory_type="heap"}': 31457280,
      'v8js_gc_duration_seconds_count{v8js_gc_type="major"}': 12,
      'v8js_gc_duration_seconds_count{v8js_gc_type="minor"}': 80,
      heap_used_bytes: 31000000,
      rss_bytes: 104857600,
      memscope_container_memory_limit_bytes: 536870912,
    });
  });
});

describe('flaggedKinds', () => {
  it('lists every kind whose memscope_leak_suspected is 1', () => {
    const row = toRow(parseExposition(EXPOSITION));
    expect(flaggedKinds(row)).toEqual(['heap']);
    expect(isFlagged(row)).toBe(true);
    expect(isFlagged({ 'memscope_leak_suspected{memscope_memory_type="heap"}': 0 })).toBe(false);
  });

  it('understands a memscope_leak_verdict series with a suspected status', () => {
    const row = toRow(
      parseExposition(
        'memscope_leak_verdict{memscope_leak_status="suspected",memscope_memory_type="external"} 1\n' +
          'memscope_leak_verdict{memscope_leak_status="no-growth",memscope_memory_type="heap"} 1\n' +
          'memscope_leak_verdict{memscope_leak_status="suspected"} 1\n',
      ),
    );
    expect(flaggedKinds(row)).toEqual(['external', 'any']);
  });
});

describe('toTable / fromTable', () => {
  it('stores scrapes columnar with null for a series a scrape lacked, and reads them back', () => {
    const scrapes: Array<{ t: number; up: boolean; row: Record<string, number> }> = [
      { t: 5, up: true, row: { a: 1, b: 2.123456789 } },
      { t: 10, up: false, row: {} },
      { t: 15, up: true, row: { b: 123456.7, c: 0 } },
    ];
    const table = toTable(scrapes);
    expect(table.columns).toEqual(['t', 'up', 'a', 'b', 'c']);
    expect(table.rows).toEqual([
      [5, 1, 1, 2.123, null],
      [10, 0, null, null, null],
      [15, 1, null, 123457, 0],
    ]);
    expect(fromTable(table.columns, table.rows)).toEqual([
      { t: 5, up: true, row: { a: 1, b: 2.123 } },
      { t: 10, up: false, row: {} },
      { t: 15, up: true, row: { b: 123457, c: 0 } },
    ]);
  });
});
