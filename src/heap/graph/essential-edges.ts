import type { HeapSnapshot } from '../reader/heap-snapshot.js';

/**
 * Whether an edge holds its target alive for dominators, retained sizes and retainer paths. Weak edges do not (the
 * object can be collected through them); shortcut edges are V8's duplicates of real paths, meaningful only from the
 * synthetic root where they mark the global objects — the rule Chrome DevTools applies.
 */
export function essentialEdgeFilter(s: HeapSnapshot): (from: number, edge: number) => boolean {
  const weak = s.edge.weak;
  const shortcut = s.edge.shortcut;
  return (from, edge) => {
    const type = s.edgeType[edge];
    return type !== weak && (type !== shortcut || from === 0);
  };
}

/** The same as a per-edge mask, so hot loops test one byte instead of calling a function. */
export function essentialEdgeMask(s: HeapSnapshot): Uint8Array {
  const mask = new Uint8Array(s.edgeCount);
  const essential = essentialEdgeFilter(s);
  for (let node = 0; node < s.nodeCount; node++) {
    const end = s.firstEdge[node + 1] ?? 0;
    for (let e = s.firstEdge[node] ?? 0; e < end; e++) mask[e] = essential(node, e) ? 1 : 0;
  }
  return mask;
}
