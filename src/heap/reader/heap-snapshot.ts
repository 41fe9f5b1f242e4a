/**
 * A V8 heap snapshot held as columns of typed arrays (struct of arrays): per node its type, name, id, self size
 * and the range of its outgoing edges; per edge its type, name (or index) and target node. Nodes are numbered by
 * their position (0 is the synthetic root), not by V8's object id. About 21 bytes per node and 9 per edge, against
 * hundreds for one JavaScript object each.
 */
export interface HeapSnapshotColumns {
  nodeTypes: readonly string[];
  edgeTypes: readonly string[];
  strings: readonly string[];
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  selfSize: Float64Array;
  /** Edges of node n are `firstEdge[n]` to `firstEdge[n + 1] - 1`. Length nodeCount + 1. */
  firstEdge: Uint32Array;
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  /** Target node (its position, not V8's array offset). */
  edgeTo: Uint32Array;
  /** Source locations V8 recorded (closures): node position, script id, line and column (both 0-based). */
  locations: { node: Uint32Array; scriptId: Uint32Array; line: Uint32Array; column: Uint32Array; count: number };
}

/** Node types memscope treats specially; -1 where a V8 version does not have the type. */
export interface NodeTypeIds {
  hidden: number;
  array: number;
  string: number;
  object: number;
  code: number;
  closure: number;
  regexp: number;
  number: number;
  native: number;
  synthetic: number;
  concatenatedString: number;
  slicedString: number;
  objectShape: number;
}

export interface EdgeTypeIds {
  context: number;
  element: number;
  property: number;
  internal: number;
  hidden: number;
  shortcut: number;
  weak: number;
}

export class HeapSnapshot {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly nodeType: Uint8Array;
  readonly nodeName: Uint32Array;
  readonly nodeId: Uint32Array;
  readonly selfSize: Float64Array;
  readonly firstEdge: Uint32Array;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly strings: readonly string[];
  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];
  readonly locations: HeapSnapshotColumns['locations'];
  readonly type: NodeTypeIds;
  readonly edge: EdgeTypeIds;

  constructor(columns: HeapSnapshotColumns) {
    this.nodeType = columns.nodeType;
    this.nodeName = columns.nodeName;
    this.nodeId = columns.nodeId;
    this.selfSize = columns.selfSize;
    this.firstEdge = columns.firstEdge;
    this.edgeType = columns.edgeType;
    this.edgeName = columns.edgeName;
    this.edgeTo = columns.edgeTo;
    this.strings = columns.strings;
    this.nodeTypes = columns.nodeTypes;
    this.edgeTypes = columns.edgeTypes;
    this.locations = columns.locations;
    this.nodeCount = columns.nodeId.length;
    this.edgeCount = columns.edgeTo.length;
    const n = (name: string): number => columns.nodeTypes.indexOf(name);
    this.type = {
      hidden: n('hidden'),
      array: n('array'),
      string: n('string'),
      object: n('object'),
      code: n('code'),
      closure: n('closure'),
      regexp: n('regexp'),
      number: n('number'),
      native: n('native'),
      synthetic: n('synthetic'),
      concatenatedString: n('concatenated string'),
      slicedString: n('sliced string'),
      objectShape: n('object shape'),
    };
    const e = (name: string): number => columns.edgeTypes.indexOf(name);
    this.edge = {
      context: e('context'),
      element: e('element'),
      property: e('property'),
      internal: e('internal'),
      hidden: e('hidden'),
      shortcut: e('shortcut'),
      weak: e('weak'),
    };
  }

  /** The node's name: a constructor for objects, the text for strings, the function name for closures. */
  name(node: number): string {
    return this.strings[this.nodeName[node] ?? 0] ?? '';
  }

  typeName(node: number): string {
    return this.nodeTypes[this.nodeType[node] ?? 0] ?? 'unknown';
  }

  /** An edge as it reads in a retainer path: a property name, `[3]` for elements and hidden slots. */
  edgeLabel(edge: number): string {
    const type = this.edgeType[edge];
    const name = this.edgeName[edge] ?? 0;
    if (type === this.edge.element || type === this.edge.hidden) return `[${name}]`;
    return this.strings[name] ?? `[${name}]`;
  }

  /** Total of all self sizes: what the snapshot holds. */
  totalSize(): number {
    let total = 0;
    for (let i = 0; i < this.nodeCount; i++) total += this.selfSize[i] ?? 0;
    return total;
  }
}
