// The signal-quality benchmark of the leak verdict: leak and healthy shapes in fresh processes, many runs each, with
// the default heap limit and container-like (512 MiB memory cgroup, --max-old-space-size=256), judged from /metrics
// every 5 s. Two runs at a time; resumes from its results file; not part of `npm test`.
//
//   npm run bench:signal -- [--shapes all|leaks|healthy|slow|NAME,...] [--settings default,container] [--runs N]
//                           [--out FILE] [--dist DIR] [--parallel 2] [--list] [--dry-run]
// Then `npm run bench:signal:report` writes docs/signal-quality.md.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { memoryCgroupVersion } from './lib/cgroup.js';
import { resolveDist, SQ_DIR } from './lib/launch.js';
import { appendResult, pendingRuns, planRuns, readResults, type PlannedRun } from './lib/results.js';
import { runOne, type Build, type RunResult } from './lib/run-one.js';
import { SETTINGS, SHAPES, selectShapes, type Setting } from './lib/shapes.js';

export const DEFAULT_RESULTS = join(SQ_DIR, 'results', 'results.jsonl');

const { values } = parseArgs({
  options: {
    shapes: { type: 'string', default: 'all' },
    settings: { type: 'string', default: SETTINGS.join(',') },
    runs: { type: 'string' },
    out: { type: 'string', default: DEFAULT_RESULTS },
    dist: { type: 'string' },
    parallel: { type: 'string', default: '2' },
    list: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
});

if (values.list) {
  for (const s of SHAPES) console.log(`${s.name.padEnd(24)} ${s.kind.padEnd(8)} ${s.slow === true ? 'slow    ' : '        '}${s.description}`);
  process.exit(0);
}

const shapes = selectShapes(values.shapes);
const settings = values.settings.split(',').map((s) => s.trim()) as Setting[];
for (const s of settings) if (!SETTINGS.includes(s)) throw new Error(`--settings: unknown setting ${JSON.stringify(s)} (default, container)`);
const runs = values.runs === undefined ? undefined : Number(values.runs);
if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) throw new Error('--runs must be a positive integer');
const parallel = Number(values.parallel);
if (!(Number.isInteger(parallel) && parallel > 0)) throw new Error('--parallel must be a positive integer');
if (settings.includes('container') && (memoryCgroupVersion() === null || process.getuid?.() !== 0)) {
  throw new Error('the container setting needs root and a memory cgroup (v1 or v2); run as root or pass --settings default');
}
const out = resolve(values.out);
if (out.endsWith('.gz')) throw new Error('--out: runs are appended to a plain .jsonl file (gzip it once finished to commit it)');
const dist = resolveDist(values.dist);
const build = describeBuild(dist);

const { results: done, skipped } = readResults(out);
const foreign = done.filter((r) => r.build.dist !== build.dist || r.build.builtAt !== build.builtAt);
if (foreign.length > 0) {
  throw new Error(
    `${out} holds ${foreign.length} runs of another build (${foreign[0]!.build.dist}, built ${foreign[0]!.build.builtAt}); ` +
      `this one is ${build.dist}, built ${build.builtAt}. Pass --out with another file to measure this build.`,
  );
}
const plan = planRuns(shapes, settings, runs);
const pending = pendingRuns(plan, done);
const estimateS = pending.reduce((sum, p) => sum + (p.shape.kind === 'leak' ? Math.min(p.shape.durationS, 200) : p.shape.durationS) + 10, 0) / parallel;
console.log(
  `signal-quality: ${plan.length} runs planned, ${plan.length - pending.length} already in ${out}` +
    `${skipped > 0 ? ` (${skipped} unreadable lines skipped)` : ''}, ${pending.length} to go, ${parallel} at a time: ` +
    `roughly ${(estimateS / 3600).toFixed(1)} h. Build: ${build.dist} (${build.commit ?? 'no commit'}, built ${build.builtAt})`,
);
if (values['dry-run']) {
  for (const p of pending) console.log(`  ${describe(p)}`);
  process.exit(0);
}

let next = 0;
let finished = 0;
let failed = 0;
const startedAt = Date.now();

async function worker(id: number): Promise<void> {
  for (;;) {
    const planned = pending[next++];
    if (planned === undefined) return;
    try {
      const result = await runOne(planned.shape, planned.setting, planned.run, { dist, build, id: `${process.pid}-${id}` });
      appendResult(out, result);
      finished++;
      console.log(`[${finished + failed}/${pending.length}] ${describe(planned)}: ${summary(result)}`);
    } catch (error) {
      failed++;
      console.error(`[${finished + failed}/${pending.length}] ${describe(planned)}: FAILED, not recorded (a resume retries it): ${(error as Error).message}`);
    }
  }
}

await Promise.all(Array.from({ length: parallel }, (_, i) => worker(i + 1)));
console.log(`signal-quality: ${finished} runs recorded, ${failed} failed, in ${((Date.now() - startedAt) / 60_000).toFixed(1)} min`);
process.exitCode = failed === 0 ? 0 : 1;

function describe(p: PlannedRun): string {
  return `${p.shape.name} ${p.setting} #${p.run}`;
}

function summary(r: RunResult): string {
  const flag = r.firstFlagS === null ? 'never flagged' : `flagged at ${r.firstFlagS} s (${r.firstFlagKinds.join(', ')})${r.stayedFlagged === false ? ', dropped later' : ''}`;
  const rate = r.effective === null ? 'no probe' : `effective ${(r.effective.total / 1024).toFixed(0)} KiB/s`;
  const exit = r.exit.early ? `, EXITED early (${r.exit.outOfMemory ? 'out of memory' : `code ${r.exit.code}, ${r.exit.signal}`})` : '';
  return `${flag}; ${rate}; ${r.lastS} s${exit}`;
}

function describeBuild(distDir: string): Build {
  let commit: string | null = null;
  try {
    const git = (args: string[]): string => execFileSync('git', ['-C', dirname(distDir), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    commit = git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', '--', 'src']) === '' ? '' : '+dirty');
  } catch {
    commit = null;
  }
  return { dist: distDir, commit, builtAt: statSync(join(distDir, 'index.js')).mtime.toISOString() };
}
