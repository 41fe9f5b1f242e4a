/** A rectangle in SVG pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where everything goes: title, legend, phase lanes, the main panel, the optional lower panel and the time axis. */
export interface ChartLayout {
  width: number;
  height: number;
  titleY: number;
  legendY: number;
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
const LANE_HEIGHT = 16;
const LANE_GAP = 2;
const LOWER_GAP = 30;
/** Share of the panels' height the lower panel gets. */
const LOWER_SHARE = 0.28;

export function chartLayout(width: number, height: number, legendRows: number, laneCount: number, lowerPanel: boolean): ChartLayout {
  const titleY = MARGIN.top + 16;
  const legendY = titleY + 14;
  let top = legendY + legendRows * LEGEND_ROW + 6;
  const x = MARGIN.left;
  const w = width - MARGIN.left - MARGIN.right;
  let lanes: Rect | null = null;
  if (laneCount > 0) {
    lanes = { x, y: top, width: w, height: laneCount * (LANE_HEIGHT + LANE_GAP) };
    top += lanes.height + 4;
  }
  const bottom = height - MARGIN.bottom;
  const available = Math.max(40, bottom - top - (lowerPanel ? LOWER_GAP : 0));
  const lowerHeight = lowerPanel ? Math.round(available * LOWER_SHARE) : 0;
  const main: Rect = { x, y: top, width: w, height: available - lowerHeight };
  const lower: Rect | null = lowerPanel ? { x, y: bottom - lowerHeight, width: w, height: lowerHeight } : null;
  return {
    width,
    height,
    titleY,
    legendY,
    lanes,
    laneHeight: LANE_HEIGHT,
    main,
    lower,
    tickLabelY: bottom + 16,
    axisTitleY: bottom + 36,
  };
}

/** The lane row of `depth` inside the lanes box. */
export function laneRow(lanes: Rect, depth: number): Rect {
  return { x: lanes.x, y: lanes.y + depth * (LANE_HEIGHT + LANE_GAP), width: lanes.width, height: LANE_HEIGHT };
}
