import type { HeapSnapshot } from '../reader/heap-snapshot.js';

/**
 * Where a closure's function is defined (for an object, its constructor): the script's URL or path, and the 1-based
 * line and column editors show.
 */
export interface SourceLocation {
  script: string;
  line: number;
  column: number;
}

/**
 * Source locations of closures. V8 records `(script id, line, column)` per closure in the snapshot's `locations`;
 * the script's name is not there but on the heap: closure -shared-> SharedFunctionInfo -script-> Script, whose
 * node name is the URL (the edge is `script_or_debug_info` in V8 11-13, `script` in others).
 */
export class ClosureLocations {
  private readonly index = new Map<number, number>();
  private readonly scripts = new Map<number, string>();

  constructor(private readonly s: HeapSnapshot) {
    const { node, count } = s.locations;
    for (let i = 0; i < count; i++) this.index.set(node[i] ?? 0, i);
  }

  of(node: number): SourceLocation | undefined {
    const i = this.index.get(node);
    if (i === undefined) return undefined;
    const { scriptId, line, column } = this.s.locations;
    const id = scriptId[i] ?? 0;
    let script = this.scripts.get(id);
    if (script === undefined) {
      script = this.scriptName(node) ?? this.scriptOfAnyClosure(id) ?? `script #${id}`;
      this.scripts.set(id, script);
    }
    return { script, line: (line[i] ?? 0) + 1, column: (column[i] ?? 0) + 1 };
  }

  /** V8 also records locations for objects (their constructor's): their script is found through a closure. */
  private scriptOfAnyClosure(id: number): string | undefined {
    const { node, scriptId, count } = this.s.locations;
    let tries = 0;
    for (let i = 0; i < count && tries < 50; i++) {
      const n = node[i] ?? 0;
      if (scriptId[i] !== id || this.s.nodeType[n] !== this.s.type.closure) continue;
      tries++;
      const name = this.scriptName(n);
      if (name !== undefined) return name;
    }
    return undefined;
  }

  private scriptName(closure: number): string | undefined {
    const shared = this.follow(closure, ['shared']);
    let script = shared === undefined ? undefined : this.follow(shared, ['script_or_debug_info', 'script']);
    // A function being debugged points at its DebugInfo, which points at the Script.
    if (script !== undefined && this.s.name(script).startsWith('system / ')) script = this.follow(script, ['script']);
    const name = script === undefined ? '' : this.s.name(script);
    return name === '' || name.startsWith('system / ') ? undefined : name;
  }

  private follow(node: number, names: string[]): number | undefined {
    const s = this.s;
    const end = s.firstEdge[node + 1] ?? 0;
    for (const name of names) {
      for (let e = s.firstEdge[node] ?? 0; e < end; e++) {
        if (s.edgeType[e] !== s.edge.element && s.edgeType[e] !== s.edge.hidden && s.strings[s.edgeName[e] ?? 0] === name) return s.edgeTo[e];
      }
    }
    return undefined;
  }
}
