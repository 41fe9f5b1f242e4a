import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { diffHeapSnapshotFiles } from '../../../src/heap/diff/diff-files.js';
import { diffHeapSnapshots } from '../../../src/heap/diff/heap-diff.js';
import { readHeapSnapshot } from '../../../src/heap/reader/read-heap-snapshot.js';
import { MemscopeError } from '../../../src/internal/errors.js';
import { chunked, rootEdges, rootNodes, syntheticSnapshot, type SyntheticEdge, type SyntheticNode } from '../helpers/synthetic-snapshot.js';

const MiB = 2 ** 20;

/**
 * A module scope holding `sessions` (a Map whose hash table holds Session objects, each with a payload string),
 * `cache` (an Array of Buffers with 1 MiB backing stores) and `handlers` (closures). `after` adds 3 Sessions (and a
 * new, larger hash table), 2 Buffers, 1 closure and 40 small numbers.
 */
function world(after: boolean, idOffset = 0) {
  const nodes: SyntheticNode[] = rootNodes();
  const edges: SyntheticEdge[] = rootEdges();
  const add = (node: SyntheticNode): number => nodes.push({ ...node, id: node.id + idOffset }) - 1;
  const context = add({ type: 'object', name: 'system / Context', id: 7, size: 40 });
  edges.push({ from: 2, to: context, type: 'internal', name: 'context' });
  const map = add({ type: 'object', name: 'Map', id: 9, size: 32 });
  edges.push({ from: context, to: map, type: 'context', name: 'sessions' });
  const table = add({ type: 'array', name: '', id: after ? 1001 : 11, size: after ? 400 : 200 });
  edges.push({ from: map, to: table, type: 'internal', name: 'table' });
  const sessionIds = after ? [21, 23, 1003, 1005, 1007] : [21, 23];
  for (const [i, id] of sessionIds.entries()) {
    const s = add({ type: 'object', name: 'Session', id, size: 48 });
    edges.push({ from: table, to: s, type: 'internal', name: String(i) });
    const payload = add({ type: 'string', name: `payload ${id}`, id: id + 100_000, size: 1000 });
    edges.push({ from: s, to: payload, type: 'property', name: 'payload' });
  }
  const cache = add({ type: 'object', name: 'Array', id: 13, size: 32 });
  edges.push({ from: context, to: cache, type: 'context', name: 'cache' });
  for (const id of after ? [1011, 1013] : []) {
    const buffer = add({ type: 'object', name: 'Buffer', id, size: 96 });
    edges.push({ from: cache, to: buffer, type: 'element', name: id });
    const store = add({ type: 'native', name: 'system / JSArrayBufferData', id: id + 100_000, size: MiB });
    edges.push({ from: buffer, to: store, type: 'internal', name: 'backing_store' });
  }
  const script = add({ type: 'code', name: 'file:///srv/app.mjs', id: 15, size: 80 });
  if (after) {
    const shared = add({ type: 'code', name: 'onTick', id: 1021, size: 40 });
    edges.push({ from: shared, to: script, type: 'internal', name: 'script_or_debug_info' });
    const closure = add({ type: 'closure', name: 'onTick', id: 1023, size: 32 });
    edges.push({ from: context, to: closure, type: 'context', name: 'handler' });
    edges.push({ from: closure, to: shared, type: 'internal', name: 'shared' });
    for (let i = 0; i < 40; i++) {
      const n = add({ type: 'number', name: 'heap number', id: 2001 + 2 * i, size: 16 });
      edges.push({ from: context, to: n, type: 'context', name: `n${i}` });
    }
  }
  edges.sort((a, b) => a.from - b.from);
  const closureNode = nodes.findIndex((n) => n.type === 'closure');
  return syntheticSnapshot(nodes, edges, { locations: closureNode < 0 ? [] : [{ node: closureNode, script: 3, line: 41, column: 7 }] });
}

const read = (text: string) => readHeapSnapshot(chunked(text, [1 << 16]));

describe('diffHeapSnapshots', () => {
  it('groups the new, still reachable objects by constructor, ranked by retained-size growth', async () => {
    const diff = diffHeapSnapshots(await read(world(false)), await read(world(true)), { labels: ['a', 'b'] });
    const names = diff.groups.map((g) => g.name);
    // Two Buffers retaining 1 MiB each outrank three Sessions retaining ~1 KiB each (their payloads included);
    // what a new object holds counts for it, not again for its own constructor (payload strings, backing stores).
    expect(names.slice(0, 4)).toEqual(['Buffer', 'Session', '(number)', '(array)']);
    const buffer = diff.groups[0]!;
    expect(buffer).toMatchObject({ newCount: 2, countBefore: 0, countAfter: 2, internal: false, growthBytes: 2 * (MiB + 96) });
    const session = diff.groups.find((g) => g.name === 'Session')!;
    expect(session).toMatchObject({ newCount: 3, countBefore: 2, countAfter: 5, newSelfBytes: 144, newRetainedBytes: 3 * 1048, growthBytes: 3 * 1048 });
    expect(diff.groups.find((g) => g.name === '(string)')).toMatchObject({ newCount: 3, growthBytes: 0, newRetainedBytes: 3000 });
    expect(diff.groups.find((g) => g.name === 'system / JSArrayBufferData')).toMatchObject({ newCount: 2, growthBytes: 0 });
    expect(session.heldBy).toEqual([{ holder: 'system / Context.sessions[]', count: 3 }]);
    // The new hash table holds every Session, but V8 structures rank by their own size: 400 bytes.
    expect(diff.groups.find((g) => g.name === '(array)')).toMatchObject({ internal: true, growthBytes: 400 });
    expect(diff.newObjects.count).toBe(3 + 3 + 2 + 2 + 1 + 1 + 40 + 1);
    expect(diff.survivors).toBe(diff.after.nodes - diff.newObjects.count);
    expect(diff.warnings).toEqual([]);
  });

  it('gives the top groups their shortest retainer path, and closures their source location', async () => {
    const diff = diffHeapSnapshots(await read(world(false)), await read(world(true)), { paths: 25 });
    const session = diff.groups.find((g) => g.name === 'Session')!;
    // The root's shortcut to the global object is the shortest way in.
    expect(session.path!.map((s) => s.edge)).toEqual(['2', 'context', 'sessions', 'table', '2']);
    expect(session.path!.at(-1)!.node).toMatchObject({ name: 'Session', id: 1003 });
    const closure = diff.groups.find((g) => g.name === '(closure) onTick')!;
    expect(closure.sample.location).toEqual({ script: 'file:///srv/app.mjs', line: 42, column: 8 });
    expect(closure.path!.at(-1)!.node.location).toEqual({ script: 'file:///srv/app.mjs', line: 42, column: 8 });
    const limited = diffHeapSnapshots(await read(world(false)), await read(world(true)), { paths: 1 });
    expect(limited.groups.filter((g) => g.path !== null)).toHaveLength(1);
  });

  it('lists the groups with the most new objects even when their bytes rank them out of the top', async () => {
    const diff = diffHeapSnapshots(await read(world(false)), await read(world(true)), { top: 1 });
    expect(diff.groups.map((g) => g.name)).toEqual(['Buffer', 'Session', '(number)', '(string)', 'system / JSArrayBufferData']);
    expect(diff.groupCount).toBeGreaterThan(5);
  });

  it('warns when the snapshots share almost no object ids (different processes)', async () => {
    const big = (offset: number): string => {
      const nodes = rootNodes();
      const edges = rootEdges();
      for (let i = 0; i < 1200; i++) {
        nodes.push({ type: 'object', name: 'Thing', id: offset + 2 * i + 11, size: 10 });
        edges.push({ from: 2, to: nodes.length - 1, type: 'element', name: i });
      }
      edges.sort((a, b) => a.from - b.from);
      return syntheticSnapshot(nodes, edges);
    };
    const diff = diffHeapSnapshots(await read(big(0)), await read(big(1_000_000)));
    expect(diff.warnings.join(' ')).toMatch(/different processes/);
    const same = diffHeapSnapshots(await read(big(0)), await read(big(0)));
    expect(same.warnings.join(' ')).toMatch(/nothing grew/);
    expect(same.groups).toEqual([]);
  });

  it('validates its options', async () => {
    const s = await read(world(false));
    expect(() => diffHeapSnapshots(s, s, { top: 0 })).toThrow(MemscopeError);
    expect(() => diffHeapSnapshots(s, s, { top: 3, paths: 4 })).toThrow(/paths must be an integer from 0 to 3/);
  });
});

class LeakedRecord {
  readonly body: string;
  constructor(readonly id: number) {
    this.body = `record ${id} `.repeat(8);
  }
}

describe('diffHeapSnapshotFiles on this process', () => {
  it('finds what this process leaked between two real snapshots, and the variable holding it', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-diff-real-'));
    const holder = globalThis as { memscopeDiffTestLeak?: Map<number, LeakedRecord> };
    try {
      holder.memscopeDiffTestLeak = new Map();
      const before = writeHeapSnapshot(join(dir, 'before.heapsnapshot'));
      for (let i = 0; i < 5000; i++) holder.memscopeDiffTestLeak.set(i, new LeakedRecord(i));
      const after = writeHeapSnapshot(join(dir, 'after.heapsnapshot'));
      const diff = await diffHeapSnapshotFiles(before, after);
      expect(diff.groups[0]!.name).toBe('LeakedRecord');
      expect(diff.groups[0]!.newCount).toBe(5000);
      expect(diff.groups[0]!.path!.map((s) => s.edge)).toContain('memscopeDiffTestLeak');
      expect(diff.groups[0]!.heldBy[0]!.holder).toMatch(/memscopeDiffTestLeak\[\]$/);
      expect(diff.warnings).toEqual([]);
    } finally {
      delete holder.memscopeDiffTestLeak;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
