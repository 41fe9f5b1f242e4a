import { readFile } from 'node:fs/promises';
import { MemscopeError, errorMessage } from '../internal/errors.js';
import { parseTextReport, type TextReport } from './parse-text-report.js';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION, type MemscopeReport } from './report-model.js';

export type LoadedReport = { format: 'json'; path: string; report: MemscopeReport } | { format: 'text'; path: string; report: TextReport };

/**
 * Reads a memscope report, JSON or text. Every way a file can be wrong gets its own code: unreadable (3), corrupt,
 * truncated or foreign (4), a schema version this memscope does not know (5) — never a stack trace.
 */
export async function readReport(path: string): Promise<LoadedReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MemscopeError('MEMSCOPE_E_REPORT_UNREADABLE', `cannot read report ${path}: ${errorMessage(error)}`, { cause: error });
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return { format: 'json', path, report: parseJsonReport(text, path) };
  if (trimmed === '') throw new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${path} is empty`);
  return { format: 'text', path, report: parseTextReport(text, path) };
}

export function parseJsonReport(text: string, path: string): MemscopeReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${path} is not valid JSON (truncated?): ${errorMessage(error)}`);
  }
  const r = data as Partial<Record<string, unknown>> | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r) || r.schema !== REPORT_SCHEMA) {
    throw new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${path} is JSON but not a memscope report (no "schema": "${REPORT_SCHEMA}")`);
  }
  if (r.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new MemscopeError(
      'MEMSCOPE_E_REPORT_VERSION',
      `${path} has report schema version ${JSON.stringify(r.schemaVersion)}; this memscope reads version ${REPORT_SCHEMA_VERSION}`,
    );
  }
  const missing = requiredFields(r).filter((f) => !f.ok).map((f) => f.name);
  if (missing.length > 0) throw new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${path} is missing or has malformed fields: ${missing.join(', ')}`);
  return data as MemscopeReport;
}

/** Reads a JSON report (pictures need its timelines: a text report is refused with a clear message). */
export async function readJsonReport(path: string): Promise<MemscopeReport> {
  const loaded = await readReport(path);
  if (loaded.format === 'json') return loaded.report;
  throw new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${path} is a text report; pictures need the JSON report written beside it`);
}

function requiredFields(r: Partial<Record<string, unknown>>): Array<{ name: string; ok: boolean }> {
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isRun = (v: unknown): boolean => isObject(v) && Array.isArray((v as { timeline?: unknown }).timeline) && Array.isArray((v as { phaseIntervals?: unknown }).phaseIntervals);
  const common = [
    { name: 'generatedAt', ok: typeof r.generatedAt === 'string' },
    { name: 'environment', ok: isObject(r.environment) },
    { name: 'limits', ok: isObject(r.limits) },
  ];
  if (r.kind === 'benchmark') {
    const iterations = r.iterations;
    return [
      ...common,
      { name: 'summary', ok: isObject(r.summary) },
      { name: 'phases', ok: Array.isArray(r.phases) },
      { name: 'config', ok: isObject(r.config) },
      {
        name: 'iterations',
        ok: Array.isArray(iterations) && iterations.every((it: unknown) => isRun(it) && typeof (it as { processingTimeSec?: unknown }).processingTimeSec === 'number'),
      },
    ];
  }
  if (r.kind === 'memory-test') {
    return [...common, { name: 'tests', ok: Array.isArray(r.tests) && r.tests.every(isRun) }, { name: 'passed', ok: typeof r.passed === 'boolean' }];
  }
  return [{ name: `kind (got ${JSON.stringify(r.kind)})`, ok: false }];
}
