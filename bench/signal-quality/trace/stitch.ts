// Loop-stitching a recorded trace to any length: the recording as it is, then copies of its steady part (from
// `segmentStart` to its end, past the warm-up) back to back, each shifted in time by one period and — for a leak — in
// value by the growth one period adds (`carry`, per column), so that the ramp goes on instead of dropping back to
// the recording's start at every seam. A healthy trace is stitched with no carry: its level repeats.
import type { TraceRecord } from './trace-format.js';

export interface StitchOptions {
  /** Epoch ms where the repeated segment starts (after the warm-up: the first copy keeps it). */
  segmentStart: number;
  /** Stop once record times pass this (epoch ms). */
  until: number;
  /** Bytes added per period to each column of every copy (one entry per column); zeros for a healthy trace. */
  carry: readonly number[];
}

/** The stitched records, lazily: copy 0 is the trace itself, markers are not repeated. */
export function* stitch(records: readonly TraceRecord[], options: StitchOptions): Generator<TraceRecord> {
  const last = records.at(-1);
  if (last === undefined) return;
  const segment = records.filter((r) => r.time >= options.segmentStart && r.kind !== 'p');
  if (segment.length === 0) throw new Error('the segment to repeat is empty: segmentStart is past the last record');
  // One period = the segment's span plus the median gap between its records, so the seam looks like any other step.
  const period = last.time - segment[0]!.time + medianGap(segment);
  for (const record of records) {
    if (record.time > options.until) return;
    yield record;
  }
  for (let copy = 1; ; copy++) {
    const dt = copy * period;
    for (const record of segment) {
      const time = record.time + dt;
      if (time > options.until) return;
      if (record.kind === 'p') continue; // (never: the segment holds none; narrows the type)
      const values = record.values.map((v, c) => v + copy * (options.carry[c] ?? 0));
      yield record.kind === 'g' ? { kind: 'g', time, types: record.types, values } : { kind: 's', time, values };
    }
  }
}

/** The length of one stitched period for `records` repeated from `segmentStart`. */
export function stitchPeriod(records: readonly TraceRecord[], segmentStart: number): number {
  const segment = records.filter((r) => r.time >= segmentStart && r.kind !== 'p');
  if (segment.length === 0) return 0;
  return segment.at(-1)!.time - segment[0]!.time + medianGap(segment);
}

function medianGap(records: readonly TraceRecord[]): number {
  if (records.length < 2) return 1000;
  const gaps = records.slice(1).map((r, i) => r.time - records[i]!.time).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/**
 * The growth of each column over one period of the segment, for a leak's carry: the least-squares slope of the
 * per-`bucketMs` minima (the post-GC floor, not the sawtooth above it) times the period, never below 0 — a leak does
 * not shrink memory, and a negative carry (a heap that gave pages back after its warm-up) would ramp a column down
 * past zero over hours.
 */
export function estimateCarry(records: readonly TraceRecord[], segmentStart: number, width: number, bucketMs = 60_000): number[] {
  const segment = records.filter((r) => r.time >= segmentStart && r.kind !== 'p') as Array<Exclude<TraceRecord, { kind: 'p' }>>;
  const period = stitchPeriod(records, segmentStart);
  const carry: number[] = [];
  for (let c = 0; c < width; c++) {
    const minima = new Map<number, { t: number; v: number }>();
    for (const r of segment) {
      const bucket = Math.floor((r.time - segmentStart) / bucketMs);
      const v = r.values[c]!;
      const m = minima.get(bucket);
      if (m === undefined || v < m.v) minima.set(bucket, { t: bucket * bucketMs, v });
    }
    carry.push(Math.max(0, leastSquaresSlope([...minima.values()]) * period));
  }
  return carry;
}

export function leastSquaresSlope(points: ReadonlyArray<{ t: number; v: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mv = points.reduce((s, p) => s + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
