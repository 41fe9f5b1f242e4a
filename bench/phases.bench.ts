// The cost of phases: a start+end pair with and without boundary snapshots, phase(fn), and what using phase() does to
// every other `await` in the process (AsyncLocalStorage), each measured in a fresh child process.
import { execFileSync } from 'node:child_process';
import { MemoryProfiler } from '../dist/index.js';
import { formatNs, measure } from './lib/measure.js';
import { ratio, saveResult, table } from './lib/results.js';

const withSnapshots = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000 }).start();
const withoutSnapshots = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000, phaseSnapshots: false }).start();
const alwaysFresh = new MemoryProfiler({ eventLoop: false, gc: false, sampleIntervalMs: 3_600_000, boundaryRssMaxAgeMs: 0 }).start();

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
];
withSnapshots.stop();
withoutSnapshots.stop();
alwaysFresh.stop();

const child = new URL('./lib/await-cost.ts', import.meta.url).pathname;
const awaitCost = (mode: string): number => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, mode], { encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').at(-1)!) as { nsPerAwait: number }).nsPerAwait;
};
// Interleave the modes and take medians: child processes land on different cores and timers.
const modes = ['baseline', 'loaded', 'phases-used'] as const;
const runs: Record<string, number[]> = { baseline: [], loaded: [], 'phases-used': [] };
for (let i = 0; i < 5; i++) for (const mode of modes) runs[mode]!.push(awaitCost(mode));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [base, loaded, used] = modes.map((m) => median(runs[m]!)) as [number, number, number];

saveResult({
  suite: 'phases',
  title: 'Phases',
  sections: [
    table(['Subject', 'Time per call'], pairs.map((r) => [r.name, formatNs(r.ns)])),
    'With snapshots on (the default), heap figures are read fresh at every boundary; RSS and the kernel high-water ' +
      'mark at most once per millisecond (`boundaryRssMaxAgeMs`), so a tight loop of tiny phases pays the first row ' +
      'and a phase longer than 1 ms pays the second.',
    table(
      ['Process state', 'Time per `await`', 'vs baseline'],
      [
        ['memscope not loaded', formatNs(base), '1.00×'],
        ['memscope loaded, profiler running, marks used, phase() never called', formatNs(loaded), ratio(loaded, base)],
        ['phase() used once (AsyncLocalStorage exists)', formatNs(used), ratio(used, base)],
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
  },
});
