import type { HeapSnapshot } from '../reader/heap-snapshot.js';

/** The dominator tree of a snapshot and what it gives: each node's retained size. */
export interface DominatorTree {
  /** Immediate dominator of each node (node positions); the root's is itself, unreachable nodes' is the root. */
  idom: Uint32Array;
  /** Self size plus everything only this node keeps alive (bytes). */
  retained: Float64Array;
  /** Nodes reachable from the root through essential edges, in depth-first preorder: dominators come first. */
  order: Uint32Array;
  /** 1 for reachable nodes; the rest are held only weakly and go at the next GC. */
  reachable: Uint8Array;
}

/**
 * Immediate dominators by the Semi-NCA algorithm (Georgiadis 2005: Lengauer–Tarjan's semidominators with path
 * compression, then each idom as the nearest common ancestor), over the graph of essential edges (`mask`). Linear in
 * practice and iterative throughout (a heap can be a million deep: a long linked list), all in typed arrays indexed
 * by depth-first number (1-based so 0 can mean "none").
 */
export function dominatorTree(s: HeapSnapshot, mask: Uint8Array): DominatorTree {
  const n = s.nodeCount;
  const { firstEdge, edgeTo } = s;
  const dfn = new Uint32Array(n);
  const vertex = new Uint32Array(n + 1);
  const parent = new Uint32Array(n + 1);
  let count = 0;

  // Depth-first numbering from the root, with an explicit stack of (node, next edge).
  {
    const stackNode = new Uint32Array(n);
    const stackEdge = new Uint32Array(n);
    let top = 0;
    dfn[0] = ++count;
    vertex[count] = 0;
    stackNode[0] = 0;
    stackEdge[0] = firstEdge[0] ?? 0;
    while (top >= 0) {
      const node = stackNode[top] ?? 0;
      const end = firstEdge[node + 1] ?? 0;
      let e = stackEdge[top] ?? 0;
      let pushed = false;
      for (; e < end; e++) {
        if (mask[e] === 0) continue;
        const to = edgeTo[e] ?? 0;
        if (dfn[to] !== 0) continue;
        stackEdge[top] = e + 1;
        dfn[to] = ++count;
        vertex[count] = to;
        parent[count] = dfn[node] ?? 0;
        top++;
        stackNode[top] = to;
        stackEdge[top] = firstEdge[to] ?? 0;
        pushed = true;
        break;
      }
      if (!pushed) top--;
    }
  }

  // Predecessors of each reached node by DFS number, through essential edges from reached nodes.
  const predStart = new Uint32Array(count + 2);
  for (let node = 0; node < n; node++) {
    if (dfn[node] === 0) continue;
    const end = firstEdge[node + 1] ?? 0;
    for (let e = firstEdge[node] ?? 0; e < end; e++) {
      if (mask[e] === 0) continue;
      const w = dfn[edgeTo[e] ?? 0] ?? 0;
      if (w !== 0) predStart[w + 1] = (predStart[w + 1] ?? 0) + 1;
    }
  }
  for (let w = 1; w <= count + 1; w++) predStart[w] = (predStart[w] ?? 0) + (predStart[w - 1] ?? 0);
  const preds = new Uint32Array(predStart[count + 1] ?? 0);
  {
    const fill = predStart.slice(0, count + 1);
    for (let node = 0; node < n; node++) {
      const v = dfn[node] ?? 0;
      if (v === 0) continue;
      const end = firstEdge[node + 1] ?? 0;
      for (let e = firstEdge[node] ?? 0; e < end; e++) {
        if (mask[e] === 0) continue;
        const w = dfn[edgeTo[e] ?? 0] ?? 0;
        if (w === 0) continue;
        const at = fill[w] ?? 0;
        preds[at] = v;
        fill[w] = at + 1;
      }
    }
  }

  // Semidominators, in reverse preorder, with a path-compressed forest (ancestor/label).
  const semi = new Uint32Array(count + 1);
  const label = new Uint32Array(count + 1);
  const ancestor = new Uint32Array(count + 1);
  for (let v = 1; v <= count; v++) {
    semi[v] = v;
    label[v] = v;
  }
  const path = new Uint32Array(count + 1);
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    let depth = 0;
    let x = v;
    while (ancestor[ancestor[x] ?? 0] !== 0) {
      path[depth++] = x;
      x = ancestor[x] ?? 0;
    }
    while (depth > 0) {
      const y = path[--depth] ?? 0;
      const a = ancestor[y] ?? 0;
      if ((semi[label[a] ?? 0] ?? 0) < (semi[label[y] ?? 0] ?? 0)) label[y] = label[a] ?? 0;
      ancestor[y] = ancestor[a] ?? 0;
    }
    return label[v] ?? v;
  };
  for (let w = count; w >= 2; w--) {
    let best = semi[w] ?? w;
    const end = predStart[w + 1] ?? 0;
    for (let i = predStart[w] ?? 0; i < end; i++) {
      const u = evaluate(preds[i] ?? 0);
      const su = semi[u] ?? u;
      if (su < best) best = su;
    }
    semi[w] = best;
    ancestor[w] = parent[w] ?? 0;
  }

  // Immediate dominators: from the DFS parent, climb the dominator tree to the first vertex at or above semi(w).
  const idomDfn = new Uint32Array(count + 1);
  idomDfn[1] = 1;
  for (let w = 2; w <= count; w++) {
    let x = parent[w] ?? 1;
    const sw = semi[w] ?? 1;
    while (x > sw) x = idomDfn[x] ?? 1;
    idomDfn[w] = x;
  }

  // Retained sizes bottom-up (a dominator always has a smaller DFS number than what it dominates).
  const retainedDfn = new Float64Array(count + 1);
  for (let w = 1; w <= count; w++) retainedDfn[w] = s.selfSize[vertex[w] ?? 0] ?? 0;
  for (let w = count; w >= 2; w--) {
    const d = idomDfn[w] ?? 1;
    retainedDfn[d] = (retainedDfn[d] ?? 0) + (retainedDfn[w] ?? 0);
  }

  const idom = new Uint32Array(n);
  const retained = new Float64Array(n);
  const reachable = new Uint8Array(n);
  for (let node = 0; node < n; node++) {
    const w = dfn[node] ?? 0;
    if (w === 0) {
      retained[node] = s.selfSize[node] ?? 0;
      continue;
    }
    reachable[node] = 1;
    idom[node] = vertex[idomDfn[w] ?? 1] ?? 0;
    retained[node] = retainedDfn[w] ?? 0;
  }
  return { idom, retained, order: vertex.slice(1, count + 1), reachable };
}
