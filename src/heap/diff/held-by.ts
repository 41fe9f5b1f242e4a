import { edgeSource, type ShortestPaths } from '../graph/retainer-paths.js';
import type { HeapSnapshot } from '../reader/heap-snapshot.js';
import type { ClassTable } from './node-classes.js';

/** Holders listed per group. */
const HOLDERS_PER_GROUP = 3;
/** Steps climbed through V8's structures and plain containers to reach a named holder. */
const MAX_CLIMB = 6;
/** Containers climbed through (with V8's internal structures) on the way to what a program named. */
const GENERIC = new Set(['Array', 'Object', 'Map', 'Set']);
/** Internal edges that only lead to an element store; `x.elements[3]` reads as `x[]`. */
const ELEMENT_STORES = new Set(['elements', 'table']);

/**
 * What holds each group's new objects, counted over all of them: the last steps of each object's shortest path,
 * climbed through V8's internal structures (hash tables, element stores, contexts) and plain containers (Array,
 * Object, Map, Set) up to a named property or variable, or an object of the program's own class:
 * `system / Context.sessions[]` (elements of the variable `sessions`), `Object.config-changed[]`,
 * `TimersList._idleNext`, `Faults.retained[][]`.
 */
export function heldBy(
  s: HeapSnapshot,
  paths: ShortestPaths,
  classOf: Uint32Array,
  selected: Uint8Array,
  groups: ReadonlySet<number>,
  table: ClassTable,
  better: (node: number, than: number) => boolean,
): Map<number, { holders: Array<{ holder: string; count: number }>; sample: number }> {
  const counts = new Map<number, Map<string, { count: number; sample: number }>>();
  for (let node = 0; node < s.nodeCount; node++) {
    if (selected[node] !== 1) continue;
    const c = classOf[node] ?? 0;
    if (!groups.has(c)) continue;
    const holder = holderOf(s, paths, classOf, table, node);
    if (holder === undefined) continue;
    let byHolder = counts.get(c);
    if (byHolder === undefined) {
      byHolder = new Map<string, { count: number; sample: number }>();
      counts.set(c, byHolder);
    }
    const seen = byHolder.get(holder);
    if (seen === undefined) byHolder.set(holder, { count: 1, sample: node });
    else {
      seen.count++;
      if (better(node, seen.sample)) seen.sample = node;
    }
  }
  // The group's sample is held the way most of its objects are: a leaked record stuck on the stack for a moment
  // would explain nothing.
  const out = new Map<number, { holders: Array<{ holder: string; count: number }>; sample: number }>();
  for (const [c, byHolder] of counts) {
    const list = [...byHolder].map(([holder, v]) => ({ holder, count: v.count, sample: v.sample })).sort((a, b) => b.count - a.count);
    const top = list[0];
    if (top === undefined) continue;
    out.set(c, { holders: list.slice(0, HOLDERS_PER_GROUP).map(({ holder, count }) => ({ holder, count })), sample: top.sample });
  }
  return out;
}

function holderOf(s: HeapSnapshot, paths: ShortestPaths, classOf: Uint32Array, table: ClassTable, node: number): string | undefined {
  let pieces = '';
  let current = node;
  for (let step = 0; step < MAX_CLIMB; step++) {
    const via = paths.via[current] ?? 0;
    if (via === 0) return undefined;
    const edge = via - 1;
    const from = edgeSource(s, edge);
    const type = s.edgeType[edge];
    const name = s.edgeLabel(edge);
    const named = (type === s.edge.property || type === s.edge.context) && !/^\d+$/.test(name);
    const indexed = type === s.edge.element || type === s.edge.hidden || /^\[?\d+\]?$/.test(name);
    if (indexed) pieces = `[]${pieces}`;
    else if (!(type === s.edge.internal && ELEMENT_STORES.has(name))) pieces = `.${name}${pieces}`;
    const c = classOf[from] ?? 0;
    const holder = from === 0 || s.nodeType[from] === s.type.synthetic ? s.name(from) : (table.names[c] ?? s.name(from));
    const climb = !named && from !== 0 && (table.internal[c] === true || GENERIC.has(holder));
    if (!climb) return `${holder}${pieces}`;
    current = from;
  }
  return `…${pieces}`;
}
