import type { HeapSnapshot } from '../reader/heap-snapshot.js';

/** The ids of a snapshot's objects, sorted: 4 bytes per node where a Set would take ~40. */
export function sortedIds(s: HeapSnapshot): Uint32Array {
  return s.nodeId.slice().sort();
}

/**
 * Marks the nodes of `after` whose V8 object id is not among `beforeIds` (sorted). Within one process V8 gives an
 * object the same id in every snapshot (the heap profiler's object id map) and never reuses one, so these are the
 * objects allocated between the two snapshots that are still there.
 */
export function isNewIn(beforeIds: Uint32Array, after: HeapSnapshot): Uint8Array {
  const last = beforeIds.length - 1;
  const flags = new Uint8Array(after.nodeCount);
  for (let node = 0; node < after.nodeCount; node++) {
    const id = after.nodeId[node] ?? 0;
    let lo = 0;
    let hi = last;
    let found = false;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = beforeIds[mid] ?? 0;
      if (v === id) {
        found = true;
        break;
      }
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    if (!found) flags[node] = 1;
  }
  return flags;
}
