import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { PROFILER_OPTION_KEYS } from '../../src/sdk/profiler-options.js';
import { PhaseMetricProducer } from '../../src/sdk/instruments/phase-metric-producer.js';
import { expectContract, intAround, optionsArbitrary, validOptionsArbitrary, type KeySpec } from '../helpers/option-cases.js';
import { testMeterProvider } from '../helpers/metrics.js';

const { provider } = testMeterProvider();
const meter = provider.getMeter('t');

/** Every public option of MemoryProfiler (the internal `sources` and `containerLimit` are left to their own tests). */
const SPEC: Record<string, KeySpec> = {
  sampleIntervalMs: intAround(10, 3_600_000),
  meter: { valid: fc.constant(meter), invalid: fc.constantFrom({}, { createHistogram: 1 }) },
  maxPhaseNames: intAround(1, 10_000),
  maxPhaseNameLength: intAround(1, 4096),
  maxActivePhases: intAround(1, 1_000_000),
  phaseSnapshots: { valid: fc.boolean() },
  phaseContext: { valid: fc.constantFrom('async-local-storage', 'sync'), invalid: fc.constantFrom('als', 'none', 'ASYNC-LOCAL-STORAGE', true) },
  phaseMetrics: { valid: fc.constant(null).map(() => new PhaseMetricProducer()), invalid: fc.constantFrom({}, { collect: () => undefined }, true) },
  boundaryRssMaxAgeMs: { valid: fc.double({ min: 0, max: 60_000, noNaN: true }), invalid: fc.constantFrom(-1, 60_001, Number.NaN) },
  maxPhaseIntervals: intAround(0, 10_000),
  timeline: {
    valid: fc.record({ recentCapacity: fc.integer({ min: 1, max: 5000 }), foldedCapacity: fc.integer({ min: 2, max: 1000 }) }, { requiredKeys: [] }),
    invalid: fc.constantFrom({ recentCapcity: 10 }, { recentCapacity: 0 }, [], null),
  },
  leak: { valid: fc.constantFrom(false, {}, { windowMs: 60_000 }, { slowScales: false, kinds: ['heap'] }), invalid: fc.constantFrom(true, 'off', null, { windowMs: -1 }, { windowSize: 1 }, { kinds: [] }) },
  heapSnapshots: {
    valid: fc.constantFrom({ directory: '/tmp/memscope-options-test', signal: null }, { directory: '/tmp/memscope-options-test', signal: null, analyse: false, forecastHorizonMs: null }),
    invalid: fc.constantFrom({}, { directory: '' }, { directory: '/tmp/x', signal: 'SIGKILL' }, { directory: '/tmp/x', onLeak: true }, { directory: '/tmp/x', forecastHorizonMs: -1 }),
  },
  heapMeasurement: {
    valid: fc.constantFrom(true, false, {}, { minIntervalMs: 5000 }, { budgetBytesPerSec: 1024 * 1024 }),
    invalid: fc.constantFrom('on', null, 1, { minIntervalMs: 10 }, { budget: 1 }),
  },
  runtimeMetrics: { valid: fc.boolean() },
  gc: { valid: fc.boolean() },
  eventLoop: { valid: fc.boolean() },
  eventLoopResolutionMs: intAround(1, 1000),
  arrayBuffersMaxAgeMs: intAround(0, 3_600_000),
  containerLimitRefreshMs: intAround(1000, 86_400_000),
};

const fds = (): number => readdirSync('/proc/self/fd').length;

describe('MemoryProfiler options (property)', () => {
  it('accepts or throws MEMSCOPE_E_INVALID_OPTION, refuses every unknown key, and leaves nothing open', async () => {
    const before = fds();
    await fc.assert(
      fc.asyncProperty(optionsArbitrary(SPEC), async (options) => {
        const profiler = await expectContract(options, PROFILER_OPTION_KEYS, () => new MemoryProfiler(options));
        profiler?.stop();
      }),
      { numRuns: 1500 },
    );
    expect(fds()).toBe(before);
  });

  it('accepts every combination of valid options, and starts and stops with them', () => {
    fc.assert(
      fc.property(validOptionsArbitrary(SPEC), (options) => {
        const profiler = new MemoryProfiler(options).start();
        expect(profiler.phase('x', () => 1)).toBe(1);
        profiler.stop();
      }),
      { numRuns: 300 },
    );
  });

  it('lists exactly the keys of the options interface', () => {
    expect([...PROFILER_OPTION_KEYS].sort()).toEqual([...Object.keys(SPEC), 'sources', 'containerLimit', 'tracerProvider'].sort());
  });

  it('rejects options that are not an object', () => {
    for (const bad of [null, 1, 'x', [], true]) expect(() => new MemoryProfiler(bad as never)).toThrow(/^options must be an object/);
  });
});
