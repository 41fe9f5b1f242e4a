import type { RunInfo } from './comparable.js';

/**
 * What a configuration difference does to a comparison: `refuse` — the runs did different work, so their figures
 * differ for that reason alone (compare exits MEMSCOPE_E_NOT_COMPARABLE unless forced); `flag` — a legitimate
 * comparison whose figures may differ for this reason, said in the output's header.
 */
export type ConfigAction = 'refuse' | 'flag';

export interface ConfigDifference {
  /** The RunInfo field. */
  field: keyof RunInfo;
  /** What it is, for people: "points per iteration". */
  label: string;
  /** The values as printed; null when a report does not record it. */
  baseline: string | null;
  current: string | null;
  action: ConfigAction;
  why: string;
}

interface Rule {
  field: keyof RunInfo;
  label: string;
  action: ConfigAction;
  why: string;
}

/** The decision, field by field (docs/reports.md, "Comparing reports", explains each). Order is the output's. */
export const CONFIG_RULES: readonly Rule[] = [
  { field: 'workload', label: 'workload', action: 'refuse', why: 'a different workload does different work' },
  { field: 'pointsPerIteration', label: 'points per iteration', action: 'refuse', why: 'time and memory grow with the points processed' },
  { field: 'batchSize', label: 'batch size', action: 'refuse', why: 'phases run once per batch: their counts, times and heap deltas change with it' },
  { field: 'iterations', label: 'iterations', action: 'flag', why: 'the first (warm-up) iteration weighs differently in the means; the statistics account for the counts' },
  { field: 'seed', label: 'seed', action: 'flag', why: 'different generated points of the same shape' },
  { field: 'faults', label: 'injected faults', action: 'flag', why: 'a run was degraded on purpose' },
  { field: 'node', label: 'Node.js', action: 'flag', why: 'a legitimate question ("did upgrading Node regress?"), but figures may differ for the runtime alone' },
  { field: 'machine', label: 'machine', action: 'flag', why: 'time depends on the CPU; memory on the platform' },
  { field: 'heapLimit', label: 'heap limit', action: 'flag', why: 'V8 collects garbage differently under a different limit' },
  { field: 'containerLimit', label: 'container limit', action: 'flag', why: 'V8 sizes its heap from the container limit' },
  { field: 'memscopeVersion', label: 'memscope version', action: 'flag', why: 'how figures are measured may have changed' },
];

function shown(value: RunInfo[keyof RunInfo]): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join('; ');
  return String(value);
}

/**
 * Where two runs' configurations differ, each difference refused or flagged. A field one report does not record
 * (the original text format records only iterations and points) cannot be checked: a refusing field is then flagged
 * as unchecked, a flagging field is left out.
 */
export function configDifferences(a: RunInfo, b: RunInfo): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  for (const rule of CONFIG_RULES) {
    const [va, vb] = [shown(a[rule.field]), shown(b[rule.field])];
    if (va === vb) continue;
    if (va === null || vb === null) {
      if (rule.action === 'refuse') {
        out.push({ ...rule, baseline: va, current: vb, action: 'flag', why: `not recorded in the ${va === null ? 'baseline' : 'current'} report, so not checked` });
      }
      continue;
    }
    out.push({ ...rule, baseline: va, current: vb });
  }
  return out;
}
