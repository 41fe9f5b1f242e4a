import type { CaptureEvent } from '../heap/capture/capture-options.js';
import type { RunHeapSnapshots } from '../report/report-model.js';

/** Snapshot files of one process remembered for its report: enough for the newest pair, bounded. */
const KEEP = 4;

/**
 * What a process under `memscope/register` captured (MEMSCOPE_HEAP_SNAPSHOTS), for its report: the newest pair —
 * the newest complete automatic pair (leak verdict, forecast, heap share), or else the two newest snapshots taken on
 * demand (SIGUSR2 twice) — with the counts of snapshots and refusals. `memscope run` diffs that pair at the end.
 */
export class SnapshotLog {
  private first: string | undefined;
  private pair: { before: string; after: string; reason: string } | null = null;
  private singles: string[] = [];
  private snapshots = 0;
  private readonly refusals: Record<string, number> = {};

  constructor(readonly directory: string) {}

  readonly onEvent = (event: CaptureEvent): void => {
    if (event.type === 'refused') {
      this.refusals[event.refused] = (this.refusals[event.refused] ?? 0) + 1;
      return;
    }
    this.snapshots++;
    if (event.pair === 'first') this.first = event.path;
    else if (event.pair === 'second' && this.first !== undefined) {
      this.pair = { before: this.first, after: event.path, reason: event.reason };
      this.first = undefined;
    } else if (event.pair === 'single') this.singles = [...this.singles, event.path].slice(-KEEP);
  };

  report(): RunHeapSnapshots {
    const [before, after] = this.singles.slice(-2);
    const onDemand = before !== undefined && after !== undefined ? { before, after, reason: 'on demand (two snapshots)' } : null;
    return { directory: this.directory, snapshots: this.snapshots, refusals: { ...this.refusals }, pair: this.pair ?? onDemand };
  }
}
