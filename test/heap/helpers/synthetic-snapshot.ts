import { Readable } from 'node:stream';

/**
 * Builds `.heapsnapshot` JSON text from a small graph, in V8's format (Node 20's seven node fields by default, or
 * Node 24's six), so tests can state exactly which objects exist, who holds them and which ids they carry.
 */
export interface SyntheticNode {
  type: string;
  name: string;
  id: number;
  size?: number;
}
export interface SyntheticEdge {
  from: number;
  to: number;
  type?: string;
  /** Property or variable name; a number for element and hidden edges. */
  name?: string | number;
}

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

export function syntheticSnapshot(
  nodes: SyntheticNode[],
  edges: SyntheticEdge[],
  options: { fields?: 'node20' | 'node24'; locations?: Array<{ node: number; script: number; line: number; column: number }>; extraStrings?: string[] } = {},
): string {
  const node24 = options.fields === 'node24';
  const nodeFields = node24 ? ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'] : ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'];
  const strings: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  for (const s of options.extraStrings ?? []) str(s);
  const width = nodeFields.length;
  const byNode = nodes.map(() => [] as SyntheticEdge[]);
  for (const e of edges) byNode[e.from]!.push(e);
  const nodeRows = nodes.map((n, i) => {
    const row = [NODE_TYPES.indexOf(n.type), str(n.name), n.id, n.size ?? 0, byNode[i]!.length];
    if (!node24) row.push(0);
    row.push(0);
    if (row[0]! < 0) throw new Error(`unknown node type ${n.type}`);
    return row.join(',');
  });
  const edgeRows = byNode.flat().map((e) => {
    const type = e.type ?? 'property';
    const numeric = type === 'element' || type === 'hidden';
    const name = numeric ? Number(e.name ?? 0) : str(String(e.name ?? ''));
    return [EDGE_TYPES.indexOf(type), name, e.to * width].join(',');
  });
  const locations = (options.locations ?? []).map((l) => [l.node * width, l.script, l.line, l.column].join(','));
  const meta = {
    node_fields: nodeFields,
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  };
  return (
    `{"snapshot":${JSON.stringify({ meta, node_count: nodes.length, edge_count: edges.length, trace_function_count: 0 })},\n` +
    `"nodes":[${nodeRows.join('\n,')}],\n"edges":[${edgeRows.join('\n,')}],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n` +
    `"locations":[${locations.join('\n,')}],\n"strings":[${strings.map((s) => JSON.stringify(s)).join('\n,')}]}`
  );
}

/** The text as a stream of chunks of the given sizes (cycled), to cut tokens at every possible place. */
export function chunked(text: string, sizes: number[]): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(chunks);
}

/** The graph every process has at its top: the synthetic root, (GC roots) and a global object. */
export function rootNodes(): SyntheticNode[] {
  return [
    { type: 'synthetic', name: '', id: 1 },
    { type: 'synthetic', name: '(GC roots)', id: 3 },
    { type: 'object', name: 'global', id: 5, size: 100 },
  ];
}
export function rootEdges(): SyntheticEdge[] {
  return [
    { from: 0, to: 1, type: 'element', name: 1 },
    { from: 0, to: 2, type: 'shortcut', name: '2' },
    { from: 1, to: 2, type: 'element', name: 1 },
  ];
}
