// Feeding a trace into a leak detector as memscope's profiler feeds it — recordGc after each GC batch (heap only for
// a batch with a major GC), recordSample every second, RSS as RSS outside the V8 heap — as fast as it goes (the
// clock is the trace's), asking for the verdict every 5 s of trace time as a scrape would.
import type { TraceHeader, TraceRecord } from './trace-format.js';

/** What replay needs of memscope's LeakDetector (its public API), so that any build's detector fits. */
export interface DetectorLike {
  recordGc(time: number, major: boolean, figures: { heapUsed: number; external: number; arrayBuffers?: number; rss?: number }): void;
  recordSample(time: number, figures: { rss: number }): void;
  verdict(now?: number): { suspected: boolean; basis: string | null; slopeBytesPerSec: number };
}

export interface ReplayOptions {
  /** Epoch ms the leak starts (first flag times are counted from it). */
  leakStart: number;
  /** Verdicts are asked for every this many ms of trace time from leakStart. @default 5000 */
  scrapeMs?: number;
  /** Trace times (seconds from leakStart) at which to report whether the verdict has flagged so far. */
  checkpointsS?: readonly number[];
  /** A monotonic clock for the cost figures. @default performance.now */
  clock?: () => number;
}

export interface ReplayOutcome {
  gcBatches: number;
  samples: number;
  scrapes: number;
  flaggedScrapes: number;
  /** Seconds from leakStart to the first flagged verdict, or null. */
  firstFlagS: number | null;
  firstFlagBasis: string | null;
  /** The last record's time, seconds from leakStart. */
  endS: number;
  /** Per checkpoint: flagged scrapes up to it. */
  flaggedBy: Record<string, number>;
  /** Mean cost of a recordGc/recordSample call and of a verdict, nanoseconds. */
  nsPerRecord: number;
  nsPerVerdict: number;
}

export interface Columns {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  heapPhysical: number;
}

export function traceColumns(header: TraceHeader): Columns {
  const at = (name: string): number => {
    const i = header.columns.indexOf(name);
    if (i < 0) throw new Error(`the trace has no column ${name}`);
    return i;
  };
  return { heapUsed: at('heapUsed'), external: at('external'), arrayBuffers: at('arrayBuffers'), rss: at('rss'), heapPhysical: at('heapPhysical') };
}

export function replay(records: Iterable<TraceRecord>, detector: DetectorLike, columns: Columns, options: ReplayOptions): ReplayOutcome {
  const scrapeMs = options.scrapeMs ?? 5000;
  const clock = options.clock ?? (() => performance.now());
  const checkpoints = [...(options.checkpointsS ?? [])].sort((a, b) => a - b);
  const outcome: ReplayOutcome = {
    gcBatches: 0,
    samples: 0,
    scrapes: 0,
    flaggedScrapes: 0,
    firstFlagS: null,
    firstFlagBasis: null,
    endS: 0,
    flaggedBy: {},
    nsPerRecord: 0,
    nsPerVerdict: 0,
  };
  let nextScrape = options.leakStart + scrapeMs;
  let recordMs = 0;
  let verdictMs = 0;
  const scrapeUntil = (time: number): void => {
    for (; nextScrape <= time; nextScrape += scrapeMs) {
      const s = (nextScrape - options.leakStart) / 1000;
      while (checkpoints.length > 0 && checkpoints[0]! < s) outcome.flaggedBy[String(checkpoints.shift())] = outcome.flaggedScrapes;
      const t0 = clock();
      const verdict = detector.verdict(nextScrape);
      verdictMs += clock() - t0;
      outcome.scrapes++;
      if (!verdict.suspected) continue;
      outcome.flaggedScrapes++;
      if (outcome.firstFlagS === null) {
        outcome.firstFlagS = s;
        outcome.firstFlagBasis = verdict.basis;
      }
    }
  };
  let lastTime = options.leakStart;
  for (const record of records) {
    scrapeUntil(record.time);
    lastTime = record.time;
    if (record.kind === 'p') continue;
    const v = record.values;
    const rssOutsideHeap = v[columns.rss]! - v[columns.heapPhysical]!;
    const t0 = clock();
    if (record.kind === 'g') {
      detector.recordGc(record.time, record.types.includes('M'), {
        heapUsed: v[columns.heapUsed]!,
        external: v[columns.external]!,
        arrayBuffers: v[columns.arrayBuffers]!,
        rss: rssOutsideHeap,
      });
      outcome.gcBatches++;
    } else {
      detector.recordSample(record.time, { rss: rssOutsideHeap });
      outcome.samples++;
    }
    recordMs += clock() - t0;
  }
  for (const c of checkpoints) outcome.flaggedBy[String(c)] = outcome.flaggedScrapes;
  outcome.endS = (lastTime - options.leakStart) / 1000;
  const records_ = outcome.gcBatches + outcome.samples;
  outcome.nsPerRecord = records_ === 0 ? 0 : Math.round((recordMs * 1e6) / records_);
  outcome.nsPerVerdict = outcome.scrapes === 0 ? 0 : Math.round((verdictMs * 1e6) / outcome.scrapes);
  return outcome;
}
