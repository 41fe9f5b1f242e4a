// memscope's own memory: heap used after 1,000,000 samples and 1,000,000 phase marks with distinct names (far past
// the name cap) against after 1,000 of each. Target: within 1 MiB — nothing grows without bound.
// Run with --expose-gc (npm run bench:memory does).
import { MemoryProfiler } from '../dist/index.js';
import { saveResult, table } from './lib/results.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

function exercise(profiler: MemoryProfiler, n: number, from: number): void {
  for (let i = from; i < from + n; i++) {
    profiler.checkMemory({ forceSample: true });
    profiler.markPhaseStart(`point_${i}`);
    profiler.markPhaseEnd(`point_${i}`);
  }
}

process.on('warning', () => undefined); // the name-cap warning is expected, once
const profiler = new MemoryProfiler({ sampleIntervalMs: 3_600_000 }).start();
exercise(profiler, 1000, 0);
const after1k = heapAfterGc();
const t0 = performance.now();
exercise(profiler, 999_000, 1000);
const seconds = (performance.now() - t0) / 1000;
const after1m = heapAfterGc();
const timeline = profiler.getMemoryTimeline().length;
const phases = profiler.getPhaseStats().length;
profiler.stop();

const growth = after1m - after1k;
const MiB = 2 ** 20;
saveResult({
  suite: 'memory',
  title: "memscope's own memory",
  sections: [
    table(
      ['After', 'Heap used (after full GC)', 'Timeline points kept', 'Phase names kept'],
      [
        ['1,000 samples + 1,000 phase marks', `${(after1k / MiB).toFixed(2)} MiB`, '—', '—'],
        ['1,000,000 samples + 1,000,000 phase marks (distinct names)', `${(after1m / MiB).toFixed(2)} MiB`, timeline, phases],
      ],
    ),
    `Growth from 1,000 to 1,000,000: **${(growth / 1024).toFixed(0)} KiB** (target: within 1 MiB). The timeline keeps at most ` +
      'recentCapacity + foldedCapacity points (older samples folded into min/max/last buckets); phase names past ' +
      `maxPhaseNames (100) are recorded as "other". The million iterations took ${seconds.toFixed(1)} s.`,
  ],
  figures: { after1k, after1m, growth, timeline, phases, seconds },
});
