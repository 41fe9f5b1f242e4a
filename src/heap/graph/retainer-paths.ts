import type { SourceLocation } from '../diff/closure-locations.js';
import type { HeapSnapshot } from '../reader/heap-snapshot.js';

const UNREACHED = 0xffff_ffff;

/** Breadth-first distances from the root, and for each node the edge that reached it first (a shortest path). */
export interface ShortestPaths {
  distance: Uint32Array;
  /** Edge index + 1 of the edge that first reached each node; 0 for the root and unreached nodes. */
  via: Uint32Array;
}

/**
 * One step of a retainer path: the edge taken (`edge` is how the holder refers to the node: a property or variable
 * name, `[i]` for an element) and the node it leads to.
 */
export interface PathStep {
  edge: string;
  edgeType: string;
  /** `location` is where a closure's function is defined, when V8 recorded it. */
  node: { name: string; type: string; id: number; selfSize: number; location?: SourceLocation };
}

/**
 * Breadth-first search from the synthetic root over the allowed edges (`mask`). Edges into V8's internal
 * bookkeeping are allowed only when there is no other way: `costly` edges are explored a round late (a 0-1 BFS
 * would be exact; one deferred round is enough to prefer a program's own variables and properties over the
 * compilation cache or feedback vectors that also reach an object, and keeps the search linear).
 */
export function shortestPaths(s: HeapSnapshot, mask: Uint8Array, costly?: Uint8Array): ShortestPaths {
  const n = s.nodeCount;
  const distance = new Uint32Array(n).fill(UNREACHED);
  const via = new Uint32Array(n);
  const queue = new Uint32Array(n);
  const deferred: number[] = [];
  let head = 0;
  let tail = 0;
  distance[0] = 0;
  queue[tail++] = 0;
  const visit = (from: number, allowCostly: boolean): void => {
    const d = (distance[from] ?? 0) + 1;
    const end = s.firstEdge[from + 1] ?? 0;
    for (let e = s.firstEdge[from] ?? 0; e < end; e++) {
      if (mask[e] === 0) continue;
      const to = s.edgeTo[e] ?? 0;
      if (distance[to] !== UNREACHED) continue;
      if (!allowCostly && costly !== undefined && costly[e] === 1) {
        deferred.push(e, from);
        continue;
      }
      distance[to] = d;
      via[to] = e + 1;
      queue[tail++] = to;
    }
  };
  while (head < tail || deferred.length > 0) {
    if (head === tail) {
      // Every cheap path is exhausted: take the deferred costly edges, then go on from what they reached.
      const pending = deferred.splice(0);
      for (let i = 0; i < pending.length; i += 2) {
        const e = pending[i] ?? 0;
        const to = s.edgeTo[e] ?? 0;
        if (distance[to] !== UNREACHED) continue;
        distance[to] = (distance[pending[i + 1] ?? 0] ?? 0) + 1;
        via[to] = e + 1;
        queue[tail++] = to;
      }
      continue;
    }
    visit(queue[head++] ?? 0, false);
  }
  return { distance, via };
}

/** The node an edge starts from (edges are stored grouped by their source, so a binary search finds it). */
export function edgeSource(s: HeapSnapshot, edge: number): number {
  let lo = 0;
  let hi = s.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((s.firstEdge[mid] ?? 0) <= edge) lo = mid;
    else hi = mid - 1;
  }
  // The last node starting at or before the edge owns it (nodes without edges share their start with the next).
  return lo;
}

/**
 * The path from the root to `node` (root first, `node` last); empty when the node is not reachable. Paths longer
 * than `maxSteps` keep their last steps (the holder is what matters; the way from the roots to it is context).
 */
export function retainerPath(s: HeapSnapshot, paths: ShortestPaths, node: number, locate?: (node: number) => SourceLocation | undefined, maxSteps = 256): PathStep[] {
  const steps: PathStep[] = [];
  let current = node;
  while (current !== 0 && steps.length < maxSteps) {
    const v = paths.via[current] ?? 0;
    if (v === 0) return [];
    const edge = v - 1;
    const location = s.nodeType[current] === s.type.closure ? locate?.(current) : undefined;
    steps.push({
      edge: s.edgeLabel(edge),
      edgeType: s.edgeTypes[s.edgeType[edge] ?? 0] ?? 'unknown',
      node: { name: s.name(current), type: s.typeName(current), id: s.nodeId[current] ?? 0, selfSize: s.selfSize[current] ?? 0, ...(location && { location }) },
    });
    current = edgeSource(s, edge);
  }
  return steps.reverse();
}
