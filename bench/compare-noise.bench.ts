// `npm run bench:compare`: how often `memscope compare` reports a regression between two runs of the same
// configuration (it must never), and whether it catches a real one (a slower phase, more memory) — measured with real
// `memscope benchmark` runs, compared by the real CLI, then for every ordered pair of runs at other tolerances. Writes
// bench/results/compare-noise/node<major>.json and the generated section of docs/reports.md (not docs/benchmarks.md:
// these are figures of the comparison's design, read where the design is explained).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { toComparable, type Comparable } from '../dist/report/comparable.js';
import { compareReports, type CompareOptions, type Comparison } from '../dist/report/compare.js';
import { readReport } from '../dist/report/read-report.js';
import { machine, RESULTS_DIR, table } from './lib/results.js';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const DOC = new URL('../docs/reports.md', import.meta.url).pathname;
const BEGIN = '<!-- compare-noise:begin -->';
const END = '<!-- compare-noise:end -->';
const PAIRS = Number(process.env.COMPARE_BENCH_PAIRS ?? 10);
const work = mkdtempSync(join(tmpdir(), 'memscope-compare-bench-'));

interface Files {
  json: string;
  text: string;
}

let runCount = 0;
function benchmark(args: string[]): Files {
  const out = join(work, `run-${++runCount}`);
  const stdout = execFileSync(process.execPath, [CLI, 'benchmark', ...args, '--out', out, '--json'], { encoding: 'utf8' });
  return (JSON.parse(stdout) as { files: Files }).files;
}

/** The real CLI, as CI runs it: exit status and the counts of its --json output. */
function cli(a: string, b: string): { code: number; comparison: Comparison } {
  const run = spawnSync(process.execPath, [CLI, 'compare', a, b, '--json', '--fail-on-regression', '10%'], { encoding: 'utf8' });
  if (run.status === null || ![0, 6].includes(run.status)) throw new Error(`compare ${a} ${b} exited ${run.status}: ${run.stderr}`);
  return { code: run.status, comparison: JSON.parse(run.stdout) as Comparison };
}

async function comparable(path: string): Promise<Comparable> {
  return toComparable(await readReport(path));
}

const CONFIGS = [
  { name: '3 iterations × 500 points', args: ['--iterations', '3'] },
  { name: '5 iterations × 500 points', args: ['--iterations', '5'] },
  { name: '3 iterations × 5000 points', args: ['--iterations', '3', '--points', '5000'] },
];

const loadBefore = loadavg()[0] ?? 0;
const started = Date.now();
const sameConfigRows: Array<Array<string | number>> = [];
const sweepRows: Array<Array<string | number>> = [];
const figures: Record<string, number> = {};
const clean = new Map<string, Files[]>();

// Same configuration: PAIRS pairs of runs, one after the other, compared by the CLI in JSON and in text.
const SWEEP: Array<{ label: string; options: CompareOptions }> = [
  { label: 'defaults (time 150%, memory 10%)', options: {} },
  { label: 'time 100%', options: { timeTolerance: 1 } },
  { label: 'time 50%, memory 5%', options: { timeTolerance: 0.5, tolerance: 0.05 } },
  { label: 'all 5% (the tolerance before)', options: { timeTolerance: 0.05, tolerance: 0.05 } },
];
/** Which figures a comparison called regressions, counted: "CPU time ×2, memory usage". */
function tally(names: string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts.size === 0 ? '—' : [...counts].map(([n, c]) => `${n}${c > 1 ? ` ×${c}` : ''}`).join(', ');
}
for (const config of CONFIGS) {
  const runs = Array.from({ length: PAIRS * 2 }, () => benchmark(config.args));
  clean.set(config.name, runs);
  let regressions = 0;
  let improvements = 0;
  let inconclusive = 0;
  let failedExits = 0;
  const regressed: string[] = [];
  for (let i = 0; i < PAIRS; i++) {
    for (const format of ['json', 'text'] as const) {
      const { code, comparison } = cli(runs[2 * i]![format], runs[2 * i + 1]![format]);
      if (comparison.counts.regression > 0) regressions++;
      regressed.push(...comparison.regressions.map((d) => d.metric));
      if (comparison.counts.improvement > 0) improvements++;
      inconclusive += comparison.counts.inconclusive;
      if (code !== 0) failedExits++;
    }
  }
  sameConfigRows.push([config.name, `${PAIRS} × 2 (JSON, text)`, regressions, improvements, failedExits, inconclusive, tally(regressed)]);
  figures[`${config.name}: pairs with a regression`] = regressions;
  // Every ordered pair of the runs, at other tolerances: how much room the defaults leave.
  const all = await Promise.all(runs.map((r) => comparable(r.json)));
  for (const { label, options } of SWEEP) {
    let pairs = 0;
    let flagged = 0;
    const names: string[] = [];
    for (let i = 0; i < all.length; i++) {
      for (let j = 0; j < all.length; j++) {
        if (i === j) continue;
        pairs++;
        const c = compareReports(all[i]!, all[j]!, options);
        if (c.counts.regression > 0) flagged++;
        names.push(...new Set(c.regressions.map((d) => d.metric.replace(/^phase [^:]*:/, 'phase …:'))));
      }
    }
    sweepRows.push([config.name, label, pairs, flagged, `${((100 * flagged) / pairs).toFixed(1)}%`, tally(names)]);
    figures[`${config.name}: ${label}: false regression rate`] = flagged / pairs;
  }
}

// Real regressions: runs with a fault injected, each compared with a clean run of the same configuration.
const SLOWER = ['phase classify: time', 'CPU time'];
const FAULTS = [
  { name: 'classify 2 ms slower per batch (10 ms of busy-waiting per iteration)', args: ['--inject-slow-phase', 'classify:2'], metrics: SLOWER },
  { name: 'classify 5 ms slower per batch (25 ms of busy-waiting per iteration)', args: ['--inject-slow-phase', 'classify:5'], metrics: SLOWER },
  { name: 'classify 20 ms slower per batch (100 ms of busy-waiting per iteration)', args: ['--inject-slow-phase', 'classify:20'], metrics: SLOWER },
  { name: '256 KiB of heap retained per iteration', args: ['--inject-leak-per-request', '256KiB'], metrics: ['memory usage'] },
  { name: '1 MiB of heap retained per iteration', args: ['--inject-leak-per-request', '1MiB'], metrics: ['memory usage'] },
  { name: '16 MiB Buffer held in classify (RSS)', args: ['--inject-spike', '16MiB'], metrics: ['peak RSS'] },
];
const DETECTION_CONFIGS = CONFIGS.slice(0, 2);
const detectionRows: Array<Array<string | number>> = [];
const detectionPairs = Math.min(PAIRS, 5);
for (const fault of FAULTS) {
  for (const config of DETECTION_CONFIGS) {
    const baselines = clean.get(config.name) ?? [];
    let caught = 0;
    let failed = 0;
    const changes: number[][] = fault.metrics.map(() => []);
    const found: string[] = [];
    const also: string[] = [];
    for (let i = 0; i < detectionPairs; i++) {
      const faulty = benchmark([...config.args, ...fault.args]);
      const { code, comparison } = cli(baselines[i]!.json, faulty.json);
      const hits = comparison.regressions.filter((d) => fault.metrics.includes(d.metric));
      if (hits.length > 0) caught++;
      found.push(...hits.map((d) => d.metric));
      also.push(...new Set(comparison.regressions.filter((d) => !fault.metrics.includes(d.metric)).map((d) => d.metric.replace(/^phase [^:]*:/, 'phase …:'))));
      if (code === 6) failed++;
      fault.metrics.forEach((m, k) => changes[k]!.push(comparison.differences.find((x) => x.metric === m)?.change ?? Number.NaN));
    }
    const median = (xs: number[]): string => {
      const v = [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
      return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)}%`;
    };
    detectionRows.push([fault.name, config.name, fault.metrics.map((m, k) => `\`${m}\` ${median(changes[k]!)}`).join(', '), `${caught} / ${detectionPairs}`, tally(found), tally(also), `${failed} / ${detectionPairs}`]);
    figures[`${fault.name}, ${config.name}: detected`] = caught / detectionPairs;
  }
}

const loadAfter = loadavg()[0] ?? 0;
const runtime = `Node ${process.version}`;
const section = [
  BEGIN,
  '<!-- generated by bench/compare-noise.bench.ts — do not edit; run `npm run bench:compare` -->',
  `_Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, ${runtime}, load average ${loadBefore.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end (the machine is shared), in ${((Date.now() - started) / 60_000).toFixed(0)} minutes._`,
  '',
  '**Runs of the same configuration** — pairs of `memscope benchmark` runs, one after the other, compared by `memscope compare --json --fail-on-regression 10%` as JSON reports and as text reports:',
  '',
  table(['Configuration', 'Pairs', 'Pairs with a regression', 'Pairs with an improvement', 'Exits 6', 'Inconclusive figures (all pairs)', 'Figures called regressions'], sameConfigRows),
  '',
  '**Every ordered pair of those runs**, judged at other tolerances (the false-regression rate: pairs with at least one regression):',
  '',
  table(['Configuration', 'Tolerances', 'Ordered pairs', 'With a regression', 'Rate', 'Figures called regressions (pairs)'], sweepRows),
  '',
  `**Real regressions** — runs with a fault injected (\`benchmark --inject-*\`), each compared with a clean run of the same configuration (${detectionPairs} pairs each):`,
  '',
  table(['Fault', 'Configuration', 'Figures (median change)', 'Caught', 'By', 'Other figures called regressions (pairs)', 'Exit 6 with --fail-on-regression 10%'], detectionRows),
  END,
].join('\n');

const doc = readFileSync(DOC, 'utf8');
const [before, rest] = [doc.slice(0, doc.indexOf(BEGIN)), doc.slice(doc.indexOf(END) + END.length)];
if (!doc.includes(BEGIN) || !doc.includes(END)) throw new Error(`${DOC} has no ${BEGIN} … ${END} section`);
writeFileSync(DOC, `${before}${section}${rest}`);
const resultsDir = join(RESULTS_DIR, 'compare-noise');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `node${process.versions.node.split('.')[0]}.json`), `${JSON.stringify({ suite: 'compare-noise', runtime, date: new Date().toISOString(), machine: machine(), loadBefore, loadAfter, figures, section }, null, 2)}\n`);
console.log(section);
// COMPARE_BENCH_KEEP=1 keeps the reports, to look into a pair.
if (process.env.COMPARE_BENCH_KEEP === '1') console.log(`reports kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
