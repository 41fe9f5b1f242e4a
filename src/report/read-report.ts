import { open } from 'node:fs/promises';
import { MemscopeError, errorMessage } from '../internal/errors.js';
import { formatBytes } from '../internal/units.js';
import { ShapeMismatch, describeValue } from './json-shape.js';
import { parseTextReport, type TextReport } from './parse-text-report.js';
import { BENCHMARK_REPORT, MEMORY_TEST_REPORT } from './report-shape.js';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION, type MemscopeReport } from './report-model.js';
import { terminalSafe } from './terminal-text.js';

export type LoadedReport = { format: 'json'; path: string; report: MemscopeReport } | { format: 'text'; path: string; report: TextReport };

/**
 * The largest report file read by default: 256 MiB. A 10,000-iteration benchmark writes about 100 MB of JSON; past
 * this size, parsing alone needs gigabytes of heap. V8 cannot hold a string much over 512 MiB at all.
 */
export const DEFAULT_MAX_REPORT_BYTES = 256 * 1024 * 1024;
export const MAX_REPORT_BYTES_LIMIT = 500 * 1024 * 1024;

export interface ReadReportOptions {
  /** Refuse (MEMSCOPE_E_REPORT_TOO_LARGE) a file larger than this. @default 268435456 (256 MiB) */
  maxBytes?: number;
}

const CHUNK = 1024 * 1024;

function corrupt(path: string, why: string): MemscopeError {
  return new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${terminalSafe(path)} ${why}`);
}

/**
 * Reads a memscope report, JSON or text. Every way a file can be wrong gets its own code: unreadable (3), corrupt,
 * truncated, malformed or foreign (4, naming the JSON path of the first thing wrong), too large (4), a schema version
 * this memscope does not know (5) — never a stack trace. A UTF-8 byte order mark is allowed.
 */
export async function readReport(path: string, options: ReadReportOptions = {}): Promise<LoadedReport> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REPORT_BYTES;
  const text = stripBom((await readBounded(path, maxBytes)).toString('utf8'));
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return { format: 'json', path, report: parseJsonReport(text, path) };
  if (trimmed === '') throw corrupt(path, 'is empty');
  return { format: 'text', path, report: parseTextReport(text, path) };
}

/** Reads a JSON report (pictures need its timelines: a text report is refused with a clear message). */
export async function readJsonReport(path: string, options: ReadReportOptions = {}): Promise<MemscopeReport> {
  const loaded = await readReport(path, options);
  if (loaded.format === 'json') return loaded.report;
  throw corrupt(path, 'is a text report; pictures need the JSON report written beside it');
}

/**
 * The file's bytes, read in chunks and never more than `maxBytes` + 1 of them: the size a file reports is not trusted
 * (a pipe or /dev/zero reports 0 and never ends).
 */
async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const handle = await open(path, 'r');
    try {
      for (;;) {
        const buffer = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        chunks.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
        total += bytesRead;
        if (total > maxBytes) {
          throw new MemscopeError(
            'MEMSCOPE_E_REPORT_TOO_LARGE',
            `${terminalSafe(path)} is larger than ${formatBytes(maxBytes)}, the most a report may be (--max-report-size raises it)`,
          );
        }
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof MemscopeError) throw error;
    throw new MemscopeError('MEMSCOPE_E_REPORT_UNREADABLE', `cannot read report ${terminalSafe(path)}: ${terminalSafe(errorMessage(error))}`, { cause: error });
  }
  return Buffer.concat(chunks, total);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses and checks a JSON report: the whole structure (see report-shape.ts), not only its top-level fields. */
export function parseJsonReport(text: string, path: string): MemscopeReport {
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (error) {
    // V8 quotes a piece of the input in its message: shorten it and make it safe to print.
    const message = errorMessage(error);
    throw corrupt(path, `is not valid JSON (truncated?): ${terminalSafe(message.length > 200 ? `${message.slice(0, 200)}…` : message)}`);
  }
  const r = data as Partial<Record<string, unknown>> | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r) || r.schema !== REPORT_SCHEMA) {
    throw corrupt(path, `is JSON but not a memscope report (no "schema": "${REPORT_SCHEMA}")`);
  }
  if (r.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new MemscopeError(
      'MEMSCOPE_E_REPORT_VERSION',
      `${terminalSafe(path)} has report schema version ${describeValue(r.schemaVersion)}; this memscope reads version ${REPORT_SCHEMA_VERSION}`,
    );
  }
  const shape = r.kind === 'benchmark' ? BENCHMARK_REPORT : r.kind === 'memory-test' ? MEMORY_TEST_REPORT : undefined;
  if (shape === undefined) throw corrupt(path, `is malformed: kind: expected "benchmark" or "memory-test", got ${describeValue(r.kind)}`);
  try {
    shape(r);
  } catch (error) {
    if (!(error instanceof ShapeMismatch)) throw error;
    throw corrupt(path, `is malformed: ${error.path === '' ? '' : `${error.path}: `}${error.problem}`);
  }
  return r as unknown as MemscopeReport;
}
