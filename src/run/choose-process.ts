import type { RunProcessReport } from '../report/report-model.js';

export interface VerdictChoice {
  report: RunProcessReport;
  /** Why this process, in words for the report and the console. */
  reason: string;
}

/**
 * The process a run's verdict is about: the one that did the work. Among the processes that reported and are not
 * known wrappers (npm, npx, yarn, pnpm, the tsx CLI ... see wrappers.ts), the one that used the most CPU time (user +
 * system); on a tie, the one that ran longest, then the one that started first. Only when every process is a wrapper
 * does a wrapper get the verdict. CPU time rather than run time: a server and the `npm` that started it run equally
 * long, a cluster's primary outlives its workers, but the process that handled the load used the CPU.
 */
export function chooseVerdictProcess(reports: readonly RunProcessReport[]): VerdictChoice | undefined {
  if (reports.length === 0) return undefined;
  const workers = reports.filter((r) => r.process.wrapper === null);
  const pool = workers.length > 0 ? workers : reports;
  const chosen = [...pool].sort((a, b) => cpu(b) - cpu(a) || runtime(b) - runtime(a) || a.process.startedAt - b.process.startedAt)[0];
  if (chosen === undefined) return undefined;
  const wrappers = [...new Set(reports.flatMap((r) => (r.process.wrapper === null ? [] : [r.process.wrapper])))];
  const named = wrappers.length > 0 ? ` (${wrappers.join(', ')})` : '';
  let reason: string;
  if (reports.length === 1) reason = 'the only Node.js process';
  else if (workers.length === 0) reason = `every process is a wrapper${named}: most CPU time (${cpu(chosen).toFixed(2)} s)`;
  else if (workers.length === 1) reason = `the only process that is not a wrapper${named}`;
  else reason = `most CPU time (${cpu(chosen).toFixed(2)} s) of the ${workers.length} processes that are not wrappers${named}`;
  return { report: chosen, reason };
}

function cpu(r: RunProcessReport): number {
  return r.process.cpuUserSec + r.process.cpuSystemSec;
}

function runtime(r: RunProcessReport): number {
  return r.process.endedAt - r.process.startedAt;
}
