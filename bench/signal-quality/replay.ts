// Replays recorded traces through the LeakDetector of a memscope build, clock compressed: a 6-hour trace replays in
// seconds. Leak traces are loop-stitched with their growth carried over (the ramp continues); healthy ones repeat as
// they are. Reports the time to first flag, the flags per length, and the detector's cost per recorded event and its
// retained memory; appends one line per trace to the replay results (resumable, like the runs).
//
//   npm run bench:signal:replay -- [--trace FILE,...] [--hours 6] [--warm-up-min 5] [--dist DIR] [--out FILE]
// By default: every trace in traces/ to --hours, and every trace in traces/fidelity/ (short recordings of fast leaks
// with the live detector's verdict beside them) to its recorded length only.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveDist, SQ_DIR } from './lib/launch.js';
import { appendJsonLine, readJsonLines } from './lib/json-lines.js';
import { replay, traceColumns, type DetectorLike } from './trace/replay-core.js';
import { estimateCarry, stitch, stitchPeriod } from './trace/stitch.js';
import { leakStartOf, readTrace } from './trace/trace-format.js';

interface RecordingSummary {
  dist: string;
  effectiveBytesPerSec?: { total: number };
  live?: { firstFlagS: number | null; flaggedScrapes: number; scrapes: number };
}

export const DEFAULT_REPLAY_RESULTS = join(SQ_DIR, 'results', 'replay.jsonl');
/** Lengths at which flags are counted (hours), the targets' 1 h and 6 h among them. */
const CHECKPOINTS_H = [0.25, 1, 2, 6];

const { values } = parseArgs({
  options: {
    trace: { type: 'string' },
    hours: { type: 'string', default: '6' },
    'warm-up-min': { type: 'string', default: '5' },
    dist: { type: 'string' },
    out: { type: 'string', default: DEFAULT_REPLAY_RESULTS },
  },
});
const hours = Number(values.hours);
const warmUpMin = Number(values['warm-up-min']);
if (!(hours > 0) || !(warmUpMin >= 0)) throw new Error('--hours must be > 0 and --warm-up-min >= 0');
const traces = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.trace.gz')).sort().map((f) => join(dir, f));
/** Each trace with the length to replay it to: null = as recorded, no stitching. */
const plan: Array<{ file: string; hours: number | null }> = values.trace !== undefined
  ? values.trace.split(',').map((f) => ({ file: resolve(f), hours }))
  : [
    ...traces(join(SQ_DIR, 'traces')).map((file) => ({ file, hours })),
    ...traces(join(SQ_DIR, 'traces', 'fidelity')).map((file) => ({ file, hours: null })),
  ];
const dist = resolveDist(values.dist);
const { LeakDetector } = (await import(pathToFileURL(join(dist, 'index.js')).href)) as {
  LeakDetector: new (options?: object, startTime?: number) => DetectorLike;
};
const out = resolve(values.out);
const done = new Set(readJsonLines<{ key: string }>(out).map((r) => r.key));

for (const { file, hours: wanted } of plan) {
  const key = `${basename(file)}|${wanted ?? 'recorded'}|${dist}`;
  if (done.has(key)) {
    console.log(`${basename(file)}: already replayed to ${wanted ?? 'its recorded length'} with ${dist} (in ${out})`);
    continue;
  }
  const trace = readTrace(file);
  const { header, records } = trace;
  const leakStart = leakStartOf(trace);
  const until = wanted === null ? (records.at(-1)?.time ?? leakStart) : leakStart + wanted * 3_600_000;
  const segmentStart = leakStart + warmUpMin * 60_000;
  const isLeak = header.kind === 'leak';
  // A fidelity trace replays as recorded: shorter than the warm-up, it has no steady segment to repeat.
  const asRecorded = wanted === null;
  const carry = isLeak && !asRecorded ? estimateCarry(records, segmentStart, header.columns.length) : header.columns.map(() => 0);
  const period = asRecorded ? 0 : stitchPeriod(records, segmentStart);
  const stitched = asRecorded ? records : stitch(records, { segmentStart, until, carry });

  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  // Started when the recorded process started, as memscope's profiler starts its detector when the service starts.
  const detector = new LeakDetector({}, header.startedAt);
  const wall0 = performance.now();
  const lengthH = (until - leakStart) / 3_600_000;
  const checkpointsS = CHECKPOINTS_H.filter((h) => h <= lengthH + 1e-9).map((h) => h * 3600);
  const outcome = replay(stitched, detector, traceColumns(header), { leakStart, checkpointsS });
  const wallMs = performance.now() - wall0;
  globalThis.gc?.();
  // The detector is still referenced here: what the heap holds beyond `before` is its retained state.
  const detectorBytes = typeof globalThis.gc === 'function' ? process.memoryUsage().heapUsed - before : null;
  void detector.verdict();

  const recordedS = ((records.at(-1)?.time ?? leakStart) - leakStart) / 1000;
  // The recording's summary (record.ts writes it beside the trace): its effective rate, and what the live detector
  // said while it was recorded (absent from traces recorded before live scraping was added).
  const summaryFile = file.replace(/\.trace\.gz$/, '.summary.json');
  const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as RecordingSummary) : undefined;
  const result = {
    v: 1,
    key,
    trace: basename(file),
    fidelity: wanted === null,
    shape: header.shape ?? null,
    kind: header.kind ?? null,
    setting: header.setting ?? null,
    nominalBytesPerSec: header.nominalBytesPerSec ?? null,
    recordedS: Math.round(recordedS),
    replayedS: Math.round(outcome.endS),
    hours: Math.round(lengthH * 1000) / 1000,
    copies: period > 0 ? Math.max(0, Math.ceil((outcome.endS - recordedS) / (period / 1000))) : 0,
    carryBytesPerHour: Object.fromEntries(header.columns.map((c, i) => [c, period > 0 ? Math.round((carry[i]! * 3_600_000) / period) : 0])),
    ...outcome,
    effectiveBytesPerSec: summary?.effectiveBytesPerSec?.total ?? null,
    live: summary?.live === undefined ? null : { ...summary.live, dist: summary.dist },
    wallMs: Math.round(wallMs),
    detectorBytes,
    dist,
    replayedAt: new Date().toISOString(),
  };
  appendJsonLine(out, result);
  const flag = outcome.firstFlagS === null ? 'never flagged' : `first flag at ${(outcome.firstFlagS / 60).toFixed(1)} min (${outcome.firstFlagBasis})`;
  console.log(
    `${basename(file)} (${header.kind ?? '?'}, ${header.shape ?? '?'}): ${(recordedS / 3600).toFixed(2)} h recorded, replayed to ${(outcome.endS / 3600).toFixed(2)} h ` +
      `in ${(wallMs / 1000).toFixed(1)} s: ${flag}; ${outcome.flaggedScrapes} of ${outcome.scrapes} verdicts flagged; ` +
      `${outcome.nsPerRecord} ns per recorded event, ${(outcome.nsPerVerdict / 1000).toFixed(1)} us per verdict` +
      (detectorBytes === null ? '' : `, detector holds ${(detectorBytes / 1024).toFixed(0)} KiB`),
  );
}
