import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/** One suite's results on one runtime, written as JSON and turned into docs/benchmarks.md by bench/write-report.ts. */
export interface SuiteResult {
  suite: string;
  title: string;
  runtime: string;
  date: string;
  machine: string;
  /** Markdown sections (tables and sentences) the report includes verbatim, built from the measurements. */
  sections: string[];
  /** The raw figures, for anyone who wants to recompute. */
  figures: Record<string, number>;
  /** Every round's measurement, where a suite keeps them all (medians and intervals are computed from these). */
  rounds?: Record<string, number[]>;
}

export const RESULTS_DIR = new URL('../results/', import.meta.url).pathname;

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  // The load average at the end of the run: on a shared machine it says how much the figures can be trusted.
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}, load average ${(loadavg()[0] ?? 0).toFixed(1)}`;
}

export function saveResult(result: Omit<SuiteResult, 'runtime' | 'date' | 'machine'>): SuiteResult {
  const full: SuiteResult = { ...result, runtime: `Node ${process.version}`, date: new Date().toISOString(), machine: machine() };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${result.suite}.node${process.versions.node.split('.')[0]}.json`), `${JSON.stringify(full, null, 2)}\n`);
  for (const section of full.sections) console.log(`${section}\n`);
  return full;
}

export function loadResults(): SuiteResult[] {
  let names: string[] = [];
  try {
    names = readdirSync(RESULTS_DIR).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((n) => JSON.parse(readFileSync(join(RESULTS_DIR, n), 'utf8')) as SuiteResult);
}

/** A markdown table from rows of cells. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
