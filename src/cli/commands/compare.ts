import { Command, Option } from 'commander';
import { MemscopeError, invalidOption } from '../../internal/errors.js';
import { parseBytes, parsePercent } from '../../internal/units.js';
import { toComparable } from '../../report/comparable.js';
import { COMPARE_DEFAULTS, compareReports, type Comparison } from '../../report/compare.js';
import { describeConfigDifference, formatComparison, showChange } from '../../report/compare-text.js';
import { DEFAULT_MAX_REPORT_BYTES, MAX_REPORT_BYTES_LIMIT, readReport } from '../../report/read-report.js';
import { terminalSafe, terminalSafeJson } from '../../report/terminal-text.js';
import { parser } from '../options.js';

interface CompareFlags {
  tolerance: number;
  timeTolerance: number;
  failOnRegression?: number;
  force?: boolean;
  maxReportSize: number;
  json?: boolean;
}

const HELP = `
Verdicts: a change is a regression (or improvement) only when it is beyond its tolerance, beyond a floor (${COMPARE_DEFAULTS.timeFloorSec * 1000} ms,
${COMPARE_DEFAULTS.memoryFloorBytes / 1024} KiB) and shown by the iterations' spread (Welch's t-test, p < ${COMPARE_DEFAULTS.significance}); beyond the tolerance but not shown,
it is "inconclusive" (run more iterations). Wall-clock time is CPU time plus waiting for the CPU, which a busy
machine makes long: processing time and rate take CPU time's verdict, and a phase's time must grow by more than the
runs' waits, the way the run's CPU time grew (otherwise "not in the run's CPU time": inconclusive). Reports without
CPU time cannot tell waiting from work: their wall-clock changes are at most inconclusive. On a dedicated machine,
lower --time-tolerance.

Runs of a different workload, points per iteration or batch size are refused (exit 12, MEMSCOPE_E_NOT_COMPARABLE)
unless --force; other differences (iterations, seed, Node.js, machine, limits, memscope version, injected faults)
are flagged in the header. Exit 6 with --fail-on-regression; 3, 4, 5 for unreadable, malformed and unknown-version
reports (docs/errors.md).`;

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare two benchmark reports (JSON or text): time, memory, rate and each phase, judged against the runs\' noise')
    .argument('<baseline>', 'the report to compare against')
    .argument('<current>', 'the new report')
    .addOption(percentOption('--tolerance <percent>', 'memory figures: changes within this count as unchanged', COMPARE_DEFAULTS.tolerance))
    .addOption(percentOption('--time-tolerance <percent>', 'time figures: changes within this count as unchanged (150% = up to 2.5x)', COMPARE_DEFAULTS.timeTolerance))
    .option('--fail-on-regression <percent>', 'exit 6 when anything regressed by more than this, e.g. 10%', parser((v) => parsePercent('--fail-on-regression', v)))
    .option('--force', 'compare runs whose workload, points per iteration or batch size differ')
    .addOption(new Option('--max-report-size <size>', 'refuse report files larger than this, up to 500MiB').argParser(parser(maxReportSize)).default(DEFAULT_MAX_REPORT_BYTES, '256MiB'))
    .option('--json', 'print the comparison as JSON')
    .addHelpText('after', HELP)
    .action(async (baseline: string, current: string, flags: CompareFlags) => {
      await compare(baseline, current, flags);
    });
}

/** A percentage option whose default is shown as a percentage in --help. */
function percentOption(flags: string, description: string, fallback: number): Option {
  const name = flags.split(' ')[0] ?? flags;
  return new Option(flags, description).argParser(parser((v) => parsePercent(name, v))).default(fallback, `${fallback * 100}%`);
}

function maxReportSize(value: string): number {
  const bytes = parseBytes('--max-report-size', value);
  if (bytes < 1024 || bytes > MAX_REPORT_BYTES_LIMIT) throw invalidOption('--max-report-size', 'a size from 1KiB to 500MiB', value);
  return bytes;
}

async function compare(baselinePath: string, currentPath: string, flags: CompareFlags): Promise<void> {
  const options = { maxBytes: flags.maxReportSize };
  const [a, b] = await Promise.all([readReport(baselinePath, options), readReport(currentPath, options)]);
  const comparison = compareReports(toComparable(a), toComparable(b), { tolerance: flags.tolerance, timeTolerance: flags.timeTolerance });
  if (comparison.refused && flags.force !== true) {
    if (flags.json === true) {
      const { baseline, current, runs, configDifferences } = comparison;
      console.log(terminalSafeJson({ baseline, current, runs, configDifferences, refused: true }));
    }
    const refusing = comparison.configDifferences.filter((d) => d.action === 'refuse');
    throw new MemscopeError(
      'MEMSCOPE_E_NOT_COMPARABLE',
      `the runs did different work, so their figures differ for that alone: ${refusing.map(describeConfigDifference).join('; ')}. --force compares them anyway`,
    );
  }
  const limit = flags.failOnRegression;
  const failing = limit === undefined ? [] : comparison.regressions.filter((d) => d.change === null || Math.abs(d.change) > limit);
  if (flags.json === true) console.log(terminalSafeJson({ ...comparison, forced: comparison.refused, failOnRegression: limit ?? null, failing: failing.map((d) => d.metric) }));
  else for (const line of formatComparison(comparison)) console.log(line);
  if (failing.length > 0) throw regression(failing, limit ?? 0);
}

function regression(failing: Comparison['regressions'], limit: number): MemscopeError {
  const list = failing.map((d) => `${terminalSafe(d.metric)} ${showChange(d.change)}`).join(', ');
  return new MemscopeError('MEMSCOPE_E_REGRESSION', `${failing.length} regression(s) beyond ${(limit * 100).toFixed(1)}%: ${list}`);
}
