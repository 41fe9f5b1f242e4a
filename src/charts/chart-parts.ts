import type { LegendItem } from './draw/legend.js';
import type { Ticks } from './scale/ticks.js';

/** Phase names the legend lists by colour; past this many it says how many more there are. */
const MAX_PHASE_LEGEND = 10;

/** Legend swatches for phases, in order of first appearance. */
export function phaseLegend(colors: ReadonlyMap<string, string>): LegendItem[] {
  const items: LegendItem[] = [];
  for (const [name, color] of colors) {
    if (items.length === MAX_PHASE_LEGEND) break;
    items.push({ key: `phase:${name}`, label: name, color, mark: 'swatch' });
  }
  if (colors.size > MAX_PHASE_LEGEND) items.push({ label: `+${colors.size - MAX_PHASE_LEGEND} more phases`, color: '#ffffff', mark: 'swatch' });
  return items;
}

/** Elapsed-time ticks moved onto the wall clock (the data's x scale), labels unchanged. */
export function shiftTicks(ticks: Ticks, origin: number): Ticks {
  return { domain: [ticks.domain[0] + origin, ticks.domain[1] + origin], values: ticks.values.map((v) => v + origin), labels: ticks.labels };
}

/** The span drawn, at least 1 ms so a single sample still has an axis. */
export function spanOf(t0: number, t1: number): number {
  return Math.max(1, t1 - t0);
}
