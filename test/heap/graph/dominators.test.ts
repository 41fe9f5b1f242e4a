import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dominatorTree } from '../../../src/heap/graph/dominators.js';
import { essentialEdgeMask } from '../../../src/heap/graph/essential-edges.js';
import { edgeSource, retainerPath, shortestPaths } from '../../../src/heap/graph/retainer-paths.js';
import { readHeapSnapshot } from '../../../src/heap/reader/read-heap-snapshot.js';
import type { HeapSnapshot } from '../../../src/heap/reader/heap-snapshot.js';
import { chunked, syntheticSnapshot, type SyntheticEdge } from '../helpers/synthetic-snapshot.js';

async function graph(sizes: number[], edges: SyntheticEdge[]): Promise<HeapSnapshot> {
  const nodes = sizes.map((size, i) => ({ type: i === 0 ? 'synthetic' : 'object', name: `N${i}`, id: 2 * i + 1, size }));
  return readHeapSnapshot(chunked(syntheticSnapshot(nodes, edges), [1 << 20]));
}

/** Dominators by definition: d dominates v when v cannot be reached from the root without passing d. */
function naiveIdom(n: number, edges: Array<[number, number]>): Array<number | undefined> {
  const reach = (skip: number): boolean[] => {
    const seen = new Array<boolean>(n).fill(false);
    if (skip === 0) return seen;
    const stack = [0];
    seen[0] = true;
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const [a, b] of edges) if (a === v && b !== skip && !seen[b]) { seen[b] = true; stack.push(b); }
    }
    return seen;
  };
  const all = reach(-1);
  const doms: Array<Set<number>> = Array.from({ length: n }, () => new Set<number>());
  for (let d = 0; d < n; d++) {
    const without = reach(d);
    for (let v = 0; v < n; v++) if (all[v] && v !== d && !without[v]) doms[v]!.add(d);
  }
  // The immediate dominator is the strict dominator dominated by all the others.
  return doms.map((set, v) => (v === 0 || !all[v] ? undefined : [...set].find((d) => [...set].every((o) => o === d || doms[d]!.has(o)))));
}

describe('dominatorTree', () => {
  it('computes immediate dominators and retained sizes of a diamond and a chain', async () => {
    // 0 -> 1 -> {2, 3} -> 4 -> 5 ; 1 -> 6
    const s = await graph([0, 10, 20, 30, 40, 50, 60], [
      { from: 0, to: 1, type: 'element', name: 1 },
      { from: 1, to: 2, name: 'a' },
      { from: 1, to: 3, name: 'b' },
      { from: 1, to: 6, name: 'c' },
      { from: 2, to: 4, name: 'x' },
      { from: 3, to: 4, name: 'y' },
      { from: 4, to: 5, name: 'z' },
    ]);
    const dom = dominatorTree(s, essentialEdgeMask(s));
    expect([...dom.idom]).toEqual([0, 0, 1, 1, 1, 4, 1]);
    expect([...dom.retained]).toEqual([210, 210, 20, 30, 90, 50, 60]);
  });

  it('does not let weak edges retain, nor shortcut edges except from the root', async () => {
    const s = await graph([0, 10, 20, 30], [
      { from: 0, to: 1, type: 'element', name: 1 },
      { from: 0, to: 2, type: 'shortcut', name: 'g' },
      { from: 1, to: 3, type: 'weak', name: 'w' },
      { from: 2, to: 3, type: 'shortcut', name: 's' },
    ]);
    const dom = dominatorTree(s, essentialEdgeMask(s));
    expect([...dom.reachable]).toEqual([1, 1, 1, 0]);
    expect(dom.retained[1]).toBe(10);
    expect(dom.retained[3]).toBe(30); // unreachable: only itself
  });

  it('agrees with the definition on random graphs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n - 1 })), { maxLength: 30 })),
        ),
        async ([n, raw]) => {
          const pairs = raw.filter(([a, b]) => a !== b);
          const s = await graph(Array.from({ length: n }, (_, i) => i + 1), pairs.map(([from, to], i) => ({ from, to, name: `e${i}` })));
          const dom = dominatorTree(s, essentialEdgeMask(s));
          const expected = naiveIdom(n, pairs);
          for (let v = 1; v < n; v++) {
            if (expected[v] === undefined) expect(dom.reachable[v]).toBe(0);
            else expect(dom.idom[v], `idom of ${v}`).toBe(expected[v]);
          }
          // Retained size = own size plus that of everything it dominates.
          for (let v = 0; v < n; v++) {
            if (dom.reachable[v] !== 1) continue;
            let sum = s.selfSize[v]!;
            for (let w = 1; w < n; w++) {
              if (dom.reachable[w] !== 1 || w === v) continue;
              let d = dom.idom[w]!;
              while (d !== v && d !== 0) d = dom.idom[d]!;
              if (d === v) sum += s.selfSize[w]!;
            }
            expect(dom.retained[v], `retained of ${v}`).toBe(sum);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('handles a chain 200,000 nodes deep without recursion', async () => {
    // Far deeper than any call stack: a recursive DFS or path compression would overflow.
    const n = 200_000;
    const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: i, to: i + 1, type: i === 0 ? 'element' : 'property', name: i === 0 ? 1 : 'next' }));
    const s = await graph(Array.from({ length: n }, () => 1), edges);
    const dom = dominatorTree(s, essentialEdgeMask(s));
    expect(dom.retained[1]).toBe(n - 1);
    expect(dom.idom[n - 1]).toBe(n - 2);
    const paths = shortestPaths(s, essentialEdgeMask(s));
    expect(paths.distance[n - 1]).toBe(n - 1);
  });
});

describe('shortestPaths and retainerPath', () => {
  it('finds the shortest path and names each edge, through nodes without edges', async () => {
    // 0 -> 1 -> 2 -> 3 -> 4 and 1 -> 5 (no edges) ; 1 -> 4 directly (shorter)
    const s = await graph([0, 1, 1, 1, 1, 1], [
      { from: 0, to: 1, type: 'element', name: 1 },
      { from: 1, to: 2, name: 'a' },
      { from: 1, to: 5, name: 'leaf' },
      { from: 1, to: 4, type: 'context', name: 'sessions' },
      { from: 2, to: 3, name: 'b' },
      { from: 3, to: 4, name: 'c' },
    ]);
    const paths = shortestPaths(s, essentialEdgeMask(s));
    const path = retainerPath(s, paths, 4);
    expect(path.map((p) => [p.edge, p.edgeType, p.node.name])).toEqual([
      ['[1]', 'element', 'N1'],
      ['sessions', 'context', 'N4'],
    ]);
    for (let e = 0; e < s.edgeCount; e++) {
      const from = edgeSource(s, e);
      expect(e >= s.firstEdge[from]! && e < s.firstEdge[from + 1]!).toBe(true);
    }
  });
});
