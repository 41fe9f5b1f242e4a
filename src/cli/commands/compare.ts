import { Command } from 'commander';
import { MemscopeError } from '../../internal/errors.js';
import { formatBytes, parsePercent } from '../../internal/units.js';
import { toComparable } from '../../report/comparable.js';
import { compareReports, type Difference } from '../../report/compare.js';
import { figure, textTable } from '../../report/format.js';
import { readReport } from '../../report/read-report.js';
import { parser } from '../options.js';

interface CompareFlags {
  failOnRegression?: number;
  tolerance: number;
  json?: boolean;
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare two benchmark reports (JSON or text): time, memory, rate and each phase')
    .argument('<baseline>', 'the report to compare against')
    .argument('<current>', 'the new report')
    .option('--tolerance <percent>', 'differences within this (or within the runs\' own noise) count as unchanged', parser((v) => parsePercent('--tolerance', v)), 0.05)
    .option('--fail-on-regression <percent>', 'exit 6 when anything regressed by more than this, e.g. 10%', parser((v) => parsePercent('--fail-on-regression', v)))
    .option('--json', 'print the comparison as JSON')
    .action(async (baseline: string, current: string, flags: CompareFlags) => {
      await compare(baseline, current, flags);
    });
}

async function compare(baselinePath: string, currentPath: string, flags: CompareFlags): Promise<void> {
  const [a, b] = await Promise.all([readReport(baselinePath), readReport(currentPath)]);
  const comparison = compareReports(toComparable(a), toComparable(b), flags.tolerance);
  const limit = flags.failOnRegression;
  const failing = limit === undefined ? [] : comparison.regressions.filter((d) => d.change === null || Math.abs(d.change) > limit);
  if (flags.json === true) console.log(JSON.stringify({ ...comparison, failOnRegression: limit ?? null, failing: failing.map((d) => d.metric) }));
  else printComparison(comparison.differences, baselinePath, currentPath);
  if (failing.length > 0) {
    throw new MemscopeError(
      'MEMSCOPE_E_REGRESSION',
      `${failing.length} regression(s) beyond ${((limit ?? 0) * 100).toFixed(1)}%: ${failing.map((d) => `${d.metric} ${d.change === null ? '(from 0)' : `${d.change > 0 ? '+' : ''}${(d.change * 100).toFixed(1)}%`}`).join(', ')}`,
    );
  }
}

function show(d: Difference, v: number): string {
  return d.unit === 'bytes' ? formatBytes(v) : `${figure(v)}${d.unit === 'seconds' ? ' s' : '/s'}`;
}

function printComparison(differences: Difference[], a: string, b: string): void {
  console.log(`baseline: ${a}\ncurrent:  ${b}\n`);
  const rows = differences.map((d) => [
    d.metric,
    show(d, d.baseline),
    show(d, d.current),
    d.change === null ? 'n/a' : `${d.change > 0 ? '+' : ''}${(d.change * 100).toFixed(1)}%`,
    `±${(d.tolerance * 100).toFixed(1)}%`,
    d.verdict === 'regression' ? 'REGRESSION' : d.verdict,
  ]);
  for (const line of textTable(['Metric', 'Baseline', 'Current', 'Change', 'Tolerance', 'Verdict'], rows)) console.log(line);
  const count = (v: string) => differences.filter((d) => d.verdict === v).length;
  console.log(`\n${count('regression')} regression(s), ${count('improvement')} improvement(s), ${count('unchanged')} unchanged`);
}
