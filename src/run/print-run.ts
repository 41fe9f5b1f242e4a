import { formatBytes } from '../internal/units.js';
import { heapDiffLine } from '../report/heap-diff-section.js';
import type { RunProcessReport, RunReport } from '../report/report-model.js';
import { shorten } from './run-pictures.js';

/**
 * What `memscope run` tells people when the command ends, on stderr (the command's stdout stays its own): the
 * process table — the verdict's process starred, worker threads under their process — which process the verdict is
 * about and why, and the verdict's own sentence, word for word.
 */
export function runSummaryLines(run: RunReport, processes: readonly RunProcessReport[]): string[] {
  const byPid = new Map(processes.map((p) => [p.process.pid, p]));
  const how = run.exit.signal !== null ? `was ended by ${run.exit.signal}` : `exited with code ${run.exit.code ?? '?'}`;
  const seconds = ((run.endedAt - run.startedAt) / 1000).toFixed(1);
  const lines = [`memscope run: ${shorten(run.command.join(' '), 80)} ${how} after ${seconds} s; ${run.processes.length} Node.js process${run.processes.length === 1 ? '' : 'es'} reported`];
  for (const p of run.processes) {
    const star = p.pid === run.verdictProcess?.pid ? '*' : ' ';
    const figures = p.report === null
      ? 'no report (killed before its first checkpoint)'
      : `cpu ${p.cpuSec.toFixed(2)} s  peak RSS ${formatBytes(p.peakRssBytes)}  peak heap ${formatBytes(p.peakHeapUsedBytes)}${p.complete ? '' : '  (last checkpoint)'}`;
    lines.push(`  ${star} pid ${p.pid}  ${shorten(p.commandLine, 60)}${p.wrapper === null ? '' : ` [${p.wrapper}]`}`);
    lines.push(`        ${figures}`);
    if (p.leak !== null) lines.push(`        ${p.leak.summary}`);
    for (const t of byPid.get(p.pid)?.threads ?? []) {
      lines.push(`        ${t.label}: peak heap ${formatBytes(t.peakHeapUsedBytes)}${t.leak === undefined ? (t.ended ? '' : ' (terminated before its end report)') : `; ${t.leak.summary}`}`);
    }
  }
  if (run.verdictProcess === null) {
    lines.push('memscope run: no Node.js process reported (was the command a Node.js program? NODE_OPTIONS must reach it)');
    return lines;
  }
  lines.push(`memscope run: the verdict is about pid ${run.verdictProcess.pid} (${shorten(run.verdictProcess.commandLine, 60)}): ${run.verdictProcess.reason}`);
  lines.push(`memscope run: ${run.leak?.summary ?? 'no leak check (MEMSCOPE_LEAK=off)'}`);
  if (run.heapDiff !== undefined) lines.push(`memscope run: ${heapDiffLine(run.heapDiff)}`);
  return lines;
}
