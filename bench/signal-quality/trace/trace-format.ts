// Reads (and, for tests and stitched copies, writes) the traces trace/record-trace.mjs records: a JSON header line,
// then `g,dt,types,...values` (a GC batch), `s,dt,...values` (a 1 s sample), `p,dt,label` (a marker), with dt in ms
// since the previous record and each value in units of `unitBytes`, as a difference from the previous record's.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const TRACE_FORMAT = 'memscope-sq-trace/1';

export interface TraceHeader {
  format: string;
  /** Epoch ms when the recording process started. */
  startedAt: number;
  unitBytes: number;
  columns: string[];
  shape?: string;
  kind?: 'leak' | 'healthy';
  setting?: string;
  nominalBytesPerSec?: number;
  leakStart?: 'load' | 'service';
  [key: string]: unknown;
}

export type TraceRecord =
  | { kind: 'g'; time: number; types: string; values: number[] }
  | { kind: 's'; time: number; values: number[] }
  | { kind: 'p'; time: number; label: string };

export interface Trace {
  header: TraceHeader;
  /** Times in epoch ms, values in bytes, in recording order. */
  records: TraceRecord[];
}

/** Decodes a trace's text (already gunzipped). Throws on a header it does not know; skips a cut-short last line. */
export function decodeTrace(text: string): Trace {
  const lines = text.split('\n');
  const header = JSON.parse(lines[0] ?? '') as TraceHeader;
  if (header.format !== TRACE_FORMAT) throw new Error(`not a ${TRACE_FORMAT} trace (format ${JSON.stringify(header.format)})`);
  const width = header.columns.length;
  const last = new Array<number>(width).fill(0);
  let time = header.startedAt;
  const records: TraceRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i]!.split(',');
    const kind = fields[0];
    const dt = Number(fields[1]);
    if (!Number.isFinite(dt)) continue;
    if (kind === 'p') {
      time += dt;
      records.push({ kind: 'p', time, label: fields[2] ?? '' });
      continue;
    }
    const offset = kind === 'g' ? 3 : 2;
    if ((kind !== 'g' && kind !== 's') || fields.length !== offset + width) continue;
    time += dt;
    const values = new Array<number>(width);
    for (let c = 0; c < width; c++) {
      last[c]! += Number(fields[offset + c]);
      values[c] = last[c]! * header.unitBytes;
    }
    records.push(kind === 'g' ? { kind, time, types: fields[2]!, values } : { kind, time, values });
  }
  return { header, records };
}

export function readTrace(file: string): Trace {
  // gunzipSync reads every member of a multi-member file (the recorder writes one per minute).
  return decodeTrace(gunzipSync(readFileSync(file)).toString('utf8'));
}

/** The inverse of decodeTrace (values rounded to whole units). */
export function encodeTrace(trace: Trace): string {
  const { header, records } = trace;
  const last = new Array<number>(header.columns.length).fill(0);
  let time = header.startedAt;
  const lines = [JSON.stringify(header)];
  for (const r of records) {
    const dt = Math.round(r.time - time);
    time += dt;
    if (r.kind === 'p') {
      lines.push(`p,${dt},${r.label}`);
      continue;
    }
    const deltas = r.values.map((v, c) => {
      const units = Math.round(v / header.unitBytes);
      const d = units - last[c]!;
      last[c] = units;
      return d;
    });
    lines.push(r.kind === 'g' ? `g,${dt},${r.types},${deltas.join(',')}` : `s,${dt},${deltas.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The value of `column` in a record's values, by the header's column list. */
export function columnIndex(header: TraceHeader, column: string): number {
  const index = header.columns.indexOf(column);
  if (index < 0) throw new Error(`the trace has no column ${column} (it has ${header.columns.join(', ')})`);
  return index;
}

/**
 * Where the leak starts in a trace: the process's start for a time-driven leak, else the first probe marker (the
 * recorder probes as the load starts), else the process's start.
 */
export function leakStartOf(trace: Trace): number {
  if (trace.header.leakStart === 'service') return trace.header.startedAt;
  return trace.records.find((r) => r.kind === 'p')?.time ?? trace.header.startedAt;
}
