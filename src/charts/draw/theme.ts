import type { SeriesKey } from '../input/chart-input.js';

/**
 * Colours and type, in one place. Series colours are the classic category-10 hues (distinct for the common forms of
 * colour blindness in the pairs that matter here: RSS blue against heap red); phases use the Tableau-10 hues, drawn
 * pale, so they never compete with the lines.
 */
export const FONT_FAMILY = 'DejaVu Sans, sans-serif';

export const SERIES_STYLE: Record<SeriesKey, { label: string; color: string }> = {
  rss: { label: 'RSS', color: '#1f77b4' },
  heapUsed: { label: 'Heap used', color: '#d62728' },
  heapTotal: { label: 'Heap total', color: '#ff7f0e' },
  external: { label: 'External', color: '#2ca02c' },
  arrayBuffers: { label: 'Array buffers', color: '#9467bd' },
};

export const PHASE_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#bab0ac', '#e15759'] as const;

export const LIMIT_STYLE = {
  heap: { label: 'Heap limit', color: '#7f1d1d', dash: '8 4' },
  container: { label: 'Container limit', color: '#111827', dash: '3 3' },
} as const;

export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const GRID = '#e5e7eb';
export const AXIS = '#9ca3af';
export const BACKGROUND = '#ffffff';
export const WORSE = '#dc2626';
/** Runs of phases too short to draw one by one, when they are not all one phase. */
export const GROUPED_PHASES = '#6b7280';
/** The strip naming runs (iterations, tests), and a failed test's box in it. */
export const RUN_FILL = '#f3f4f6';
export const RUN_FAILED_FILL = '#fee2e2';
export const BETTER = '#16a34a';

/** Phase name -> colour, in order of first appearance, so the same input always gets the same colours. */
export function phaseColors(names: Iterable<string>): Map<string, string> {
  const colors = new Map<string, string>();
  for (const name of names) {
    if (!colors.has(name)) colors.set(name, PHASE_COLORS[colors.size % PHASE_COLORS.length] as string);
  }
  return colors;
}
