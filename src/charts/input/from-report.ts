import { invalidOption } from '../../internal/errors.js';
import { REPORT_SCHEMA, type MemscopeReport } from '../../report/report-model.js';
import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import { MEMORY_KINDS, type MemoryKind, type MemorySample } from '../../sdk/types.js';
import { timeRange, type BaselinePoint, type ChartRun, type LeakBaselines, type TimelineChartInput } from './chart-input.js';

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

interface NamedRun extends Run {
  name: string;
  short?: string;
  failed: boolean;
  leakBaselines?: LeakBaselines;
}

function fromReport(report: MemscopeReport, selection: ReportSelection): TimelineChartInput {
  const limits = { heapLimitBytes: report.limits.heapLimitBytes, containerLimitBytes: report.limits.containerLimitBytes };
  if (report.kind === 'benchmark') {
    const named = report.iterations.map((it): NamedRun => ({ ...runOf(it), name: `iteration ${it.index}`, short: `#${it.index}`, failed: false }));
    let runs = named;
    let title = `Benchmark: ${report.config.workload}, ${report.iterations.length} × ${report.config.pointsPerIteration} points`;
    if (selection.iteration !== undefined) {
      const i = report.iterations.findIndex((it) => it.index === selection.iteration);
      if (i < 0) throw invalidOption('iteration', `an iteration from 1 to ${report.iterations.length}`, selection.iteration);
      runs = [named[i] as NamedRun];
      title = `Benchmark: ${report.config.workload}, iteration ${selection.iteration} of ${report.iterations.length}`;
    }
    // The benchmark's verdict judged all iterations together: its baselines are the report's.
    return { ...join(runs), limits, title, ...(report.leakBaselines === undefined ? {} : { leakBaselines: report.leakBaselines }) };
  }
  // A report file may hold anything where a name or a verdict should be: what is drawn is always a string.
  let runs = report.tests.map((t): NamedRun => {
    const { name, passed } = t as { name: unknown; passed: unknown };
    return { ...runOf(t), name: typeof name === 'string' ? name : String(name), failed: passed === false, ...(t.leakBaselines === undefined ? {} : { leakBaselines: t.leakBaselines }) };
  });
  const what = report.config.stress ? 'Stress run' : 'Memory tests';
  const failed = runs.filter((r) => r.failed).length;
  // The tests are named above their part of the plot; a title listing them all would not fit.
  let title = runs.length === 1 ? `${report.config.stress ? 'Stress run' : 'Memory test'}: ${runs[0]?.name ?? ''}` : `${what}: ${runs.length} tests${failed > 0 ? `, ${failed} failed` : ''}`;
  if (selection.test !== undefined) {
    const found = runs.find((t) => t.name === selection.test);
    if (found === undefined) throw invalidOption('test', `one of ${report.tests.map((t) => t.name).join(', ')}`, selection.test);
    runs = [found];
    title = `Memory test: ${found.name}`;
  }
  return { ...join(runs), limits, title };
}

/** The timeline and phases of an iteration or a test, whatever the report file holds in their place. */
function runOf(run: Partial<Run>): Run {
  return { timeline: Array.isArray(run.timeline) ? run.timeline : [], phaseIntervals: Array.isArray(run.phaseIntervals) ? run.phaseIntervals : [] };
}

/**
 * Runs that followed each other (iterations, tests) as one timeline: they are already on one wall clock. The runs are
 * kept, so the chart names each and breaks its lines between them.
 */
function join(runs: readonly NamedRun[]): Pick<TimelineChartInput, 'samples' | 'phases' | 'runs' | 'leakBaselines'> {
  const chartRuns: ChartRun[] = [];
  for (const run of runs) {
    const range = timeRange(run.timeline, run.phaseIntervals);
    if (range !== undefined) chartRuns.push({ name: run.name, ...(run.short === undefined ? {} : { short: run.short }), start: range[0], end: range[1], ...(run.failed ? { failed: true } : {}) });
  }
  const baselines = joinBaselines(runs);
  const extra = baselines === undefined ? {} : { leakBaselines: baselines };
  if (runs.length === 1) return { samples: runs[0]?.timeline ?? [], phases: runs[0]?.phaseIntervals ?? [], runs: chartRuns, ...extra };
  const samples: MemorySample[] = [];
  const phases: PhaseInterval[] = [];
  for (const run of runs) {
    // A loop rather than push(...spread): a million-sample timeline would overflow the argument stack.
    for (const s of run.timeline) samples.push(s);
    for (const p of run.phaseIntervals) phases.push(p);
  }
  return { samples, phases, runs: chartRuns, ...extra };
}

function joinBaselines(runs: readonly NamedRun[]): LeakBaselines | undefined {
  const out: Partial<Record<MemoryKind, BaselinePoint[]>> = {};
  let any = false;
  for (const run of runs) {
    const baselines: unknown = run.leakBaselines;
    if (typeof baselines !== 'object' || baselines === null) continue;
    for (const kind of MEMORY_KINDS) {
      const points: unknown = (baselines as Record<string, unknown>)[kind];
      if (!Array.isArray(points)) continue;
      const into = (out[kind] ??= []);
      for (const p of points as BaselinePoint[]) into.push(p);
      any = true;
    }
  }
  return any ? out : undefined;
}
