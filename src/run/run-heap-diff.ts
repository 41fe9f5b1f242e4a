import { diffForReport, noHeapDiff, type HeapDiffSection } from '../report/heap-diff-section.js';
import type { RunProcessReport } from '../report/report-model.js';

/**
 * The run's heap diff: the newest snapshot pair of the verdict's process, diffed here, after the command ended (the
 * processes never parse a snapshot themselves under `memscope run`); or why there is none.
 */
export async function runHeapDiff(chosen: RunProcessReport | undefined, captureOn: boolean): Promise<HeapDiffSection> {
  if (!captureOn) return noHeapDiff('no heap diff: heap snapshots were off (memscope run --heap-snapshots, or MEMSCOPE_HEAP_SNAPSHOTS, turns them on)');
  if (chosen === undefined) return noHeapDiff('no heap diff: no Node.js process reported');
  const pid = chosen.process.pid;
  const s = chosen.heapSnapshots;
  if (s === undefined) return noHeapDiff(`no heap diff: pid ${pid} took no heap snapshots (capture was off in that process)`);
  if (s.pair === null) {
    const refused = Object.entries(s.refusals).map(([why, n]) => `${n} ${why}`).join(', ');
    return noHeapDiff(
      `no heap diff: pid ${pid} captured no snapshot pair — no anomaly started one (leak verdict, forecast, heap share)` +
        `; ${s.snapshots} snapshot(s) taken${refused === '' ? '' : `, refused: ${refused}`}; SIGUSR2 twice takes a pair on demand`,
    );
  }
  return diffForReport(s.pair.before, s.pair.after, `the newest snapshot pair of pid ${pid} (${s.pair.reason})`);
}
