import { MemscopeError } from '../internal/errors.js';

/** What a text report (ours, or the original framework's) says. Memory figures are in MiB, as printed. */
export interface TextReport {
  generated: string | null;
  iterationsDeclared: number;
  summary: { processingTimeSec: number; memoryUsageMiB: number; processingRate: number };
  iterations: Array<{ index: number; processingTimeSec: number; memoryUsageMiB: number; pointsProcessed: number; processingRate: number }>;
  phases: Array<{ name: string; count: number; timeSec: number; heapDeltaMiB: number }>;
}

const NUM = '(-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[-+]?\\d+)?|inf|-inf|n/a)';

function num(text: string): number {
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  if (text === 'n/a') return Number.NaN;
  return Number(text);
}

function corrupt(path: string, why: string): MemscopeError {
  return new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${path} is not a complete memscope text report: ${why}`);
}

/**
 * Reads the text format (MEMORY USAGE REPORT ... SUMMARY ... ITERATION DETAILS). A file whose iteration details fall
 * short of its "Iterations:" line was cut off, and is refused rather than compared on partial data.
 */
export function parseTextReport(text: string, path: string): TextReport {
  if (!/^=+\r?\nMEMORY USAGE REPORT\r?\n=+/m.test(text)) throw corrupt(path, 'no "MEMORY USAGE REPORT" header');
  const line = (label: string): number | undefined => {
    const m = new RegExp(`^${label}:\\s*${NUM}`, 'mi').exec(text);
    return m?.[1] === undefined ? undefined : num(m[1]);
  };
  const iterationsDeclared = line('Iterations');
  const time = line('Average processing time');
  const memory = line('Average memory usage');
  const rate = line('Average processing rate');
  if (iterationsDeclared === undefined || time === undefined || memory === undefined || rate === undefined) {
    throw corrupt(path, 'the SUMMARY section is missing or incomplete');
  }
  const iterations: TextReport['iterations'] = [];
  const block = new RegExp(
    `^Iteration (\\d+):\\s*\\r?\\n\\s*Processing time:\\s*${NUM} seconds\\s*\\r?\\n\\s*Memory usage:\\s*${NUM} MB\\s*\\r?\\n\\s*Points processed:\\s*(\\d+)\\s*\\r?\\n\\s*Processing rate:\\s*${NUM} points/second`,
    'gmi',
  );
  for (const m of text.matchAll(block)) {
    iterations.push({ index: Number(m[1]), processingTimeSec: num(m[2] ?? ''), memoryUsageMiB: num(m[3] ?? ''), pointsProcessed: Number(m[4]), processingRate: num(m[5] ?? '') });
  }
  if (iterations.length < iterationsDeclared) {
    throw corrupt(path, `it declares ${iterationsDeclared} iterations but details ${iterations.length} (truncated?)`);
  }
  const phases: TextReport['phases'] = [];
  const phaseSection = /^PHASES[^\n]*\n[^\n]*\n([\s\S]*?)(?:\n\s*\n|\nENVIRONMENT:)/m.exec(text);
  if (phaseSection?.[1] !== undefined) {
    for (const row of phaseSection[1].split('\n')) {
      const cells = row.trim().split(/\s{2,}/);
      if (cells.length >= 5 && cells[0] !== undefined) {
        phases.push({ name: cells[0], count: num(cells[1] ?? 'n/a'), timeSec: num(cells[2] ?? 'n/a'), heapDeltaMiB: num(cells[4] ?? 'n/a') });
      }
    }
  }
  const generated = /^Generated:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? null;
  return { generated, iterationsDeclared, summary: { processingTimeSec: time, memoryUsageMiB: memory, processingRate: rate }, iterations, phases };
}
