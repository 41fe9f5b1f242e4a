// The results file: JSON Lines, one run per line, appended as each run ends — so the benchmark can be stopped at any
// time and resumed (runs already recorded are skipped), run in parts (--shapes, --settings), and re-analysed later
// from the raw scrapes each line holds.
import { existsSync } from 'node:fs';
import { appendJsonLine, parseJsonLines, readText } from './json-lines.js';
import { runKey, type RunResult } from './run-one.js';
import type { Setting, ShapeSpec } from './shapes.js';

export interface PlannedRun {
  shape: ShapeSpec;
  setting: Setting;
  /** 1-based; also the run's seed (orders, one-off allocation times), the same for every shape. */
  run: number;
}

/**
 * Every run of the selection, round by round (run 1 of every shape and setting, then run 2 ...), so that a partial
 * benchmark covers every shape before it repeats any. `runs` overrides each shape's own count.
 */
export function planRuns(shapes: readonly ShapeSpec[], settings: readonly Setting[], runs?: number): PlannedRun[] {
  const plan: PlannedRun[] = [];
  const most = Math.max(0, ...shapes.map((s) => runs ?? s.runs));
  for (let run = 1; run <= most; run++) {
    for (const shape of shapes) {
      if (run > (runs ?? shape.runs)) continue;
      for (const setting of settings) if (shape.settings.includes(setting)) plan.push({ shape, setting, run });
    }
  }
  return plan;
}

/** The planned runs the results do not hold yet. */
export function pendingRuns(plan: readonly PlannedRun[], results: ReadonlyArray<Pick<RunResult, 'key'>>): PlannedRun[] {
  const done = new Set(results.map((r) => r.key));
  return plan.filter((p) => !done.has(runKey(p.shape.name, p.setting, p.run)));
}

/**
 * Parses a results file's text. Lines that are not a run (blank, or cut short when the benchmark was killed while
 * writing) are skipped and counted, never fatal: that run is simply run again.
 */
export function parseResults(text: string): { results: RunResult[]; skipped: number } {
  const { items, skipped } = parseJsonLines(text);
  const results = items.filter((r): r is RunResult => {
    const run = r as Partial<RunResult> | null;
    return typeof run === 'object' && run !== null && run.v === 1 && typeof run.key === 'string';
  });
  return { results, skipped: skipped + items.length - results.length };
}

export function readResults(file: string): { results: RunResult[]; skipped: number } {
  return existsSync(file) ? parseResults(readText(file)) : { results: [], skipped: 0 };
}

export function appendResult(file: string, result: RunResult): void {
  appendJsonLine(file, result);
}
