/** A rectangle in SVG pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What a chart asks room for, top to bottom. */
export interface LayoutSpec {
  /** Lines of the title (a long one wraps onto a second). */
  titleLines: number;
  legendRows: number;
  /** A strip naming the runs (iterations, tests) above the phases. */
  runStrip: boolean;
  /** Phase lanes: one per nesting depth drawn. */
  laneCount: number;
  /** The rate or difference panel under the main one. */
  lowerPanel: boolean;
}

/** Where everything goes: title, legend, run strip, phase lanes, the main panel, the lower panel and the time axis. */
export interface ChartLayout {
  width: number;
  height: number;
  spec: LayoutSpec;
  /** Baseline of the title's first line; further lines follow TITLE_LINE apart. */
  titleY: number;
  legendY: number;
  runs: Rect | null;
  /** The lanes' box: one row per phase depth drawn, above the main panel; null without phases. */
  lanes: Rect | null;
  laneHeight: number;
  main: Rect;
  /** The rate or difference panel; null when not drawn. */
  lower: Rect | null;
  /** Baseline of the time axis' tick labels and of its title. */
  tickLabelY: number;
  axisTitleY: number;
}

export const MARGIN = { left: 84, right: 24, top: 12, bottom: 46 } as const;
export const LEGEND_ROW = 18;
export const TITLE_FONT = 17;
export const TITLE_LINE = 21;
const LANE_HEIGHT = 16;
const LANE_GAP = 2;
const LOWER_GAP = 30;
/** Share of the panels' height the lower panel gets. */
const LOWER_SHARE = 0.28;
/** Below this the main panel cannot show a shape: {@link fitLayout} gives up extras until it has it. */
const MIN_MAIN = 120;
/** A lower panel shorter than this shows no more than a line on its zero. */
const MIN_LOWER = 48;

export function chartLayout(width: number, height: number, spec: LayoutSpec): ChartLayout {
  const titleY = MARGIN.top + 16;
  const legendY = titleY + (spec.titleLines - 1) * TITLE_LINE + 14;
  let top = legendY + spec.legendRows * LEGEND_ROW + (spec.legendRows > 0 ? 6 : 0);
  const x = MARGIN.left;
  const w = width - MARGIN.left - MARGIN.right;
  let runs: Rect | null = null;
  if (spec.runStrip) {
    runs = { x, y: top, width: w, height: LANE_HEIGHT };
    top += LANE_HEIGHT + LANE_GAP + (spec.laneCount > 0 ? 0 : 2);
  }
  let lanes: Rect | null = null;
  if (spec.laneCount > 0) {
    lanes = { x, y: top, width: w, height: spec.laneCount * (LANE_HEIGHT + LANE_GAP) };
    top += lanes.height + 4;
  }
  const bottom = height - MARGIN.bottom;
  const available = Math.max(40, bottom - top - (spec.lowerPanel ? LOWER_GAP : 0));
  const lowerHeight = spec.lowerPanel ? Math.round(available * LOWER_SHARE) : 0;
  const main: Rect = { x, y: top, width: w, height: available - lowerHeight };
  const lower: Rect | null = spec.lowerPanel ? { x, y: bottom - lowerHeight, width: w, height: lowerHeight } : null;
  return { width, height, spec, titleY, legendY, runs, lanes, laneHeight: LANE_HEIGHT, main, lower, tickLabelY: bottom + 16, axisTitleY: bottom + 36 };
}

/**
 * The first of `candidates` (richest first) whose panels keep a readable height; the last when none does. A chart
 * lists what it can give up, in order, so a small picture drops extras rather than squashing its data to a strip.
 */
export function fitLayout(width: number, height: number, candidates: readonly LayoutSpec[]): ChartLayout {
  let layout: ChartLayout | undefined;
  for (const spec of candidates) {
    layout = chartLayout(width, height, spec);
    if (layout.main.height >= MIN_MAIN && (layout.lower === null || layout.lower.height >= MIN_LOWER)) return layout;
  }
  return layout ?? chartLayout(width, height, { titleLines: 1, legendRows: 0, runStrip: false, laneCount: 0, lowerPanel: false });
}

/** The lane row of `depth` inside the lanes box. */
export function laneRow(lanes: Rect, depth: number): Rect {
  return { x: lanes.x, y: lanes.y + depth * (LANE_HEIGHT + LANE_GAP), width: lanes.width, height: LANE_HEIGHT };
}
