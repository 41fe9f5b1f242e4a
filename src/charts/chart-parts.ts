import { MIN_PHASE_PX } from './draw/phase-pieces.js';
import type { LegendItem } from './draw/legend.js';
import { GROUPED_PHASES, MUTED } from './draw/theme.js';
import type { Dropped } from './input/plausible.js';
import type { Ticks } from './scale/ticks.js';

/** Phase names the legend lists by colour; past this many it says how many more there are. */
const MAX_PHASE_LEGEND = 10;

/**
 * Legend swatches for the phases drawn in their own colour, in order of first appearance, and one for the grey
 * groups of short phases when there are any (what they are is not otherwise visible).
 */
export function phaseLegend(names: readonly string[], colors: ReadonlyMap<string, string>, grouped: boolean): LegendItem[] {
  const items: LegendItem[] = [];
  for (const name of names) {
    if (items.length === MAX_PHASE_LEGEND) break;
    items.push({ key: `phase:${name}`, label: name, color: colors.get(name) ?? GROUPED_PHASES, mark: 'swatch' });
  }
  if (names.length > MAX_PHASE_LEGEND) items.push({ label: `+${names.length - MAX_PHASE_LEGEND} more phases`, color: MUTED, mark: 'note' });
  if (grouped) items.push({ key: 'phase-groups', label: `phases under ${MIN_PHASE_PX} px, grouped`, color: GROUPED_PHASES, mark: 'swatch' });
  return items;
}

/** The note that says what was left out as implausible, or nothing. */
export function droppedNote(dropped: Dropped): LegendItem[] {
  if (dropped.count === 0) return [];
  const what = dropped.count === 1 ? '1 implausible reading' : `${dropped.count} implausible readings`;
  return [{ key: 'dropped', label: `Not drawn: ${what} (${dropped.example ?? '?'})`, color: MUTED, mark: 'note' }];
}

/** Elapsed-time ticks moved onto the wall clock (the data's x scale), labels unchanged. */
export function shiftTicks(ticks: Ticks, origin: number): Ticks {
  return { domain: [ticks.domain[0] + origin, ticks.domain[1] + origin], values: ticks.values.map((v) => v + origin), labels: ticks.labels };
}

/** The span drawn, at least 1 ms so a single sample still has an axis. */
export function spanOf(t0: number, t1: number): number {
  return Math.max(1, t1 - t0);
}
