import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import * as S from '../../sdk/semconv.js';
import type { AutoHeapSnapshots } from './auto-heap-snapshots.js';
import { REFUSAL_REASONS, type CaptureReason } from './capture-options.js';

const REASONS: readonly CaptureReason[] = ['leak_verdict', 'forecast', 'heap_share', 'signal', 'manual'];

/**
 * The heap snapshots as series, read at collection time from the capture's counts (nothing is recorded on the hot
 * path: snapshots are rare). Every reason and refusal is exported from the start at 0, so `increase()` sees the first.
 * The info series carries the newest pair's paths and top growing constructor: one series at a time, never more.
 */
export class SnapshotInstruments {
  private readonly batch: BatchObservableCallback;
  private readonly observed: Observable[];
  private readonly taken = new Map<CaptureReason, number>(REASONS.map((r) => [r, 0]));

  constructor(
    private readonly meter: Meter,
    snapshots: AutoHeapSnapshots,
  ) {
    const count = meter.createObservableCounter(S.METRIC_HEAP_SNAPSHOTS, { description: 'Heap snapshots written, by what asked for them.', unit: '{snapshot}' });
    const refusals = meter.createObservableCounter(S.METRIC_HEAP_SNAPSHOT_REFUSALS, {
      description: 'Heap snapshots refused, by reason (memory too close to a limit, rate limit, disk budget, ...).',
      unit: '{snapshot}',
    });
    const pause = meter.createObservableCounter(S.METRIC_HEAP_SNAPSHOT_PAUSE, { description: 'Time the process was paused writing heap snapshots.', unit: 's' });
    const maxPause = meter.createObservableGauge(S.METRIC_HEAP_SNAPSHOT_MAX_PAUSE, { description: 'Longest pause of the process writing one heap snapshot.', unit: 's' });
    const info = meter.createObservableGauge(S.METRIC_HEAP_SNAPSHOT_INFO, {
      description: 'The newest heap snapshot pair (paths, why it was taken, the constructor that grew most between them); always 1.',
    });
    this.batch = (result) => {
      const stats = snapshots.stats();
      for (const [reason, n] of this.taken) result.observe(count, n, { [S.ATTR_SNAPSHOT_REASON]: reason });
      for (const reason of REFUSAL_REASONS) result.observe(refusals, stats.refusals[reason], { [S.ATTR_SNAPSHOT_REFUSAL]: reason });
      result.observe(pause, stats.totalPauseMs / 1000);
      result.observe(maxPause, stats.maxPauseMs / 1000);
      const pair = snapshots.latestPair();
      if (pair !== null) {
        result.observe(info, 1, {
          [S.ATTR_SNAPSHOT_BEFORE]: pair.before,
          [S.ATTR_SNAPSHOT_AFTER]: pair.after,
          [S.ATTR_SNAPSHOT_REASON]: pair.reason,
          [S.ATTR_SNAPSHOT_TOP_CONSTRUCTOR]: pair.topConstructor ?? '',
        });
      }
    };
    this.observed = [count, refusals, pause, maxPause, info];
    meter.addBatchObservableCallback(this.batch, this.observed);
  }

  /** Counts a snapshot written for `reason` (from the capture's events). */
  countSnapshot(reason: CaptureReason): void {
    this.taken.set(reason, (this.taken.get(reason) ?? 0) + 1);
  }

  unregister(): void {
    this.meter.removeBatchObservableCallback(this.batch, this.observed);
  }
}
