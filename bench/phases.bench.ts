// The cost of phases: a start+end pair with and without boundary snapshots, phase(fn) in each context mode, where the
// phase series go (memscope's producer, a user's Meter, nowhere), and what using phase() does to every other `await`
// in the process (AsyncLocalStorage), each measured in a fresh child process.
import { execFileSync } from 'node:child_process';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { MemoryProfiler, PhaseMetricProducer, PrometheusReader } from '../dist/index.js';
import { formatNs, measure, measureAsync } from './lib/measure.js';
import { ratio, saveResult, table } from './lib/results.js';

const withSnapshots = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000 }).start();
const withoutSnapshots = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000, phaseSnapshots: false }).start();
const alwaysFresh = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000, boundaryRssMaxAgeMs: 0 }).start();
const syncContext = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000, phaseSnapshots: false, phaseContext: 'sync' }).start();
// Where the series go: memscope's producer (what startMemscope does), or a Meter the user hands in.
const producer = new PhaseMetricProducer();
const producerProvider = new MeterProvider({ readers: [new PrometheusReader({ metricProducers: [producer] })] });
const onProducer = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000, phaseSnapshots: false, meter: producerProvider.getMeter('memscope'), phaseMetrics: producer }).start();
const meterProvider = new MeterProvider({ readers: [new PrometheusReader()] });
const onMeter = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000, phaseSnapshots: false, meter: meterProvider.getMeter('memscope') }).start();

const pairs = [
  measure('markPhaseStart + markPhaseEnd, boundary snapshots on (default)', () => {
    withSnapshots.markPhaseStart('parse');
    withSnapshots.markPhaseEnd('parse');
  }),
  measure('markPhaseStart + markPhaseEnd, snapshots on, RSS re-read at every boundary (boundaryRssMaxAgeMs: 0)', () => {
    alwaysFresh.markPhaseStart('parse');
    alwaysFresh.markPhaseEnd('parse');
  }),
  measure('markPhaseStart + markPhaseEnd, snapshots off', () => {
    withoutSnapshots.markPhaseStart('parse');
    withoutSnapshots.markPhaseEnd('parse');
  }),
  measure('phase(name, syncFn), snapshots on', () => withSnapshots.phase('parse', () => 1)),
  measure('phase(name, syncFn), snapshots off', () => withoutSnapshots.phase('parse', () => 1)),
  measure("phase(name, syncFn), snapshots off, phaseContext: 'sync'", () => syncContext.phase('parse', () => 1)),
  measure('phase(name, syncFn), snapshots off, series to a PhaseMetricProducer (startMemscope)', () => onProducer.phase('parse', () => 1)),
  measure("phase(name, syncFn), snapshots off, series on a user's Meter (one histogram record)", () => onMeter.phase('parse', () => 1)),
  measure('markPhaseStart + markPhaseEnd, snapshots off, series on a PhaseMetricProducer', () => {
    onProducer.markPhaseStart('parse');
    onProducer.markPhaseEnd('parse');
  }),
  measure("markPhaseStart + markPhaseEnd, snapshots off, series on a user's Meter", () => {
    onMeter.markPhaseStart('parse');
    onMeter.markPhaseEnd('parse');
  }),
];
const asyncPairs = [
  await measureAsync('await phase(name, promiseFn), snapshots off (AsyncLocalStorage)', () => withoutSnapshots.phase('parse', () => Promise.resolve(1))),
  await measureAsync("await phase(name, promiseFn), snapshots off, phaseContext: 'sync'", () => syncContext.phase('parse', () => Promise.resolve(1))),
  await measureAsync('await promiseFn() alone (no phase)', () => Promise.resolve(1)),
];
syncContext.stop();
onProducer.stop();
onMeter.stop();
await producerProvider.shutdown();
await meterProvider.shutdown();
withSnapshots.stop();
withoutSnapshots.stop();
alwaysFresh.stop();

const child = new URL('./lib/await-cost.ts', import.meta.url).pathname;
const awaitCost = (mode: string): number => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, mode], { encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').at(-1)!) as { nsPerAwait: number }).nsPerAwait;
};
// Interleave the modes and take medians: child processes land on different cores and timers.
const modes = ['baseline', 'loaded', 'phases-used', 'sync-context', 'async-resource'] as const;
const runs: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m, []]));
for (let i = 0; i < 5; i++) for (const mode of modes) runs[mode]!.push(awaitCost(mode));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [base, loaded, used, syncUsed, resource] = modes.map((m) => median(runs[m]!)) as [number, number, number, number, number];

saveResult({
  suite: 'phases',
  title: 'Phases',
  sections: [
    table(['Subject', 'Time per call'], [...pairs, ...asyncPairs].map((r) => [r.name, formatNs(r.ns)])),
    "Targets (snapshots off): a mark pair and `phase(name, syncFn)` at most 300 ns each. `phaseContext: 'sync'` keeps " +
      'no async context (phases started after an `await` inside fn are not nested under it); the default ' +
      '`async-local-storage` nests across `await`. With `startMemscope()` the phase series are read from memscope\'s ' +
      'table at collection time (no OpenTelemetry call per phase); on a Meter you hand in, each phase records one ' +
      'histogram measurement with a cached attribute set and the rest is observed at collection.',
    'With snapshots on (the default), heap figures are read fresh at every boundary; RSS and the kernel high-water ' +
      'mark at most once per millisecond (`boundaryRssMaxAgeMs`), so a tight loop of tiny phases pays the first row ' +
      'and a phase longer than 1 ms pays the second.',
    table(
      ['Process state', 'Time per `await`', 'vs baseline'],
      [
        ['memscope not loaded', formatNs(base), '1.00×'],
        ['memscope loaded, profiler running, marks used, phase() never called', formatNs(loaded), ratio(loaded, base)],
        ['phase() used once (AsyncLocalStorage exists)', formatNs(used), ratio(used, base)],
        ["phase() used, `phaseContext: 'sync'` (no async context)", formatNs(syncUsed), ratio(syncUsed, base)],
        ['an AsyncResource created (the alternative: async hooks enabled)', formatNs(resource), ratio(resource, base)],
      ],
    ),
    `Loading memscope and using marks costs every \`await\` ${ratio(loaded, base)} of baseline; once \`phase()\` has ` +
      `been used, ${ratio(used, base)} (${formatNs(used - base)} more per await, medians of 5 fresh processes each).`,
  ],
  figures: {
    ...Object.fromEntries(pairs.map((r) => [r.name, r.ns])),
    awaitBaselineNs: base,
    awaitLoadedNs: loaded,
    awaitPhasesUsedNs: used,
    awaitSyncContextNs: syncUsed,
    awaitAsyncResourceNs: resource,
    ...Object.fromEntries(asyncPairs.map((r) => [r.name, r.ns])),
  },
});
