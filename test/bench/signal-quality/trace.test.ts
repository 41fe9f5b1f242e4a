import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { replay, traceColumns, type DetectorLike } from '../../../bench/signal-quality/trace/replay-core.js';
import { estimateCarry, stitch, stitchPeriod } from '../../../bench/signal-quality/trace/stitch.js';
import { decodeTrace, encodeTrace, leakStartOf, readTrace, TRACE_FORMAT, type Trace, type TraceHeader, type TraceRecord } from '../../../bench/signal-quality/trace/trace-format.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const T0 = 1_800_000_000_000;
const COLUMNS = ['heapUsed', 'heapTotal', 'external', 'arrayBuffers', 'rss', 'heapPhysical', 'oldSpaceUsed', 'largeObjectSpaceUsed'];
const header: TraceHeader = { format: TRACE_FORMAT, startedAt: T0, unitBytes: KIB, columns: COLUMNS, kind: 'leak', nominalBytesPerSec: 16 * KIB };

/** A leak of `rate` bytes/s on heap (and RSS with it): a sample every second, a major GC every 10 s, from t = 0 to `seconds`. */
function leakTrace(rate: number, seconds: number): Trace {
  const records: TraceRecord[] = [{ kind: 'p', time: T0 + 500, label: 'probe' }];
  for (let s = 1; s <= seconds; s++) {
    const heap = 20 * MIB + rate * s;
    const values = [heap, heap + 10 * MIB, 2 * MIB, MIB, heap + 60 * MIB, heap + 10 * MIB, heap - MIB, 0];
    records.push(s % 10 === 0 ? { kind: 'g', time: T0 + s * 1000, types: 'mM', values } : { kind: 's', time: T0 + s * 1000, values });
  }
  return { header, records };
}

describe('trace format', () => {
  it('round-trips through its text in whole KiB', () => {
    const trace = leakTrace(16 * KIB, 30);
    expect(decodeTrace(encodeTrace(trace))).toEqual(trace);
  });

  it('reads a file of several gzip members (the recorder writes one a minute) and skips a cut-short last line', () => {
    const text = encodeTrace(leakTrace(KIB, 20));
    const lines = text.split('\n');
    const dir = mkdtempSync(join(tmpdir(), 'sq-trace-'));
    const file = join(dir, 't.trace.gz');
    writeFileSync(file, Buffer.concat([gzipSync(`${lines.slice(0, 10).join('\n')}\n`), gzipSync(`${lines.slice(10).join('\n')}s,1000,3`)]));
    const read = readTrace(file);
    expect(read.records).toHaveLength(21);
    expect(read.records.at(-1)!.time).toBe(T0 + 20_000);
  });

  it('refuses a file of another format', () => {
    expect(() => decodeTrace('{"format":"other"}\n')).toThrow(/not a memscope-sq-trace\/1 trace/);
  });

  it('starts the leak at the first probe marker, or at the start for a time-driven leak', () => {
    const trace = leakTrace(KIB, 5);
    expect(leakStartOf(trace)).toBe(T0 + 500);
    expect(leakStartOf({ ...trace, header: { ...header, leakStart: 'service' } })).toBe(T0);
  });
});

describe('stitch', () => {
  it('continues a leak past the recording: times keep rising, the heap keeps growing across every seam', () => {
    const trace = leakTrace(16 * KIB, 600);
    const segmentStart = T0 + 300_000;
    const carry = estimateCarry(trace.records, segmentStart, COLUMNS.length);
    const out = [...stitch(trace.records, { segmentStart, until: T0 + 3_600_000, carry })].flatMap((r) => (r.kind === 'p' ? [] : [r]));
    for (let i = 1; i < out.length; i++) expect(out[i]!.time).toBeGreaterThan(out[i - 1]!.time);
    expect(out.at(-1)!.time).toBeLessThanOrEqual(T0 + 3_600_000);
    expect(out.at(-1)!.time).toBeGreaterThan(T0 + 3_590_000);
    // One straight line all along: 16 KiB/s from the start, within a KiB of rounding.
    for (const r of out) expect(Math.abs(r.values[0]! - (20 * MIB + 16 * KIB * ((r.time - T0) / 1000)))).toBeLessThan(KIB);
  });

  it('repeats a healthy trace at its own level and never repeats markers', () => {
    const flat = leakTrace(0, 120);
    const out = [...stitch(flat.records, { segmentStart: T0 + 60_000, until: T0 + 600_000, carry: COLUMNS.map(() => 0) })];
    expect(out.filter((r) => r.kind === 'p')).toHaveLength(1);
    expect(new Set(out.flatMap((r) => (r.kind === 'p' ? [] : [r.values[0]])))).toEqual(new Set([20 * MIB]));
    expect(stitchPeriod(flat.records, T0 + 60_000)).toBe(61_000);
  });

  it('never carries a negative growth (a heap giving pages back would ramp below zero over hours)', () => {
    const shrinking = leakTrace(-KIB, 600);
    expect(estimateCarry(shrinking.records, T0 + 60_000, COLUMNS.length).every((c) => c === 0)).toBe(true);
  });
});

describe('replay', () => {
  /** Flags once heap after a major GC passes `threshold`; records what it was fed. */
  function fakeDetector(threshold: number): DetectorLike & { fed: string[] } {
    let heap = 0;
    const fed: string[] = [];
    return {
      fed,
      recordGc(time, major, figures) {
        fed.push(`g ${time - T0} ${major} ${figures.rss}`);
        if (major) heap = figures.heapUsed;
      },
      recordSample(time, figures) {
        fed.push(`s ${time - T0} ${figures.rss}`);
      },
      verdict: () => ({ suspected: heap > threshold, basis: heap > threshold ? 'heap' : null, slopeBytesPerSec: 0 }),
    };
  }

  it('feeds GC batches (major when the batch holds one) and samples with RSS outside the heap, and times the first flag from the leak', () => {
    const trace = leakTrace(MIB, 60);
    const detector = fakeDetector(20 * MIB + 30 * MIB);
    const outcome = replay(trace.records, detector, traceColumns(header), { leakStart: leakStartOf(trace), checkpointsS: [20, 45] });
    expect(detector.fed[0]).toBe(`s 1000 ${50 * MIB}`);
    expect(detector.fed[9]).toBe(`g 10000 true ${50 * MIB}`);
    expect(outcome).toMatchObject({ gcBatches: 6, samples: 54, scrapes: 11 });
    // Heap passes 50 MiB at the GC of t = 40 s; the first scrape after it is at leak start (0.5 s) + 40 s.
    expect(outcome.firstFlagS).toBe(40);
    expect(outcome.firstFlagBasis).toBe('heap');
    expect(outcome.flaggedBy).toEqual({ '20': 0, '45': 2 }); // the scrapes at 40 s and 45 s
    expect(outcome.endS).toBe(59.5);
  });

  it('asks for a verdict every 5 s of trace time however fast the replay runs', () => {
    const trace = leakTrace(0, 3600);
    const outcome = replay(trace.records, fakeDetector(Number.POSITIVE_INFINITY), traceColumns(header), { leakStart: T0 });
    expect(outcome.scrapes).toBe(720);
    expect(outcome.flaggedScrapes).toBe(0);
  });
});
