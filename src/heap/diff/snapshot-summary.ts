import type { HeapSnapshot } from '../reader/heap-snapshot.js';
import { ClassTable, NO_CLASS } from './node-classes.js';
import { sortedIds } from './new-objects.js';

/**
 * What a diff needs of the first snapshot: its object ids and its count and size per class. A few bytes per node,
 * so the CLI can drop the first snapshot before reading the second and hold only one at a time.
 */
export interface SnapshotSummary {
  label: string;
  nodes: number;
  bytes: number;
  ids: Uint32Array;
  classes: Map<string, { count: number; bytes: number }>;
}

export function summarizeSnapshot(s: HeapSnapshot, label: string): SnapshotSummary {
  const table = new ClassTable();
  const { classOf } = table.classify(s);
  const count = new Float64Array(table.names.length);
  const bytes = new Float64Array(table.names.length);
  let total = 0;
  for (let node = 0; node < s.nodeCount; node++) {
    const self = s.selfSize[node] ?? 0;
    total += self;
    const c = classOf[node] ?? NO_CLASS;
    if (c === NO_CLASS) continue;
    count[c] = (count[c] ?? 0) + 1;
    bytes[c] = (bytes[c] ?? 0) + self;
  }
  const classes = new Map<string, { count: number; bytes: number }>();
  table.names.forEach((name, c) => classes.set(name, { count: count[c] ?? 0, bytes: bytes[c] ?? 0 }));
  return { label, nodes: s.nodeCount, bytes: total, ids: sortedIds(s), classes };
}
