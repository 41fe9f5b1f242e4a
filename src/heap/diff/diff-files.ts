import { readHeapSnapshot } from '../reader/read-heap-snapshot.js';
import { diffHeapSnapshots, resolveDiffOptions, type HeapDiff, type HeapDiffOptions } from './heap-diff.js';
import { summarizeSnapshot } from './snapshot-summary.js';

/**
 * Diffs two `.heapsnapshot` files holding one in memory at a time: the first is read, reduced to its ids and
 * per-class counts, and dropped before the second is read (a 300 MB heap's snapshot takes ~0.5 GB parsed).
 */
export async function diffHeapSnapshotFiles(beforePath: string, afterPath: string, options: HeapDiffOptions = {}): Promise<HeapDiff> {
  resolveDiffOptions(options);
  const [labelBefore, labelAfter] = options.labels ?? [beforePath, afterPath];
  const before = summarizeSnapshot(await readHeapSnapshot(beforePath), labelBefore);
  const after = await readHeapSnapshot(afterPath);
  return diffHeapSnapshots(before, after, { ...options, labels: [labelBefore, labelAfter] });
}
