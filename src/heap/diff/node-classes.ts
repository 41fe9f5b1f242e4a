import type { HeapSnapshot } from '../reader/heap-snapshot.js';

/**
 * The group ("class") each node is counted under: the constructor name for objects and native objects, the
 * function name for closures (`(closure) onRequest`), and one group per kind for V8's own structures ('(string)',
 * '(array)', '(compiled code)', ...) — Chrome DevTools' summary view, with closures told apart by name.
 */
export interface NodeClasses {
  /** Class id of each node; NO_CLASS for the synthetic roots, which are no allocation. */
  classOf: Uint32Array;
  names: string[];
  /** V8's internal structures (backing stores, hash tables, contexts, code, shapes), by class id. */
  internal: boolean[];
}

export const NO_CLASS = 0xffff_ffff;

/** Class names shared between two snapshots, so the same constructor has the same id in both. */
export class ClassTable {
  readonly names: string[] = [];
  readonly internal: boolean[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string, internal: boolean): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.internal.push(internal);
    }
    return id;
  }

  classify(s: HeapSnapshot): NodeClasses {
    const t = s.type;
    const byType = new Map<number, number>();
    const fixed = (type: number, name: string, internal: boolean): void => {
      if (type >= 0) byType.set(type, this.id(name, internal));
    };
    fixed(t.string, '(string)', false);
    fixed(t.concatenatedString, '(string)', false);
    fixed(t.slicedString, '(string)', false);
    fixed(t.number, '(number)', false);
    fixed(t.regexp, '(regexp)', false);
    fixed(t.code, '(compiled code)', true);
    fixed(t.hidden, '(system)', true);
    fixed(t.objectShape, '(object shape)', true);
    for (const [i, name] of s.nodeTypes.entries()) {
      if (!byType.has(i) && i !== t.object && i !== t.native && i !== t.closure && i !== t.array && i !== t.synthetic) fixed(i, `(${name})`, false);
    }
    // Named kinds: one lookup per distinct name string, not per node.
    const byName = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
    const classOf = new Uint32Array(s.nodeCount);
    for (let node = 0; node < s.nodeCount; node++) {
      const type = s.nodeType[node] ?? 0;
      const fixedId = byType.get(type);
      if (fixedId !== undefined) {
        classOf[node] = fixedId;
        continue;
      }
      const kind = type === t.closure ? 0 : type === t.array ? 1 : type === t.object || type === t.native ? 2 : -1;
      if (kind < 0) {
        classOf[node] = NO_CLASS;
        continue;
      }
      const nameIndex = s.nodeName[node] ?? 0;
      const memo = byName[kind] ?? new Map<number, number>();
      let id = memo.get(nameIndex);
      if (id === undefined) {
        id = this.namedClass(kind, s.strings[nameIndex] ?? '');
        memo.set(nameIndex, id);
      }
      classOf[node] = id;
    }
    return { classOf, names: this.names, internal: this.internal };
  }

  private namedClass(kind: number, name: string): number {
    if (kind === 0) return this.id(`(closure) ${name === '' ? '(anonymous)' : name}`, false);
    // Arrays are V8 backing stores: '(object elements)', '(object properties)', or unnamed hash tables.
    if (kind === 1) return this.id(name.startsWith('(') ? name : '(array)', true);
    return this.id(name === '' ? '(anonymous object)' : name, name.startsWith('system / '));
  }
}
