import { describe, expect, it } from 'vitest';
import { hasMemscopeSeries, parseExposition, readMemory } from '../../../src/stress/runner/metrics-scrape.js';

// The series as the example service exposes them (memscope serve), one leak suspected in the heap.
const EXPOSITION = `# HELP process_memory_usage_bytes The amount of physical memory in use.
# TYPE process_memory_usage_bytes gauge
process_memory_usage_bytes 85581824
v8js_memory_heap_used_bytes{v8js_heap_space_name="new_space"} 3426512
v8js_memory_heap_used_bytes{v8js_heap_space_name="old_space"} 16791544
v8js_memory_heap_space_size_bytes{v8js_heap_space_name="new_space"} 33554432
v8js_memory_heap_space_size_bytes{v8js_heap_space_name="old_space"} 17530880
memscope_v8js_memory_heap_limit_bytes 4345298944
memscope_memory_external_bytes 2858662
memscope_memory_array_buffers_bytes 513219
memscope_leak_slope_bytes_per_second{memscope_memory_type="heap"} 2097152
memscope_leak_slope_bytes_per_second{memscope_memory_type="external"} -12
memscope_leak_suspected{memscope_memory_type="heap"} 1
memscope_leak_suspected{memscope_memory_type="external"} 0
memscope_leak_confidence_ratio 0.93
memscope_leak_verdict{memscope_leak_status="suspected"} 1
memscope_leak_verdict{memscope_leak_status="no_leak"} 0
memscope_leak_verdict{memscope_leak_status="inconclusive"} 0
`;

describe('readMemory', () => {
  it("reads memscope's memory series: RSS, heap used and committed over all spaces, the limits", () => {
    const m = readMemory(EXPOSITION, 1000);
    expect(m).toMatchObject({ time: 1000, rss: 85581824, heapUsed: 3426512 + 16791544, heapTotal: 33554432 + 17530880, heapLimit: 4345298944, external: 2858662, arrayBuffers: 513219, containerLimit: null });
    expect(hasMemscopeSeries(m)).toBe(true);
  });

  it("reads the service's own leak verdict with each judged kind's slope", () => {
    expect(readMemory(EXPOSITION, 0).verdict).toEqual({
      status: 'suspected',
      kinds: { heap: { slopeBytesPerSec: 2097152, suspected: true }, external: { slopeBytesPerSec: -12, suspected: false } },
      confidence: 0.93,
    });
  });

  it('reads an inconclusive verdict with no kind judged yet', () => {
    const text = 'memscope_leak_verdict{memscope_leak_status="suspected"} 0\nmemscope_leak_verdict{memscope_leak_status="inconclusive"} 1\n';
    expect(readMemory(text, 0).verdict).toEqual({ status: 'inconclusive', kinds: {}, confidence: 0 });
  });

  it('says a service without memscope has no memscope series', () => {
    const m = readMemory('# TYPE up gauge\nup 1\nhttp_requests_total{code="200"} 12\n', 0);
    expect(hasMemscopeSeries(m)).toBe(false);
    expect(m.verdict).toBeNull();
  });

  it('skips lines it cannot read instead of failing the scrape', () => {
    const series = parseExposition('garbage line\nok_metric{a="x\\"y"} 3\nnan_metric NaN\n');
    expect(series.get('ok_metric')).toEqual([{ labels: { a: 'x\\"y' }, value: 3 }]);
    expect(series.has('nan_metric')).toBe(false);
  });
});
