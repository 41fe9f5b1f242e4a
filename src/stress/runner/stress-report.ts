import { diffText } from '../../heap/output/diff-text.js';
import { formatBytes } from '../../internal/units.js';
import { heapDiffLine, type HeapDiffSection } from '../../report/heap-diff-section.js';
import { reportHeader } from '../../report/report-header.js';
import type { Assertion, MemoryTestReport } from '../../report/report-model.js';
import type { PhaseInterval } from '../../sdk/phases/phase-intervals.js';
import type { MemorySample } from '../../sdk/types.js';
import type { LoadProfile } from '../load-profiles.js';
import { stageAt, type StageSpan } from './arrivals.js';
import type { ClientSummary } from './client-stats.js';
import type { MemoryReading } from './metrics-scrape.js';
import type { MemorySummary, ThresholdResult } from './thresholds.js';

/** What a stress run measured, before it becomes a report. */
export interface StressResult {
  profile: LoadProfile;
  target: string;
  /** Epoch ms when the load started and ended. */
  startedAt: number;
  endedAt: number;
  interrupted: boolean;
  /** Why the run ended before its plan (the leak verdict), or null. */
  stoppedEarly: string | null;
  /** Null when the target exposes no memscope series: only the client thresholds were judged. */
  memory: MemorySummary | null;
  memoryNote: string | null;
  client: ClientSummary;
  thresholds: ThresholdResult[];
  readings: readonly MemoryReading[];
  stages: readonly StageSpan[];
  /** `--inject-leak 2MiB/s`, when the example service was started with a fault. */
  injected: string | null;
  /** The target's newest heap snapshot pair, diffed (`--heap-snapshots`), or why there is none. */
  heapDiff?: HeapDiffSection;
}

/** The `stress` block of the JSON report: everything a memory-test report has no field for. */
export interface StressSection {
  scenario: string;
  target: string;
  interrupted: boolean;
  stoppedEarly: string | null;
  plannedSeconds: number;
  ranSeconds: number;
  client: ClientSummary;
  memory: MemorySummary | null;
  memoryNote: string | null;
  thresholds: ThresholdResult[];
  verdict: string;
}

/**
 * The run as a memory-test report (kind `memory-test`, `config.stress: true`, one test named after the scenario)
 * plus a `stress` block: `memscope report`, `plot` and `compare` read it as they read any memory-test report, and
 * the pictures come from the charts' own code. Each threshold is an assertion; each stage a phase band.
 */
export function buildStressReport(r: StressResult, verdict: string): MemoryTestReport & { stress: StressSection } {
  const header = reportHeader();
  const passed = r.thresholds.every((t) => t.passed);
  const timeline = toTimeline(r);
  const heapLimit = r.memory?.heapLimitBytes ?? null;
  const name = `${r.profile.name}${r.injected === null ? '' : ` (${r.injected})`}`;
  return {
    ...header,
    // The service's limits, not this process's: the pictures draw them against the service's memory.
    limits: { heapLimitBytes: heapLimit ?? header.limits.heapLimitBytes, containerLimitBytes: r.memory?.containerLimitBytes ?? null },
    kind: 'memory-test',
    config: { stress: true, injectLeak: r.injected, tests: [r.profile.name] },
    passed,
    tests: [
      {
        name,
        description: `${r.profile.purpose} Target: ${r.target}.${r.memoryNote === null ? '' : ` ${r.memoryNote}`}`,
        passed,
        durationSec: (r.endedAt - r.startedAt) / 1000,
        // A ratio has no unit of its own in the report model; the HTML prints it as a plain number.
        assertions: r.thresholds.map((t): Assertion => ({ name: t.name, passed: t.passed, actual: t.actual, limit: t.limit, unit: t.unit as Assertion['unit'], message: t.message })),
        figures: figures(r),
        phases: [],
        phaseIntervals: phaseIntervals(r),
        timeline,
        ...(r.heapDiff === undefined ? {} : { heapDiff: r.heapDiff }),
      },
    ],
    stress: {
      scenario: r.profile.name,
      target: r.target,
      interrupted: r.interrupted,
      stoppedEarly: r.stoppedEarly,
      plannedSeconds: r.stages.at(-1)?.endSeconds ?? 0,
      ranSeconds: (r.endedAt - r.startedAt) / 1000,
      client: r.client,
      memory: r.memory,
      memoryNote: r.memoryNote,
      thresholds: r.thresholds,
      verdict,
    },
  };
}

function toTimeline(r: StressResult): MemorySample[] {
  return r.readings
    .filter((m) => m.rss !== null && m.heapUsed !== null)
    .map((m) => ({
      time: m.time,
      phase: stageAt(r.stages, (m.time - r.startedAt) / 1000)?.label ?? null,
      rss: m.rss ?? 0,
      heapUsed: m.heapUsed ?? 0,
      heapTotal: m.heapTotal ?? 0,
      external: m.external ?? 0,
      arrayBuffers: m.arrayBuffers ?? 0,
    }));
}

function phaseIntervals(r: StressResult): PhaseInterval[] {
  return r.stages
    .map((s) => ({ name: s.label, start: r.startedAt + s.startSeconds * 1000, end: Math.min(r.endedAt, r.startedAt + s.endSeconds * 1000), depth: 0 }))
    .filter((p) => p.end > p.start);
}

function figures(r: StressResult): Record<string, number> {
  const c = r.client;
  const out: Record<string, number> = {
    requests: c.requests,
    failedRequests: c.failedRequests,
    jobsStarted: c.jobsStarted,
    jobsSucceeded: c.outcomes.succeeded,
    droppedArrivals: c.droppedArrivals,
    durationP95Ms: c.durationP95Ms,
    durationP99Ms: c.durationP99Ms,
    turnaroundP95Ms: c.turnaroundP95Ms,
  };
  if (r.memory?.peakRssBytes != null) out.peakRssBytes = r.memory.peakRssBytes;
  if (r.memory?.peakHeapUsedBytes != null) out.peakHeapUsedBytes = r.memory.peakHeapUsedBytes;
  return out;
}

/** The text report: what ran, each threshold with its figure, and the verdict. */
export function formatStressText(report: MemoryTestReport & { stress: StressSection }): string {
  const s = report.stress;
  const c = s.client;
  const lines = [
    `memscope stress — scenario ${s.scenario}${s.interrupted ? ' (INTERRUPTED: partial results)' : ''}`,
    `target: ${s.target}`,
    `ran ${s.ranSeconds.toFixed(1)} s of ${s.plannedSeconds} s planned; ${report.generatedAt}`,
    ...(s.stoppedEarly === null ? [] : [s.stoppedEarly]),
    '',
    `client: ${c.requests} requests (${c.failedRequests} failed), ${c.jobsStarted} jobs started (${c.outcomes.succeeded} succeeded, ${c.outcomes.failed} failed, ${c.outcomes.timed_out} timed out, ${c.outcomes.rejected} rejected), ${c.droppedArrivals} arrivals dropped`,
    `        request duration p50 ${Math.round(c.durationP50Ms)} ms, p95 ${Math.round(c.durationP95Ms)} ms, p99 ${Math.round(c.durationP99Ms)} ms, max ${Math.round(c.durationMaxMs)} ms; job turnaround p95 ${Math.round(c.turnaroundP95Ms)} ms`,
    s.memory === null
      ? `memory: ${s.memoryNote ?? 'not measured'}`
      : `memory: peak RSS ${fmt(s.memory.peakRssBytes)}, peak heap used ${fmt(s.memory.peakHeapUsedBytes)} of a ${fmt(s.memory.heapLimitBytes)} limit${s.memory.firstSuspectedAt === null ? '' : `; the service's leak verdict first said suspected ${((s.memory.firstSuspectedAt - startedAt(report)) / 1000).toFixed(0)} s into the run`}`,
    '',
    'thresholds:',
    ...s.thresholds.map((t) => `  ${t.passed ? 'PASS' : 'FAIL'}  ${t.name.padEnd(40)} ${t.message}`),
    ...heapDiffLines(report.tests[0]?.heapDiff),
    '',
    s.verdict,
  ];
  return `${lines.join('\n')}\n`;
}

/** The diff's line, and its table and paths as `memscope heap-diff` prints them. */
function heapDiffLines(section: HeapDiffSection | undefined): string[] {
  if (section === undefined) return [];
  return ['', heapDiffLine(section), ...(section.diff === null ? [] : ['', ...diffText(section.diff).map((l) => `  ${l}`.trimEnd())])];
}

/** The run's start on the wall clock: its first stage band, else the report's time. */
function startedAt(report: MemoryTestReport): number {
  return report.tests[0]?.phaseIntervals[0]?.start ?? Date.parse(report.generatedAt);
}

const fmt = (v: number | null): string => (v === null ? 'n/a' : formatBytes(v));
