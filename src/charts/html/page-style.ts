/** The report's own stylesheet (uPlot's is inlined before it). System fonts only: the page loads nothing. */
export const PAGE_STYLE = `
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --worse: #b91c1c; --better: #15803d; --changed: #92400e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
header h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 32px 0 8px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 20px 0 6px; font-size: 15px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #d1d5db; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
.pass { color: var(--better); font-weight: 600; }
.fail { color: var(--worse); font-weight: 600; }
td.worse { color: var(--worse); background: #fef2f2; font-weight: 600; }
td.better { color: var(--better); background: #f0fdf4; font-weight: 600; }
td.changed { color: var(--changed); background: #fffbeb; font-weight: 600; }
td.basis { font-weight: 600; }
.verdict { font-size: 15px; }
figure.chart { margin: 12px 0 24px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
.phase-toggles { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 4px 0 8px; font-size: 13px; }
.phase-toggles label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
.phase-toggles .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.plot, .diff-plot { width: 100%; }
.hint { font-size: 12px; margin: 2px 0; }
details.test { margin: 12px 0; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; }
details.test summary { cursor: pointer; font-weight: 600; padding: 6px 0; }
`;
