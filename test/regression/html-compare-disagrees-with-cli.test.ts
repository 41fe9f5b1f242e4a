// Issue [5/11] item 4: the HTML comparison marked "processing rate −46.8%" red where the CLI said "unchanged": the
// page highlighted any 5% change on its own. It now shows the verdicts of the same comparison the CLI prints.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/charts/index.js';
import { comparableReport } from '../../src/report/comparable.js';
import { compareReports } from '../../src/report/compare.js';
import type { BenchmarkReport } from '../../src/report/report-model.js';
import { realReport, withIterations } from '../report/report-fixtures.js';

const MIB = 1024 * 1024;
let base: BenchmarkReport;
beforeAll(async () => {
  base = await realReport({ iterations: 3 });
});

/** The verdict column of every row of the page's comparison tables, by row label. */
function pageVerdicts(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<tr><td>([^<]*)<\/td>(?:<td[^>]*>[^<]*<\/td>){6}<td(?: class="([a-z]+)")?>([a-z ]+)<\/td>/g)) out.set(m[1]!, `${m[3]!}${m[2] === undefined ? '' : `/${m[2]}`}`);
  return out;
}

describe('the HTML comparison and the CLI (regression)', () => {
  it('say the same thing about processing rate -46.8%: unchanged, not highlighted', () => {
    const a = withIterations(base, [0.02, 0.026, 0.021], [4 * MIB, 4.1 * MIB, 4.05 * MIB]);
    const b = withIterations(base, [0.04, 0.045, 0.041], [4 * MIB, 4.1 * MIB, 4.05 * MIB]);
    const cli = compareReports(comparableReport(a, 'A'), comparableReport(b, 'B'));
    const rate = cli.differences.find((d) => d.metric === 'processing rate')!;
    expect(rate.change).toBeCloseTo(-0.47, 1);
    expect(rate.verdict).toBe('unchanged');
    expect(pageVerdicts(renderHtmlReport([a, b])).get('Processing rate (mean, points/s)')).toBe('unchanged');
  });

  it('give every figure the same verdict', () => {
    const a = withIterations(base, [0.02, 0.021, 0.019], [4 * MIB, 4.1 * MIB, 4.05 * MIB]);
    const b = withIterations(base, [0.09, 0.091, 0.089], [6 * MIB, 6.1 * MIB, 6.05 * MIB]);
    const cli = compareReports(comparableReport(a, 'A'), comparableReport(b, 'B'));
    const page = pageVerdicts(renderHtmlReport([a, b]));
    const labels: Record<string, string> = { 'processing time': 'Processing time (mean)', 'CPU time': 'CPU time (mean)', 'memory usage': 'Memory usage (mean)', 'processing rate': 'Processing rate (mean, points/s)', 'peak RSS': 'Peak RSS (mean)', 'retained after GC': 'Retained after GC (mean)' };
    const classes: Record<string, string> = { regression: '/worse', improvement: '/better', inconclusive: '/changed', unchanged: '' };
    for (const d of cli.differences) {
      const label = d.phase === null ? labels[d.metric]! : `${d.phase}: ${{ time: 'duration', 'heap delta': 'heap delta', 'peak heap': 'peak heap' }[d.metric.split(': ')[1]!]}`;
      expect(page.get(label), d.metric).toBe(`${d.verdict}${classes[d.verdict]}`);
    }
    expect(cli.counts.regression).toBeGreaterThanOrEqual(3);
  });

  it('flag a different Node.js version and a refused configuration in the page as compare does in its header', () => {
    const a = withIterations(base, [0.02, 0.021, 0.019], [4 * MIB, 4.1 * MIB, 4.05 * MIB]);
    const upgraded = structuredClone(a);
    upgraded.environment.node = '24.11.1';
    const cli = compareReports(comparableReport(a, 'A'), comparableReport(upgraded, 'B'));
    expect(cli.configDifferences).toEqual([expect.objectContaining({ label: 'Node.js', action: 'flag' })]);
    const page = renderHtmlReport([a, upgraded]);
    expect(page).toMatch(/Flagged: the runs differ in<\/p><ul><li>Node\.js differs: [^<]* → 24\.11\.1 \(a legitimate question/);
    expect(page).not.toMatch(/Not comparable/);
    const bigger = structuredClone(a);
    bigger.config.pointsPerIteration = 5000;
    expect(compareReports(comparableReport(a, 'A'), comparableReport(bigger, 'B')).refused).toBe(true);
    expect(renderHtmlReport([a, bigger])).toMatch(/Not comparable: the runs did different work\..*<li>points per iteration differs: \d+ → 5000 \(time and memory grow/s);
  });
});
