import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { errorMessage, MemscopeError } from '../../internal/errors.js';
import { ByteSource, SnapshotSyntaxError } from './byte-source.js';
import { HeapSnapshot, type HeapSnapshotColumns } from './heap-snapshot.js';
import { readIntArray, readKey, readStringArray, skipValue, type Column, type ColumnTargets } from './json-scan.js';
import { parseHeader, type SnapshotHeader } from './snapshot-header.js';

/** Chunk size of file reads: large enough that per-chunk work vanishes, small enough to stay out of the peak. */
const CHUNK_BYTES = 1 << 20;

/**
 * Reads a `.heapsnapshot` (a path, or any stream of its bytes such as `v8.getHeapSnapshot()`) without parsing it
 * whole: the node and edge arrays are streamed into typed arrays sized from the header. Throws
 * MEMSCOPE_E_SNAPSHOT_UNREADABLE when the file cannot be read and MEMSCOPE_E_SNAPSHOT_CORRUPT when it is not a
 * complete V8 heap snapshot.
 */
export async function readHeapSnapshot(input: string | AsyncIterable<unknown>, label = typeof input === 'string' ? input : 'heap snapshot'): Promise<HeapSnapshot> {
  let stream: AsyncIterable<unknown>;
  if (typeof input === 'string') {
    try {
      const info = await stat(input);
      if (!info.isFile()) throw new Error('not a file');
    } catch (error) {
      throw new MemscopeError('MEMSCOPE_E_SNAPSHOT_UNREADABLE', `cannot read heap snapshot ${input}: ${errorMessage(error)}`, { cause: error });
    }
    stream = createReadStream(input, { highWaterMark: CHUNK_BYTES });
  } else {
    stream = input;
  }
  const src = new ByteSource(stream);
  try {
    return await parse(src);
  } catch (error) {
    if (error instanceof SnapshotSyntaxError) {
      throw new MemscopeError('MEMSCOPE_E_SNAPSHOT_CORRUPT', `${label} is not a complete V8 heap snapshot: ${error.message}`, { cause: error });
    }
    if (error instanceof MemscopeError) throw error;
    throw new MemscopeError('MEMSCOPE_E_SNAPSHOT_UNREADABLE', `cannot read heap snapshot ${label}: ${errorMessage(error)}`, { cause: error });
  } finally {
    await src.close().catch(() => undefined);
  }
}

async function parse(src: ByteSource): Promise<HeapSnapshot> {
  await src.expect(0x7b, 'a JSON object ("{")');
  let header: SnapshotHeader | undefined;
  let nodes: NodeColumns | undefined;
  let edges: EdgeColumns | undefined;
  let strings: string[] | undefined;
  let locations: HeapSnapshotColumns['locations'] = { node: new Uint32Array(0), scriptId: new Uint32Array(0), line: new Uint32Array(0), column: new Uint32Array(0), count: 0 };
  for (;;) {
    const key = await readKey(src);
    await src.expect(0x3a, '":"');
    if (key === 'snapshot') {
      header = parseHeader(await skipValue(src, true));
    } else if (key === 'nodes') {
      nodes = await readNodes(src, requireHeader(header, key));
    } else if (key === 'edges') {
      edges = await readEdges(src, requireHeader(header, key));
    } else if (key === 'locations') {
      locations = await readLocations(src, requireHeader(header, key));
    } else if (key === 'strings') {
      strings = await readStringArray(src);
    } else {
      await skipValue(src);
    }
    const c = await src.peekSignificant();
    src.pos++;
    if (c === 0x7d) break;
    if (c !== 0x2c) throw new SnapshotSyntaxError(`expected "," or "}" after "${key}" at byte ${src.position() - 1}`);
  }
  if (header === undefined || nodes === undefined || edges === undefined || strings === undefined) {
    throw new SnapshotSyntaxError('the "snapshot", "nodes", "edges" or "strings" section is missing');
  }
  finishEdges(edges.edgeTo, header, nodes.firstEdge);
  if (locations.count > 0) toNodePositions(locations.node, locations.count, header);
  return new HeapSnapshot({ ...nodes, ...edges, strings, locations, nodeTypes: header.nodeTypes, edgeTypes: header.edgeTypes });
}

function noColumns(width: number): Array<Column | undefined> {
  return Array.from({ length: width }, () => undefined);
}

function requireHeader(header: SnapshotHeader | undefined, key: string): SnapshotHeader {
  if (header === undefined) throw new SnapshotSyntaxError(`"${key}" comes before the "snapshot" header`);
  return header;
}

type NodeColumns = Pick<HeapSnapshotColumns, 'nodeType' | 'nodeName' | 'nodeId' | 'selfSize' | 'firstEdge'>;
type EdgeColumns = Pick<HeapSnapshotColumns, 'edgeType' | 'edgeName' | 'edgeTo'>;

async function readNodes(src: ByteSource, h: SnapshotHeader): Promise<NodeColumns> {
  const n = h.nodeCount;
  const columns: NodeColumns = {
    nodeType: new Uint8Array(n),
    nodeName: new Uint32Array(n),
    nodeId: new Uint32Array(n),
    selfSize: new Float64Array(n),
    // edge_count is parsed into the prefix-sum array and summed in place below.
    firstEdge: new Uint32Array(n + 1),
  };
  const targets: ColumnTargets = { width: h.nodeFields.length, columns: noColumns(h.nodeFields.length), rows: n };
  targets.columns[h.nodeField.type] = columns.nodeType;
  targets.columns[h.nodeField.name] = columns.nodeName;
  targets.columns[h.nodeField.id] = columns.nodeId;
  targets.columns[h.nodeField.selfSize] = columns.selfSize;
  targets.columns[h.nodeField.edgeCount] = columns.firstEdge;
  const count = await readIntArray(src, targets);
  if (count !== n * h.nodeFields.length) throw new SnapshotSyntaxError(`"nodes" holds ${count} numbers; the header announces ${n} nodes of ${h.nodeFields.length}`);
  // Counts to start offsets: firstEdge[i] = sum of the counts before i; the total lands in firstEdge[n].
  let sum = 0;
  const first = columns.firstEdge;
  for (let i = 0; i < n; i++) {
    const edgesOfNode = first[i] ?? 0;
    first[i] = sum;
    sum += edgesOfNode;
  }
  first[n] = sum;
  if (sum !== h.edgeCount) throw new SnapshotSyntaxError(`the nodes' edge counts add up to ${sum}; the header announces ${h.edgeCount} edges`);
  return columns;
}

async function readEdges(src: ByteSource, h: SnapshotHeader): Promise<EdgeColumns> {
  const m = h.edgeCount;
  const columns: EdgeColumns = { edgeType: new Uint8Array(m), edgeName: new Uint32Array(m), edgeTo: new Uint32Array(m) };
  const targets: ColumnTargets = { width: h.edgeFields.length, columns: noColumns(h.edgeFields.length), rows: m };
  targets.columns[h.edgeField.type] = columns.edgeType;
  targets.columns[h.edgeField.nameOrIndex] = columns.edgeName;
  targets.columns[h.edgeField.toNode] = columns.edgeTo;
  const count = await readIntArray(src, targets);
  if (count !== m * h.edgeFields.length) throw new SnapshotSyntaxError(`"edges" holds ${count} numbers; the header announces ${m} edges of ${h.edgeFields.length}`);
  return columns;
}

/** V8 stores an edge's target as an offset into the flat nodes array; memscope uses the node's position. */
function finishEdges(edgeTo: Uint32Array, h: SnapshotHeader, firstEdge: Uint32Array): void {
  if (firstEdge[h.nodeCount] !== edgeTo.length) throw new SnapshotSyntaxError('the "edges" section does not match the nodes');
  toNodePositions(edgeTo, edgeTo.length, h);
}

function toNodePositions(offsets: Uint32Array, count: number, h: SnapshotHeader): void {
  const width = h.nodeFields.length;
  const limit = h.nodeCount * width;
  for (let i = 0; i < count; i++) {
    const offset = offsets[i] ?? 0;
    if (offset >= limit || offset % width !== 0) throw new SnapshotSyntaxError(`a reference to node offset ${offset} points outside the ${h.nodeCount} nodes`);
    offsets[i] = offset / width;
  }
}

async function readLocations(src: ByteSource, h: SnapshotHeader): Promise<HeapSnapshotColumns['locations']> {
  let rows = 1024;
  const make = (size: number): Uint32Array[] => [0, 1, 2, 3].map(() => new Uint32Array(size));
  let cols = make(rows);
  const targets: ColumnTargets = { width: h.locationFields.length, columns: noColumns(h.locationFields.length), rows, signed: true };
  const assign = (): void => {
    targets.columns[h.locationField.objectIndex] = cols[0];
    targets.columns[h.locationField.scriptId] = cols[1];
    targets.columns[h.locationField.line] = cols[2];
    targets.columns[h.locationField.column] = cols[3];
  };
  assign();
  targets.grow = () => {
    const bigger = make(rows * 2);
    bigger.forEach((col, i) => { col.set(cols[i] ?? new Uint32Array(0)); });
    cols = bigger;
    rows *= 2;
    targets.rows = rows;
    assign();
  };
  const read = Math.floor((await readIntArray(src, targets)) / h.locationFields.length);
  const [node, scriptId, line, column] = cols as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  // A location V8 could not place (-1 for its script, line or column, wrapped in these unsigned columns) says
  // nothing: it is left out, as if V8 had not written it.
  const UNKNOWN = 0x80000000;
  let count = 0;
  for (let i = 0; i < read; i++) {
    if ((scriptId[i] ?? 0) >= UNKNOWN || (line[i] ?? 0) >= UNKNOWN || (column[i] ?? 0) >= UNKNOWN) continue;
    node[count] = node[i] ?? 0;
    scriptId[count] = scriptId[i] ?? 0;
    line[count] = line[i] ?? 0;
    column[count] = column[i] ?? 0;
    count++;
  }
  return { node, scriptId, line, column, count };
}
