import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderComparisonSvg, renderHtmlReport, renderTimelineSvg } from '../../src/charts/index.js';
import { anyReport as report, chartSize as size } from './helpers/arbitraries.js';
import { elements } from './helpers/svg-query.js';

/** What bounds a picture: a few path points per pixel column and series, a bounded number of elements, no NaN. */
function expectBounded(svg: string, width: number): void {
  // In coordinates and attributes (a note may name the value it left out, "time = Infinity").
  expect(svg).not.toMatch(/="[^"]*(NaN|Infinity|undefined)/);
  for (const path of [...elements(svg, 'path', 'series'), ...elements(svg, 'path', 'difference-line')]) {
    // At most two points per column (min and max) and a restart per break.
    expect((path.d ?? '').match(/[ML]/g)?.length ?? 0).toBeLessThanOrEqual(2 * width + 16);
  }
  expect(elements(svg, 'line').length).toBeLessThanOrEqual(width);
  expect(elements(svg, 'text').length).toBeLessThanOrEqual(width);
  expect(svg.length).toBeLessThan(400 * width + 200_000);
}

describe('charts under any figure a report can hold', () => {
  it('draw a timeline, bounded by the picture', () => {
    fc.assert(
      fc.property(report, size, (r, { width, height }) => {
        expectBounded(renderTimelineSvg(r, { width, height }), width);
      }),
      { numRuns: 1000 },
    );
  });

  it('draw a comparison, bounded by the picture', () => {
    fc.assert(
      fc.property(report, report, size, fc.constantFrom<'phases' | 'elapsed'>('phases', 'elapsed'), (a, b, { width, height }, align) => {
        expectBounded(renderComparisonSvg(a, b, { width, height, align }), width);
      }),
      { numRuns: 500 },
    );
  });

  it('write an HTML report whose data stays within its columns', () => {
    fc.assert(
      fc.property(report, fc.option(report), fc.integer({ min: 100, max: 400 }), (a, b, columns) => {
        const html = b === null ? renderHtmlReport(a, { columns }) : renderHtmlReport([a, b], { columns });
        const data = JSON.parse(/<script type="application\/json" id="memscope-data">(.*?)<\/script>/s.exec(html)![1]!) as { charts: { x: unknown[] }[] };
        for (const chart of data.charts) expect(chart.x.length).toBeLessThanOrEqual(4 * columns + 8);
        expect(html).not.toMatch(/"(NaN|Infinity)"/);
      }),
      { numRuns: 400 },
    );
  });
});
