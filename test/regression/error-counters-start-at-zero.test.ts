import { describe, expect, it } from 'vitest';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { PHASE_MISUSE_KINDS } from '../../src/sdk/phases/phase-tracker.js';
import { testMeterProvider } from '../helpers/metrics.js';

// Issue [6/11] item 12: the error counters whose label values are known were born at their first error. A healthy
// service showed "No data" on the dashboards' error panels, and increase() missed the first error (a series that
// starts at 1 has no earlier point to rise from). Every known label value now starts at 0.

const PROBES = ['rss', 'heap', 'heap_spaces', 'array_buffers', 'max_rss', 'container_limit', 'event_loop', 'gc'];

describe('error counters of a healthy service', () => {
  it('expose 0 for every probe and every kind of misuse before anything went wrong', async () => {
    const { provider, reader } = testMeterProvider();
    const profiler = new MemoryProfiler({ meter: provider.getMeter('t'), sampleIntervalMs: 3_600_000, eventLoop: false, gc: false }).start();
    const text = await reader.render();
    for (const probe of PROBES) expect(text).toContain(`memscope_probe_errors_total{memscope_probe_name="${probe}"} 0\n`);
    for (const kind of PHASE_MISUSE_KINDS) expect(text).toContain(`memscope_phase_misuse_total{memscope_phase_misuse="${kind}"} 0\n`);
    profiler.stop();
    await provider.shutdown();
  });

  it('count up from 0 on the first error, so increase() sees it', async () => {
    const { provider, reader } = testMeterProvider();
    const profiler = new MemoryProfiler({ meter: provider.getMeter('t'), sampleIntervalMs: 3_600_000, eventLoop: false, gc: false }).start();
    expect(await reader.render()).toContain('memscope_phase_misuse_total{memscope_phase_misuse="not_started"} 0\n');
    profiler.markPhaseEnd('never_started');
    expect(await reader.render()).toContain('memscope_phase_misuse_total{memscope_phase_misuse="not_started"} 1\n');
    profiler.stop();
    await provider.shutdown();
  });
});
