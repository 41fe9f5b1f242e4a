import type { SourceLocation } from '../diff/closure-locations.js';
import type { PathStep } from '../graph/retainer-paths.js';

/** A retainer path as it is shown: runs of the same step (a linked list) folded into one with a count. */
export interface ShownStep {
  edge: string;
  /** How the edge reads: 'variable' (a scope's variable), 'property', 'element', 'internal' ... */
  edgeKind: string;
  node: string;
  nodeType: string;
  id: number;
  location?: SourceLocation;
  repeat: number;
}

const EDGE_KINDS: Record<string, string> = { context: 'variable', property: 'property', element: 'element', internal: 'internal', hidden: 'hidden', shortcut: 'shortcut', weak: 'weak' };

export function foldPath(path: readonly PathStep[]): ShownStep[] {
  const out: ShownStep[] = [];
  for (const step of path) {
    const edgeKind = EDGE_KINDS[step.edgeType] ?? step.edgeType;
    const prev = out.at(-1);
    // `[12]` and `[13]` are the same step for folding; named edges fold only with the same name.
    const key = (edge: string): string => (/^\[\d+\]$/.test(edge) ? '[]' : edge);
    if (prev !== undefined && key(prev.edge) === key(step.edge) && prev.node === step.node.name && prev.nodeType === step.node.type) {
      prev.repeat++;
      continue;
    }
    out.push({ edge: step.edge, edgeKind, node: step.node.name, nodeType: step.node.type, id: step.node.id, ...(step.node.location && { location: step.node.location }), repeat: 1 });
  }
  return out;
}

/** A node as a path shows it: its name (shortened; strings are shown quoted), and `(closure)` for functions. */
export function nodeLabel(step: Pick<ShownStep, 'node' | 'nodeType'>): string {
  const name = step.node.length > 80 ? `${step.node.slice(0, 77)}...` : step.node;
  // A string's name is its text; a concatenated or sliced one is named by its kind, '(concatenated string)'.
  if (step.nodeType === 'string' || ((step.nodeType === 'concatenated string' || step.nodeType === 'sliced string') && !name.startsWith('('))) return JSON.stringify(name);
  if (step.nodeType === 'closure') return `${name === '' ? '(anonymous)' : name}() (closure)`;
  if (step.nodeType === 'array') return name === '' ? '(internal array)' : name;
  return name === '' ? `(${step.nodeType})` : name;
}

export function locationLabel(location: SourceLocation): string {
  return `${location.script}:${location.line}:${location.column}`;
}
