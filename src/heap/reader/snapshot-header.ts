import { SnapshotSyntaxError } from './byte-source.js';

/**
 * The `snapshot` section: counts and the meta description of the flat arrays. Fields are found by name, not
 * position, because V8 versions differ (Node 20 writes 7 node fields with `trace_node_id`, Node 24 writes 6).
 */
export interface SnapshotHeader {
  nodeCount: number;
  edgeCount: number;
  nodeFields: string[];
  edgeFields: string[];
  locationFields: string[];
  nodeTypes: string[];
  edgeTypes: string[];
  nodeField: { type: number; name: number; id: number; selfSize: number; edgeCount: number };
  edgeField: { type: number; nameOrIndex: number; toNode: number };
  locationField: { objectIndex: number; scriptId: number; line: number; column: number };
}

export function parseHeader(text: string): SnapshotHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SnapshotSyntaxError('the "snapshot" header is not valid JSON');
  }
  const header = raw as { meta?: Record<string, unknown>; node_count?: unknown; edge_count?: unknown } | null;
  const meta = header?.meta;
  if (typeof meta !== 'object') throw new SnapshotSyntaxError('the "snapshot" header has no "meta"');
  const nodeFields = stringList(meta.node_fields, 'node_fields');
  const edgeFields = stringList(meta.edge_fields, 'edge_fields');
  const locationFields = meta.location_fields === undefined ? ['object_index', 'script_id', 'line', 'column'] : stringList(meta.location_fields, 'location_fields');
  const field = (fields: string[], name: string, list: string): number => {
    const i = fields.indexOf(name);
    if (i < 0) throw new SnapshotSyntaxError(`meta.${list} has no "${name}"`);
    return i;
  };
  const nodeTypes = typeNames(meta.node_types, nodeFields.indexOf('type'), 'node_types');
  const edgeTypes = typeNames(meta.edge_types, edgeFields.indexOf('type'), 'edge_types');
  if (nodeTypes.length > 256 || edgeTypes.length > 256) throw new SnapshotSyntaxError('more than 256 node or edge types');
  return {
    nodeCount: count(header?.node_count, 'node_count'),
    edgeCount: count(header?.edge_count, 'edge_count'),
    nodeFields,
    edgeFields,
    locationFields,
    nodeTypes,
    edgeTypes,
    nodeField: {
      type: field(nodeFields, 'type', 'node_fields'),
      name: field(nodeFields, 'name', 'node_fields'),
      id: field(nodeFields, 'id', 'node_fields'),
      selfSize: field(nodeFields, 'self_size', 'node_fields'),
      edgeCount: field(nodeFields, 'edge_count', 'node_fields'),
    },
    edgeField: {
      type: field(edgeFields, 'type', 'edge_fields'),
      nameOrIndex: field(edgeFields, 'name_or_index', 'edge_fields'),
      toNode: field(edgeFields, 'to_node', 'edge_fields'),
    },
    locationField: {
      objectIndex: field(locationFields, 'object_index', 'location_fields'),
      scriptId: field(locationFields, 'script_id', 'location_fields'),
      line: field(locationFields, 'line', 'location_fields'),
      column: field(locationFields, 'column', 'location_fields'),
    },
  };
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v): v is string => typeof v === 'string')) {
    throw new SnapshotSyntaxError(`meta.${name} is not a list of names`);
  }
  return value;
}

/** `node_types[typeField]` is the list of type names (the other entries describe the other fields). */
function typeNames(value: unknown, typeField: number, name: string): string[] {
  const types: unknown = Array.isArray(value) ? value[typeField] : undefined;
  return stringList(types, `${name}[${typeField}]`);
}

function count(value: unknown, name: string): number {
  // Typed arrays are indexed by 32-bit numbers; V8 itself cannot write more nodes than that.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_fffe) {
    throw new SnapshotSyntaxError(`"${name}" is not a count: ${JSON.stringify(value)}`);
  }
  return value;
}
