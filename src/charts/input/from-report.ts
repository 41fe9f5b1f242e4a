import { invalidOption } from '../../internal/errors.js';
import { REPORT_SCHEMA, type MemscopeReport } from '../../report/report-model.js';
import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import type { MemorySample } from '../../sdk/types.js';
import type { TimelineChartInput } from './chart-input.js';

/** Which part of a report to draw. @default every iteration (benchmark) or every test (memory test), in order */
export interface ReportSelection {
  /** A benchmark iteration, 1-based. */
  iteration?: number;
  /** A memory test, by name. */
  test?: string;
}

/** Anything the charts accept: a timeline, a prepared input or a JSON report. */
export type ChartSource = readonly MemorySample[] | TimelineChartInput | MemscopeReport;

export function isReport(source: unknown): source is MemscopeReport {
  return typeof source === 'object' && source !== null && (source as { schema?: unknown }).schema === REPORT_SCHEMA;
}

/** The chart input for any source. Throws MEMSCOPE_E_INVALID_OPTION when `selection` names nothing in the report. */
export function toChartInput(source: ChartSource, selection: ReportSelection = {}): TimelineChartInput {
  if (Array.isArray(source)) return { samples: source as readonly MemorySample[] };
  if (isReport(source)) return fromReport(source, selection);
  return source as TimelineChartInput;
}

interface Run {
  timeline: MemorySample[];
  phaseIntervals: PhaseInterval[];
}

function fromReport(report: MemscopeReport, selection: ReportSelection): TimelineChartInput {
  const limits = { heapLimitBytes: report.limits.heapLimitBytes, containerLimitBytes: report.limits.containerLimitBytes };
  if (report.kind === 'benchmark') {
    let runs: Run[] = report.iterations;
    let title = `Benchmark: ${report.config.workload}, ${report.iterations.length} × ${report.config.pointsPerIteration} points`;
    if (selection.iteration !== undefined) {
      const found = report.iterations.find((it) => it.index === selection.iteration);
      if (found === undefined) throw invalidOption('iteration', `an iteration from 1 to ${report.iterations.length}`, selection.iteration);
      runs = [found];
      title = `Benchmark: ${report.config.workload}, iteration ${found.index} of ${report.iterations.length}`;
    }
    return { ...join(runs), limits, title };
  }
  let runs: (Run & { name: string })[] = report.tests;
  let title = report.config.stress ? 'Stress run' : `Memory tests: ${report.tests.map((t) => t.name).join(', ')}`;
  if (selection.test !== undefined) {
    const found = report.tests.find((t) => t.name === selection.test);
    if (found === undefined) throw invalidOption('test', `one of ${report.tests.map((t) => t.name).join(', ')}`, selection.test);
    runs = [found];
    title = `Memory test: ${found.name}`;
  }
  return { ...join(runs), limits, title };
}

/** Runs that followed each other (iterations, tests) as one timeline: they are already on one wall clock. */
function join(runs: readonly Run[]): { samples: MemorySample[]; phases: PhaseInterval[] } {
  if (runs.length === 1) return { samples: runs[0]?.timeline ?? [], phases: runs[0]?.phaseIntervals ?? [] };
  const samples: MemorySample[] = [];
  const phases: PhaseInterval[] = [];
  for (const run of runs) {
    // A loop rather than push(...spread): a million-sample timeline would overflow the argument stack.
    for (const s of run.timeline) samples.push(s);
    for (const p of run.phaseIntervals) phases.push(p);
  }
  return { samples, phases };
}
