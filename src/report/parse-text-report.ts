import { MemscopeError } from '../internal/errors.js';
import { emptyEnvironment, readEnvironmentLine, type TextEnvironment } from './parse-text-environment.js';
import { terminalSafe } from './terminal-text.js';
import { after, cells, isRule, labelledFigure, leadingNumber, startsWithLabel } from './text-lines.js';

/** mean, median, standard deviation, min and max as a text report prints them (in the unit of its row). */
export interface TextStats {
  mean: number;
  median: number;
  stddev: number;
  min: number;
  max: number;
}

/** The rows of memscope's STATISTICS section. */
const STATISTICS_ROWS = {
  'processing time (seconds)': 'processingTimeSec',
  'cpu time (seconds)': 'cpuTimeSec',
  'memory usage (mb)': 'memoryUsageMiB',
  'processing rate (points/second)': 'processingRate',
  'peak rss (mb)': 'peakRssMiB',
  'retained after gc (mb)': 'retainedAfterGcMiB',
} as const;

type StatisticsKey = (typeof STATISTICS_ROWS)[keyof typeof STATISTICS_ROWS];

/** What a text report (ours, or the original framework's) says. Memory figures are in MiB, as printed. */
export interface TextReport {
  generated: string | null;
  iterationsDeclared: number;
  summary: { processingTimeSec: number; memoryUsageMiB: number; processingRate: number };
  iterations: Array<{ index: number; processingTimeSec: number; memoryUsageMiB: number; pointsProcessed: number; processingRate: number }>;
  /** memscope's STATISTICS section; empty for the original format, which has none. */
  statistics: Partial<Record<StatisticsKey, TextStats>>;
  /** memscope's PHASES section (means across iterations; the time's standard deviation when printed). */
  phases: Array<{ name: string; count: number; timeSec: number; stddevSec: number | null; heapDeltaMiB: number; peakHeapMiB: number | null }>;
  environment: TextEnvironment;
}

function corrupt(path: string, why: string): MemscopeError {
  return new MemscopeError('MEMSCOPE_E_REPORT_CORRUPT', `${terminalSafe(path)} is not a complete memscope text report: ${why}`);
}

/**
 * Reads the text format (MEMORY USAGE REPORT ... SUMMARY ... ITERATION DETAILS, then memscope's STATISTICS, PHASES
 * and ENVIRONMENT) in one pass over its lines, each looked at once with patterns that never span lines: time linear
 * in the text's size, and no memory beyond what the report holds. A file whose iteration details fall short of its
 * "Iterations:" line was cut off, and is refused rather than compared on partial data.
 */
export function parseTextReport(text: string, path: string): TextReport {
  const reader = new TextReportReader();
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    // Blank lines separate nothing the reader needs: it sees the trimmed non-blank lines.
    const line = text.slice(start, end).trim();
    if (line !== '') reader.line(line);
    start = end + 1;
  }
  return reader.finish(path);
}

/** The four figures of an iteration, in order, after its "Iteration N:" line. */
const ITERATION_FIGURES = [
  (l: string) => labelledFigure(l, 'Processing time:', 'seconds'),
  (l: string) => labelledFigure(l, 'Memory usage:', 'MB'),
  (l: string) => { const m = /^Points processed:\s*(\d+)/i.exec(l); return m === null ? undefined : Number(m[1]); },
  (l: string) => labelledFigure(l, 'Processing rate:', 'points/second'),
] as const;

interface PhaseColumns {
  count: number;
  time: number;
  stddev: number | null;
  heap: number;
  peak: number | null;
  width: number;
}

class TextReportReader {
  private header = false;
  /** The two lines before this one (the header is three lines). */
  private before2 = '';
  private before1 = '';
  private declared: number | undefined;
  private time: number | undefined;
  private memory: number | undefined;
  private rate: number | undefined;
  private generated: string | null = null;
  private readonly iterations: TextReport['iterations'] = [];
  private pending: { index: number; values: number[] } | null = null;
  private readonly statistics: TextReport['statistics'] = {};
  private readonly phases: TextReport['phases'] = [];
  private section: 'none' | 'statistics-header' | 'statistics' | 'phases-header' | 'phases' = 'none';
  private seen = { statistics: false, phases: false };
  private columns: PhaseColumns | null = null;
  private readonly environment = emptyEnvironment();

  line(line: string): void {
    if (!this.header && line.startsWith('=') && this.before1 === 'MEMORY USAGE REPORT' && isRule(this.before2, '=')) this.header = true;
    [this.before2, this.before1] = [this.before1, line];
    // A line that does not continue the block or section it is in ends it, and is read as a line of its own.
    if (this.pending !== null && this.iterationLine(line)) return;
    if (this.section !== 'none' && this.sectionLine(line)) return;
    this.otherLine(line);
  }

  finish(path: string): TextReport {
    if (!this.header) throw corrupt(path, 'no "MEMORY USAGE REPORT" header');
    const { declared, time, memory, rate } = this;
    if (declared === undefined || time === undefined || memory === undefined || rate === undefined) throw corrupt(path, 'the SUMMARY section is missing or incomplete');
    if (this.iterations.length < declared) throw corrupt(path, `it declares ${declared} iterations but details ${this.iterations.length} (truncated?)`);
    return {
      generated: this.generated,
      iterationsDeclared: declared,
      summary: { processingTimeSec: time, memoryUsageMiB: memory, processingRate: rate },
      iterations: this.iterations,
      statistics: this.statistics,
      phases: this.phases,
      environment: this.environment,
    };
  }

  private iterationLine(line: string): boolean {
    const pending = this.pending;
    if (pending === null) return false;
    const value = ITERATION_FIGURES[pending.values.length]?.(line);
    if (value === undefined) {
      this.pending = null;
      return false;
    }
    pending.values.push(value);
    if (pending.values.length === ITERATION_FIGURES.length) {
      const [processingTimeSec = 0, memoryUsageMiB = 0, pointsProcessed = 0, processingRate = 0] = pending.values;
      this.iterations.push({ index: pending.index, processingTimeSec, memoryUsageMiB, pointsProcessed, processingRate });
      this.pending = null;
    }
    return true;
  }

  private sectionLine(line: string): boolean {
    switch (this.section) {
      case 'statistics-header':
        this.section = 'statistics';
        return true;
      case 'phases-header':
        this.columns = phaseColumns(cells(line).map((c) => c.toLowerCase()));
        this.section = 'phases';
        return true;
      case 'statistics':
        if (this.statisticsRow(line)) return true;
        break;
      case 'phases':
        if (this.phaseRow(line)) return true;
        break;
      default:
        return false;
    }
    this.section = 'none';
    return false;
  }

  private otherLine(line: string): void {
    const head = /^Iteration (\d+):$/i.exec(line);
    if (head !== null) {
      this.pending = { index: Number(head[1]), values: [] };
      return;
    }
    if (!this.seen.statistics && startsWithLabel(line, 'STATISTICS')) {
      [this.seen.statistics, this.section] = [true, 'statistics-header'];
      return;
    }
    if (!this.seen.phases && startsWithLabel(line, 'PHASES')) {
      [this.seen.phases, this.section] = [true, 'phases-header'];
      return;
    }
    // The first of each label counts, wherever it is.
    this.declared ??= labelledFigure(line, 'Iterations:');
    this.time ??= labelledFigure(line, 'Average processing time:');
    this.memory ??= labelledFigure(line, 'Average memory usage:');
    this.rate ??= labelledFigure(line, 'Average processing rate:');
    this.generated ??= after(line, 'Generated:')?.trim() ?? null;
    readEnvironmentLine(this.environment, line);
  }

  /** A label and five figures (mean, median, stddev, min, max). */
  private statisticsRow(line: string): boolean {
    const row = cells(line);
    const label = (row[0] ?? '').toLowerCase();
    const key = Object.hasOwn(STATISTICS_ROWS, label) ? STATISTICS_ROWS[label as keyof typeof STATISTICS_ROWS] : undefined;
    const values = row.slice(1).map((c) => leadingNumber(c)?.value);
    if (row.length !== 6 || key === undefined || values.some((v) => v === undefined)) return false;
    const [mean = 0, median = 0, stddev = 0, min = 0, max = 0] = values as number[];
    this.statistics[key] = { mean, median, stddev, min, max };
    return true;
  }

  private phaseRow(line: string): boolean {
    const c = this.columns;
    const row = cells(line);
    if (c === null || row.length < c.width || row[0] === undefined) return false;
    const value = (index: number | null): number | undefined => (index === null ? undefined : leadingNumber(row[index] ?? '')?.value);
    const [count, time, heap] = [value(c.count), value(c.time), value(c.heap)];
    if (count === undefined || time === undefined || heap === undefined) return false;
    this.phases.push({ name: row[0], count, timeSec: time, stddevSec: value(c.stddev) ?? null, heapDeltaMiB: heap, peakHeapMiB: value(c.peak) ?? null });
    return true;
  }
}

/** Columns by their header, so a report with fewer or more columns still reads; the first format's positions else. */
function phaseColumns(header: readonly string[]): PhaseColumns {
  const column = (name: string): number | null => {
    const i = header.indexOf(name);
    return i >= 0 ? i : null;
  };
  const count = column('count') ?? 1;
  const time = column('time (seconds)') ?? 2;
  const stddev = column('stddev (seconds)');
  const heap = column('heap delta (mb)') ?? 4;
  const peak = column('peak heap (mb)');
  return { count, time, stddev, heap, peak, width: Math.max(count, time, heap, stddev ?? 0, peak ?? 0) + 1 };
}
