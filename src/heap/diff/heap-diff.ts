import { intOption } from '../../internal/validate.js';
import { topmostOfClass } from '../graph/class-retained.js';
import { dominatorTree } from '../graph/dominators.js';
import { essentialEdgeMask } from '../graph/essential-edges.js';
import { retainerPath, shortestPaths, type PathStep } from '../graph/retainer-paths.js';
import type { HeapSnapshot } from '../reader/heap-snapshot.js';
import { ClosureLocations, type SourceLocation } from './closure-locations.js';
import { heldBy } from './held-by.js';
import { ClassTable, NO_CLASS } from './node-classes.js';
import { isNewIn } from './new-objects.js';
import { summarizeSnapshot, type SnapshotSummary } from './snapshot-summary.js';

export interface HeapDiffOptions {
  /** Groups listed, ranked by growth. @default 25 */
  top?: number;
  /** Top groups (of a program's own objects, not V8's structures) shown with their shortest retainer path (at most
   *  `top`). @default 5, or `top` if less */
  paths?: number;
  /** Names shown for the two snapshots (file paths in the CLI). @default 'before', 'after' */
  labels?: [string, string];
  /** Groups that get a retainer path whatever their rank (memscope/testing asks for the ones over budget). */
  pathFor?: (group: Pick<HeapDiffGroup, 'name' | 'internal' | 'newCount' | 'countBefore' | 'countAfter' | 'growthBytes'>) => boolean;
}

/** One constructor's growth between the snapshots. */
export interface HeapDiffGroup {
  name: string;
  /** A V8 structure (backing store, hash table, context, code): counted by its own size, since what it holds is
   *  listed under its own constructor. */
  internal: boolean;
  /**
   * What the ranking uses, bytes: the retained size of the group's new objects that no other new object holds
   * (a Session's payload string counts for Session, not for '(string)'); internal groups count their own size.
   * Summed over all groups, each new byte is counted once.
   */
  growthBytes: number;
  /** Objects allocated between the snapshots and still reachable in the second. */
  newCount: number;
  newSelfBytes: number;
  /** Retained size of the new objects, each byte counted once per group (Chrome DevTools' per-constructor sum). */
  newRetainedBytes: number;
  countBefore: number;
  countAfter: number;
  selfBytesBefore: number;
  selfBytesAfter: number;
  /** What holds the new objects, by the last steps of their shortest paths: `Map.table[]`, `Array[]`. */
  heldBy: Array<{ holder: string; count: number }>;
  /**
   * The new object nearest to a root among those held the way most are (the first `heldBy`), with its V8 id (`@id`
   * in DevTools) and its source location if V8 recorded one (closures, and objects by their constructor).
   */
  sample: { id: number; retainedBytes: number; distance: number; location: SourceLocation | null };
  /** Shortest path from the roots to the sample, root first; null for V8's structures and beyond the `paths` top groups. */
  path: PathStep[] | null;
}

export interface HeapDiff {
  schema: 'memscope.heap-diff';
  schemaVersion: 1;
  before: { label: string; nodes: number; bytes: number };
  after: { label: string; nodes: number; bytes: number };
  /** Objects in the second snapshot that were not in the first and are still reachable. */
  newObjects: { count: number; selfBytes: number; retainedBytes: number };
  /** Objects of the first snapshot still in the second (V8 keeps an object's id across snapshots of a process). */
  survivors: number;
  groups: HeapDiffGroup[];
  /** Groups with new objects, of which `groups` lists the top ones. */
  groupCount: number;
  warnings: string[];
}

/** Groups shown however small their bytes, so many small objects surface beside a few large ones. */
const TOP_BY_COUNT = 5;

/**
 * What grew between two snapshots of one process: objects allocated in between and still alive (ids absent from
 * the first snapshot), grouped by constructor and ranked by retained-size growth, with count growth beside it, what
 * holds them, and the shortest retainer path from the roots for the top groups. Dominators and paths are computed
 * on the second snapshot only; the first supplies ids and per-class counts.
 */
/** Validates the options (MEMSCOPE_E_INVALID_OPTION naming the field), before any snapshot is read. */
export function resolveDiffOptions(options: HeapDiffOptions): { top: number; paths: number } {
  const top = intOption('top', options.top, 25, 1, 10_000);
  return { top, paths: intOption('paths', options.paths, Math.min(5, top), 0, top) };
}

export function diffHeapSnapshots(before: HeapSnapshot | SnapshotSummary, after: HeapSnapshot, options: HeapDiffOptions = {}): HeapDiff {
  const { top, paths: pathCount } = resolveDiffOptions(options);
  const [labelBefore, labelAfter] = options.labels ?? ['before', 'after'];
  const base = 'ids' in before ? before : summarizeSnapshot(before, labelBefore);

  const isNew = isNewIn(base.ids, after);
  const table = new ClassTable();
  const classesAfter = table.classify(after);
  const classCount = table.names.length;
  const countAfter = new Float64Array(classCount);
  const selfAfter = new Float64Array(classCount);
  let afterBytes = 0;
  for (let node = 0; node < after.nodeCount; node++) {
    const self = after.selfSize[node] ?? 0;
    afterBytes += self;
    const c = classesAfter.classOf[node] ?? NO_CLASS;
    if (c === NO_CLASS) continue;
    countAfter[c] = (countAfter[c] ?? 0) + 1;
    selfAfter[c] = (selfAfter[c] ?? 0) + self;
  }

  const mask = essentialEdgeMask(after);
  const dom = dominatorTree(after, mask);
  const paths = shortestPaths(after, mask);
  const classOf = classesAfter.classOf;
  const selected = new Uint8Array(after.nodeCount);
  for (let node = 0; node < after.nodeCount; node++) {
    if (isNew[node] === 1 && dom.reachable[node] === 1 && classOf[node] !== NO_CLASS && !addressId(after, node)) selected[node] = 1;
  }
  const topmost = topmostOfClass(dom, classOf, classCount, selected);

  const newCount = new Float64Array(classCount);
  const newSelf = new Float64Array(classCount);
  const newRetained = new Float64Array(classCount);
  const owned = new Float64Array(classCount);
  const sample = new Int32Array(classCount).fill(-1);
  const totals = { count: 0, selfBytes: 0, retainedBytes: 0 };
  // newAbove: some new object dominates the node (it counts once in the total). ownerAbove: a new object of a
  // program's own (not a V8 structure) dominates it, and the growth belongs to that outermost one.
  const newAbove = new Uint8Array(after.nodeCount);
  const ownerAbove = new Uint8Array(after.nodeCount);
  for (const node of dom.order) {
    if (node === 0) continue;
    const d = dom.idom[node] ?? 0;
    const dNew = selected[d] ?? 0;
    newAbove[node] = (newAbove[d] ?? 0) | dNew;
    ownerAbove[node] = (ownerAbove[d] ?? 0) | (dNew === 1 && table.internal[classOf[d] ?? 0] !== true ? 1 : 0);
    if (selected[node] !== 1) continue;
    const c = classOf[node] ?? 0;
    const self = after.selfSize[node] ?? 0;
    newCount[c] = (newCount[c] ?? 0) + 1;
    newSelf[c] = (newSelf[c] ?? 0) + self;
    if (topmost[node] === 1) newRetained[c] = (newRetained[c] ?? 0) + (dom.retained[node] ?? 0);
    if (ownerAbove[node] === 0) owned[c] = (owned[c] ?? 0) + (table.internal[c] === true ? self : (dom.retained[node] ?? 0));
    totals.count++;
    totals.selfBytes += self;
    if (newAbove[node] === 0) totals.retainedBytes += dom.retained[node] ?? 0;
    const best = sample[c] ?? -1;
    if (best < 0 || nearer(node, best, paths.distance, dom.retained)) sample[c] = node;
  }

  const growth = (c: number): number => owned[c] ?? 0;
  const withNew = [...table.names.keys()].filter((c) => (newCount[c] ?? 0) > 0);
  const byGrowth = [...withNew].sort((a, b) => growth(b) - growth(a) || (newCount[b] ?? 0) - (newCount[a] ?? 0));
  const chosen = new Set(byGrowth.slice(0, top));
  for (const c of [...withNew].sort((a, b) => (newCount[b] ?? 0) - (newCount[a] ?? 0)).slice(0, TOP_BY_COUNT)) chosen.add(c);
  const ranked = byGrowth.filter((c) => chosen.has(c));

  const holders = heldBy(after, paths, classOf, selected, new Set(ranked), table, (a, b) => nearer(a, b, paths.distance, dom.retained));
  const locations = new ClosureLocations(after);
  // Paths go to the top groups of a program's own objects: a path to a V8 structure (code, shapes) rarely helps.
  const pathRank = new Map(ranked.filter((c) => table.internal[c] !== true).map((c, i) => [c, i]));
  const groups = ranked.map((c): HeapDiffGroup => {
    const held = holders.get(c);
    const node = held?.sample ?? sample[c] ?? 0;
    const name = table.names[c] ?? '';
    const earlier = base.classes.get(name);
    const brief = { name, internal: table.internal[c] === true, newCount: newCount[c] ?? 0, countBefore: earlier?.count ?? 0, countAfter: countAfter[c] ?? 0, growthBytes: growth(c) };
    const withPath = (pathRank.get(c) ?? Infinity) < pathCount || options.pathFor?.(brief) === true;
    return {
      name,
      internal: table.internal[c] === true,
      growthBytes: growth(c),
      newCount: newCount[c] ?? 0,
      newSelfBytes: newSelf[c] ?? 0,
      newRetainedBytes: newRetained[c] ?? 0,
      countBefore: earlier?.count ?? 0,
      countAfter: countAfter[c] ?? 0,
      selfBytesBefore: earlier?.bytes ?? 0,
      selfBytesAfter: selfAfter[c] ?? 0,
      heldBy: held?.holders ?? [],
      sample: { id: after.nodeId[node] ?? 0, retainedBytes: dom.retained[node] ?? 0, distance: paths.distance[node] ?? 0, location: locations.of(node) ?? null },
      path: withPath ? retainerPath(after, paths, node, (n) => locations.of(n)) : null,
    };
  });

  let survivors = after.nodeCount;
  for (const flag of isNew) survivors -= flag;
  return {
    schema: 'memscope.heap-diff',
    schemaVersion: 1,
    before: { label: base.label, nodes: base.nodes, bytes: base.bytes },
    after: { label: labelAfter, nodes: after.nodeCount, bytes: afterBytes },
    newObjects: totals,
    survivors,
    groups,
    groupCount: withNew.length,
    warnings: warningsFor(base.nodes, survivors, totals.count),
  };
}

/**
 * V8 numbers heap objects with odd ids from a counter; the embedder's native objects (Node's C++ objects: handles,
 * realms, histograms) get even ids made from their addresses, which are reused and say nothing about when the object
 * was made. Those are never counted as new (what they hold still counts in retained sizes).
 */
function addressId(s: HeapSnapshot, node: number): boolean {
  return s.nodeType[node] === s.type.native && ((s.nodeId[node] ?? 1) & 1) === 0;
}

/** The sample of a group is its new object nearest to a root; among equals, the one retaining most. */
function nearer(node: number, best: number, distance: Uint32Array, retained: Float64Array): boolean {
  const d = distance[node] ?? 0;
  const b = distance[best] ?? 0;
  return d < b || (d === b && (retained[node] ?? 0) > (retained[best] ?? 0));
}

function warningsFor(beforeNodes: number, survivors: number, newCount: number): string[] {
  const warnings: string[] = [];
  if (beforeNodes > 1000 && survivors < beforeNodes * 0.2) {
    warnings.push(
      `only ${((100 * survivors) / beforeNodes).toFixed(1)}% of the first snapshot's objects are in the second: ` +
        'object ids are kept only within one process, so the two snapshots are probably from different processes (or a restart) and "new" means little',
    );
  }
  if (newCount === 0) warnings.push('no object was allocated between the snapshots and kept: nothing grew');
  return warnings;
}
