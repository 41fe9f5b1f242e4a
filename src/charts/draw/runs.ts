import type { ChartRun } from '../input/chart-input.js';
import type { LinearScale } from '../scale/linear-scale.js';
import { el, group, text } from '../svg/svg.js';
import { fitText, textWidth } from '../svg/text-metrics.js';
import type { Rect } from './layout.js';
import { AXIS, INK, RUN_FAILED_FILL, RUN_FILL, WORSE } from './theme.js';

const FONT = 10;

/**
 * A strip naming each run (a benchmark iteration, a memory test) over its part of the time axis: the name, shortened
 * to fit, else the run's number; a failed test in red. Runs narrower than a pixel are left out (their boundary line
 * still shows where they are).
 */
export function runStrip(runs: readonly ChartRun[], x: LinearScale, rect: Rect): string {
  const parts: string[] = [];
  runs.forEach((run, i) => {
    const x0 = Math.max(rect.x, x(run.start));
    const x1 = Math.min(rect.x + rect.width, x(run.end));
    if (!(x1 - x0 >= 1)) return;
    const failed = run.failed === true;
    parts.push(el('rect', { class: 'run', 'data-run': run.name, 'data-failed': failed ? 'true' : undefined, x: x0, y: rect.y, width: x1 - x0, height: rect.height, fill: failed ? RUN_FAILED_FILL : RUN_FILL, stroke: failed ? WORSE : undefined, 'stroke-width': failed ? 1 : undefined }));
    const label = runLabel(failed ? `${run.name} (failed)` : run.name, run.short ?? `#${i + 1}`, x1 - x0 - 6, run.short !== undefined);
    if (label !== '') {
      parts.push(text({ class: 'run-label', x: (x0 + x1) / 2, y: rect.y + rect.height - 4, 'font-size': FONT, fill: failed ? WORSE : INK, 'text-anchor': 'middle' }, label));
    }
  });
  return group({ class: 'runs' }, parts);
}

/** The name; else its short form when the run has one, else the name ellipsized (at least a few letters), else `#n`. */
function runLabel(name: string, short: string, room: number, preferShort: boolean): string {
  const fitted = fitText(name, room, FONT);
  if (fitted === name || (!preferShort && fitted.length >= 6)) return fitted;
  return textWidth(short, FONT) <= room ? short : '';
}

/**
 * A line through every panel where a run starts (but the first): the lines are broken there, this says why. One line
 * per 2 px at most, so a report of a million tiny runs still draws no more lines than the plot is wide.
 */
export function runBoundaries(runs: readonly ChartRun[], x: LinearScale, panels: readonly Rect[]): string {
  const parts: string[] = [];
  let last = -Infinity;
  for (const run of runs.slice(1)) {
    const px = x(run.start);
    if (px - last < 2) continue;
    last = px;
    for (const r of panels) {
      if (px >= r.x && px <= r.x + r.width) parts.push(el('line', { class: 'run-boundary', x1: px, y1: r.y, x2: px, y2: r.y + r.height, stroke: AXIS, 'stroke-width': 1, 'stroke-dasharray': '3 3' }));
    }
  }
  return group({ class: 'run-boundaries' }, parts);
}
