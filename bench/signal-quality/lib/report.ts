// Turns results (runs and replays) into docs/signal-quality.md. Pure: text in, text out, so the tables are tested.
import type { RunResult } from './run-one.js';
import { findShape, SHAPES, type Setting } from './shapes.js';

export interface ReplayResult {
  key: string;
  trace: string;
  /** A short recording replayed as recorded, to compare with the live verdict (not a slow-leak target). */
  fidelity?: boolean;
  shape: string | null;
  kind: 'leak' | 'healthy' | null;
  setting: string | null;
  nominalBytesPerSec: number | null;
  recordedS: number;
  replayedS: number;
  hours: number;
  copies: number;
  carryBytesPerHour: Record<string, number>;
  scrapes: number;
  flaggedScrapes: number;
  firstFlagS: number | null;
  firstFlagBasis: string | null;
  flaggedBy: Record<string, number>;
  gcBatches: number;
  samples: number;
  nsPerRecord: number;
  nsPerVerdict: number;
  wallMs: number;
  detectorBytes: number | null;
  /** The recording's effective leak rate (heap + external between forced full GCs), when known. */
  effectiveBytesPerSec?: number | null;
  /** What the live detector (of build `dist`) said while the trace was recorded, when known. */
  live?: { firstFlagS: number | null; flaggedScrapes: number; scrapes: number; dist: string } | null;
  dist: string;
  replayedAt: string;
}

/** The replay targets: a 16 KiB/s leak flagged within 1 h, 4 KiB/s within 6 h (issue [5/11]). */
export function replayTargetS(nominalBytesPerSec: number | null): number | null {
  if (nominalBytesPerSec === null) return null;
  if (nominalBytesPerSec >= 16 * 1024) return 3600;
  if (nominalBytesPerSec >= 4 * 1024) return 6 * 3600;
  return null;
}

export interface LeakRow {
  shape: string;
  setting: Setting;
  description: string;
  nominalBytesPerSec: number | null;
  effectiveBytesPerSec: number | null;
  runs: number;
  required: number;
  flagged: number;
  medianS: number | null;
  /** The slowest flag, or null when a run missed (then the worst is a miss). */
  worstS: number | null;
  misses: number;
  late: number;
  droppedLater: number;
  exitedEarly: number;
  targetS: number | null;
  met: 'met' | 'not met' | 'partial';
  achievedRate: number | null;
}

export interface HealthyRow {
  shape: string;
  setting: Setting;
  description: string;
  runs: number;
  required: number;
  runsFlagged: number;
  flaggedScrapes: number;
  scrapes: number;
  firstFalseS: number | null;
  effectiveBytesPerSec: number | null;
  met: 'met' | 'not met' | 'partial';
  achievedRate: number | null;
}

export const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function groups(results: readonly RunResult[]): Map<string, RunResult[]> {
  const by = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.shape}|${r.setting}`;
    by.set(key, [...(by.get(key) ?? []), r]);
  }
  return by;
}

const effective = (runs: readonly RunResult[]): number | null => median(runs.flatMap((r) => (r.effective === null ? [] : [r.effective.total])));
const achieved = (runs: readonly RunResult[]): number | null => median(runs.flatMap((r) => (r.load === null ? [] : [r.load.achievedRate])));

export function leakRows(results: readonly RunResult[]): LeakRow[] {
  const rows: LeakRow[] = [];
  for (const runs of groups(results.filter((r) => r.kind === 'leak')).values()) {
    const first = runs[0]!;
    const shape = findShape(first.shape);
    const required = shape?.runs ?? runs.length;
    const times = runs.flatMap((r) => (r.firstFlagS === null ? [] : [r.firstFlagS]));
    const misses = runs.length - times.length;
    const targetS = first.targetS;
    const late = targetS === null ? 0 : times.filter((t) => t > targetS).length;
    const allGood = misses === 0 && late === 0;
    rows.push({
      shape: first.shape,
      setting: first.setting,
      description: shape?.description ?? '',
      nominalBytesPerSec: first.nominalBytesPerSec,
      effectiveBytesPerSec: effective(runs),
      runs: runs.length,
      required,
      flagged: times.length,
      medianS: median(times),
      worstS: misses > 0 || times.length === 0 ? null : Math.max(...times),
      misses,
      late,
      droppedLater: runs.filter((r) => r.stayedFlagged === false).length,
      exitedEarly: runs.filter((r) => r.exit.early).length,
      targetS,
      met: !allGood ? 'not met' : runs.length < required ? 'partial' : 'met',
      achievedRate: achieved(runs),
    });
  }
  return rows.sort(byShapeOrder);
}

export function healthyRows(results: readonly RunResult[]): HealthyRow[] {
  const rows: HealthyRow[] = [];
  for (const runs of groups(results.filter((r) => r.kind === 'healthy')).values()) {
    const first = runs[0]!;
    const shape = findShape(first.shape);
    const required = shape?.runs ?? runs.length;
    const flaggedRuns = runs.filter((r) => r.flaggedScrapes > 0);
    const firsts = flaggedRuns.flatMap((r) => (r.firstFlagS === null ? [] : [r.firstFlagS]));
    rows.push({
      shape: first.shape,
      setting: first.setting,
      description: shape?.description ?? '',
      runs: runs.length,
      required,
      runsFlagged: flaggedRuns.length,
      flaggedScrapes: runs.reduce((s, r) => s + r.flaggedScrapes, 0),
      scrapes: runs.reduce((s, r) => s + r.scrapes, 0),
      firstFalseS: firsts.length === 0 ? null : Math.min(...firsts),
      effectiveBytesPerSec: effective(runs),
      met: flaggedRuns.length > 0 ? 'not met' : runs.length < required ? 'partial' : 'met',
      achievedRate: achieved(runs),
    });
  }
  return rows.sort(byShapeOrder);
}

function byShapeOrder(a: { shape: string; setting: Setting }, b: { shape: string; setting: Setting }): number {
  const order = (name: string): number => {
    const i = SHAPES.findIndex((shape) => shape.name === name);
    return i < 0 ? SHAPES.length : i;
  };
  // Within a shape: default before container.
  return order(a.shape) - order(b.shape) || b.setting.localeCompare(a.setting);
}

export const kib = (bytes: number | null): string => (bytes === null ? '–' : (bytes / 1024).toFixed(bytes >= 100 * 1024 ? 0 : 1));
export const secs = (s: number | null): string => (s === null ? '–' : `${Math.round(s)}`);
const rate = (bytes: number | null): string => {
  if (bytes === null) return '–';
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB/s` : `${(bytes / 1024).toFixed(0)} KiB/s`;
};

export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function leakTable(rows: readonly LeakRow[]): string {
  return table(
    ['Shape', 'Setting', 'Nominal', 'Effective (KiB/s)', 'Runs', 'Flagged', 'Median (s)', 'Worst (s)', 'Misses', 'Dropped later', 'Died', 'Target', 'Met'],
    rows.map((r) => [
      `\`${r.shape}\``,
      r.setting,
      rate(r.nominalBytesPerSec),
      kib(r.effectiveBytesPerSec),
      r.runs < r.required ? `${r.runs} of ${r.required}` : String(r.runs),
      String(r.flagged),
      secs(r.medianS),
      r.misses > 0 ? 'miss' : secs(r.worstS),
      String(r.misses),
      String(r.droppedLater),
      String(r.exitedEarly),
      r.targetS === null ? '–' : `≤ ${r.targetS} s`,
      r.met === 'met' ? 'met' : r.met === 'partial' ? 'so far (too few runs)' : `**not met**${r.late > 0 ? ` (${r.late} late)` : ''}`,
    ]),
  );
}

export function healthyTable(rows: readonly HealthyRow[]): string {
  return table(
    ['Shape', 'Setting', 'Runs', 'Runs flagged', 'Flagged scrapes', 'First false flag (s)', 'Growth (KiB/s)', 'Met'],
    rows.map((r) => [
      `\`${r.shape}\``,
      r.setting,
      r.runs < r.required ? `${r.runs} of ${r.required}` : String(r.runs),
      String(r.runsFlagged),
      `${r.flaggedScrapes} of ${r.scrapes}`,
      secs(r.firstFalseS),
      kib(r.effectiveBytesPerSec),
      r.met === 'met' ? 'met' : r.met === 'partial' ? 'so far (too few runs)' : '**not met**',
    ]),
  );
}

export function replayTable(replays: readonly ReplayResult[]): string {
  return table(
    ['Trace', 'Kind', 'Recorded', 'Effective (KiB/s)', 'Replayed to', 'Carried growth (heap, KiB/s)', 'First flag', 'Flagged verdicts by 15 min / 1 h / 2 h / 6 h', 'Target', 'Met'],
    replays.map((r) => {
      const target = r.kind === 'leak' ? replayTargetS(r.nominalBytesPerSec) : null;
      const by = ['900', '3600', '7200', '21600'].map((k) => (k in r.flaggedBy ? String(r.flaggedBy[k]) : '–')).join(' / ');
      const met = r.kind === 'healthy'
        ? (r.flaggedScrapes === 0 ? 'met' : '**not met**')
        : target === null ? '–' : r.firstFlagS !== null && r.firstFlagS <= target ? 'met' : '**not met**';
      return [
        `\`${r.trace}\``,
        r.kind === 'leak' ? `leak, ${rate(r.nominalBytesPerSec)}` : (r.kind ?? '?'),
        `${(r.recordedS / 3600).toFixed(2)} h`,
        kib(r.effectiveBytesPerSec ?? null),
        `${(r.replayedS / 3600).toFixed(2)} h`,
        kib((r.carryBytesPerHour.heapUsed ?? 0) / 3600),
        r.firstFlagS === null ? 'never' : `${(r.firstFlagS / 60).toFixed(1)} min (${r.firstFlagBasis ?? '?'})`,
        by,
        r.kind === 'healthy' ? 'no flag' : target === null ? '–' : `≤ ${target / 3600} h`,
        met,
      ];
    }),
  );
}

/**
 * Replay against reality: per trace recorded with live scrapes, the live detector's first flag and flagged scrapes
 * beside the replay's over the recorded length (the same build on both sides, or the comparison says so).
 */
export function fidelityTable(replays: readonly ReplayResult[]): string {
  const withLive = replays.filter((r) => r.live !== undefined && r.live !== null);
  return table(
    ['Trace', 'Recorded', 'Live: first flag', 'Live: flagged scrapes', 'Replay: first flag', 'Replay: flagged verdicts', 'Same build'],
    withLive.map((r) => {
      const live = r.live!;
      const inRecording = r.firstFlagS !== null && r.firstFlagS <= r.recordedS ? r.firstFlagS : null;
      return [
        `\`${r.trace}\``,
        `${(r.recordedS / 60).toFixed(0)} min`,
        live.firstFlagS === null ? 'never' : `${Math.round(live.firstFlagS)} s`,
        `${live.flaggedScrapes} of ${live.scrapes}`,
        inRecording === null ? 'never' : `${Math.round(inRecording)} s`,
        r.replayedS <= r.recordedS ? `${r.flaggedScrapes} of ${r.scrapes}` : '(see above)',
        live.dist === r.dist ? 'yes' : `no (live: ${live.dist})`,
      ];
    }),
  );
}

export function costTable(replays: readonly ReplayResult[]): string {
  return table(
    ['Trace', 'Replayed', 'Recorded events', 'Verdicts', 'Per recorded event', 'Per verdict', 'Detector retained heap'],
    replays.map((r) => [
      `\`${r.trace}\``,
      `${(r.replayedS / 3600).toFixed(2)} h`,
      String(r.gcBatches + r.samples),
      String(r.scrapes),
      `${(r.nsPerRecord / 1000).toFixed(2)} µs`,
      `${(r.nsPerVerdict / 1000).toFixed(0)} µs`,
      r.detectorBytes === null ? '–' : `${(r.detectorBytes / 1024).toFixed(0)} KiB`,
    ]),
  );
}
