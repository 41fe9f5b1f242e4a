import { readdirSync, readFileSync } from 'node:fs';
import type { RunProcessReport } from '../report/report-model.js';
import { checkpointPath, startedMarkerPath } from './process-lifecycle.js';
import { processReportPath } from './process-report.js';

/** A process that started under the preload, as its marker tells, with the report it left (if any). */
export interface StartedProcess {
  pid: number;
  ppid: number;
  commandLine: string;
  wrapper: string | null;
  startedAt: number;
  /** Its final report, else its last checkpoint, else undefined (it was killed before its first checkpoint). */
  report: RunProcessReport | undefined;
}

/** Every process that wrote a start marker into the run's directory, in the order they started. */
export function startedProcesses(runDir: string): StartedProcess[] {
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return [];
  }
  const out: StartedProcess[] = [];
  for (const name of names) {
    const match = /^(\d+)\.started$/.exec(name);
    if (match === null) continue;
    const pid = Number(match[1]);
    const marker = readJson(startedMarkerPath(runDir, pid)) as Partial<StartedProcess> | undefined;
    const report = (readJson(processReportPath(runDir, pid)) ?? readJson(checkpointPath(runDir, pid))) as RunProcessReport | undefined;
    out.push({
      pid,
      ppid: typeof marker?.ppid === 'number' ? marker.ppid : 0,
      commandLine: typeof marker?.commandLine === 'string' ? marker.commandLine : `pid ${pid}`,
      wrapper: typeof marker?.wrapper === 'string' ? marker.wrapper : null,
      startedAt: typeof marker?.startedAt === 'number' ? marker.startedAt : 0,
      report: report?.kind === 'run-process' ? report : undefined,
    });
  }
  return out.sort((a, b) => a.startedAt - b.startedAt || a.pid - b.pid);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
