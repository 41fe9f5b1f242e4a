import type { DominatorTree } from './dominators.js';

/**
 * Marks the nodes whose retained size counts for their class: among the selected nodes (`selected[node] === 1`),
 * those with no selected node of the same class above them in the dominator tree. Summing the retained sizes of
 * the marked nodes gives each class's retained size without counting anything twice (a linked list of 1,000
 * objects retains the list once, not 1,000 nested times) — how Chrome DevTools sums retained sizes per constructor.
 */
export function topmostOfClass(dom: DominatorTree, classOf: Uint32Array, classCount: number, selected: Uint8Array): Uint8Array {
  const n = dom.idom.length;
  // Children of each node in the dominator tree, as compressed rows.
  const childStart = new Uint32Array(n + 1);
  for (const node of dom.order) {
    if (node === 0) continue;
    const parent = dom.idom[node] ?? 0;
    childStart[parent + 1] = (childStart[parent + 1] ?? 0) + 1;
  }
  for (let i = 1; i <= n; i++) childStart[i] = (childStart[i] ?? 0) + (childStart[i - 1] ?? 0);
  const children = new Uint32Array(childStart[n] ?? 0);
  const fill = childStart.slice(0, n);
  for (const node of dom.order) {
    if (node === 0) continue;
    const parent = dom.idom[node] ?? 0;
    const at = fill[parent] ?? 0;
    children[at] = node;
    fill[parent] = at + 1;
  }

  const topmost = new Uint8Array(n);
  const active = new Uint32Array(classCount);
  const stackNode = new Uint32Array(n);
  const stackNext = new Uint32Array(n);
  let top = 0;
  stackNode[0] = 0;
  stackNext[0] = childStart[0] ?? 0;
  while (top >= 0) {
    const node = stackNode[top] ?? 0;
    const next = stackNext[top] ?? 0;
    if (next < (childStart[node + 1] ?? 0)) {
      stackNext[top] = next + 1;
      const child = children[next] ?? 0;
      if (selected[child] === 1) {
        const c = classOf[child] ?? 0;
        if (active[c] === 0) topmost[child] = 1;
        active[c] = (active[c] ?? 0) + 1;
      }
      top++;
      stackNode[top] = child;
      stackNext[top] = childStart[child] ?? 0;
      continue;
    }
    if (selected[node] === 1) {
      const c = classOf[node] ?? 0;
      active[c] = (active[c] ?? 1) - 1;
    }
    top--;
  }
  return topmost;
}
