// Shutdown with a full backlog: `memscope serve` on its defaults is sent 20,000-point jobs until it answers 503
// queue_full, then SIGTERM; measured: what it accepted, how long the drain took against the drain timeout, how many
// jobs were left unfinished, the exit status. With MEMSCOPE_BENCH_BASELINE=<dir holding an older dist/>, that build too.
//   npm run bench:service-drain    → docs/bms-service.md ("Shutdown with a full backlog"), bench/results/service/
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { generatePoints } from '../src/bms/data/generator.js';
import { table } from './lib/results.js';
import { builds, percentile, saveServiceResult, writeDocSection, type Build } from './lib/service-target.js';

const ROUNDS = 3;
const POINTS_PER_JOB = 20_000;
/** The issue's reproduction submitted 110 jobs: more than the old bound (100 waiting + 2 running) took. */
const MAX_SUBMITTED = 110;
const DRAIN_TIMEOUT_MS = 30_000;

interface Round {
  accepted: number;
  refusedAfter: number;
  drainMs: number;
  exit: string;
  unfinished: number;
  finishedPoints: number;
}

async function round(build: Build, body: string): Promise<Round> {
  const child = spawn(process.execPath, [join(build.dist, 'cli/main.js'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal });
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m !== null) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 20);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`serve exited before listening:\n${out}`));
    });
  });
  let accepted = 0;
  let refusedAfter = 0;
  for (let i = 0; i < MAX_SUBMITTED; i++) {
    const res = await fetch(`${url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.status === 202) accepted++;
    else {
      refusedAfter = accepted;
      break;
    }
  }
  const t0 = performance.now();
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  const drainMs = performance.now() - t0;
  const unfinished = Number(/stopped with (\d+) (?:of \d+ accepted )?job\(s\) unfinished/.exec(out)?.[1] ?? 0);
  return { accepted, refusedAfter, drainMs, exit: signal ?? String(code), unfinished, finishedPoints: (accepted - unfinished) * POINTS_PER_JOB };
}

const body = JSON.stringify({ points: generatePoints({ points: POINTS_PER_JOB, seed: 5 }) });
const load = loadavg()[0]!;
const results: Array<{ build: Build; rounds: Round[] }> = [];
for (const build of builds()) {
  const rounds: Round[] = [];
  // The baseline always runs into its timeout: one round of it says what there is to say.
  const n = build.label === 'this build' ? ROUNDS : 1;
  for (let r = 0; r < n; r++) {
    console.log(`${build.label}: round ${r + 1} of ${n}`);
    rounds.push(await round(build, body));
  }
  results.push({ build, rounds });
}

const rows = results.flatMap(({ build, rounds }) =>
  rounds.map((r, i) => [
    `${build.label}${rounds.length > 1 ? `, round ${i + 1}` : ''}`,
    r.refusedAfter > 0 ? `${r.accepted} (then 503 queue_full)` : `${r.accepted} (all ${MAX_SUBMITTED} submitted)`,
    (r.accepted * POINTS_PER_JOB).toLocaleString('en'),
    `${(r.drainMs / 1000).toFixed(1)} s`,
    String(r.unfinished),
    r.exit,
    // Only where every job finished in the drain: the build before went on finishing jobs after it had given up on them.
    r.unfinished === 0 ? Math.round(r.finishedPoints / (r.drainMs / 1000)).toLocaleString('en') : '—',
  ]),
);
const markdown = [
  `_Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; \`npm run bench:service-drain\`; load average ${load.toFixed(1)} on this machine's ${cpus().length} shared cores when it started. Each round: \`memscope serve\` on its defaults (drain timeout ${DRAIN_TIMEOUT_MS / 1000} s), ${POINTS_PER_JOB.toLocaleString('en')}-point JSON jobs submitted one after another until it answers 503 (at most ${MAX_SUBMITTED}), then SIGTERM; the drain time runs from SIGTERM to the process's exit._`,
  '',
  table(['Build', 'Jobs accepted', 'Points accepted', 'SIGTERM → exit', 'Jobs unfinished', 'Exit status', 'Drain throughput (points/s)'], rows),
  '',
  ...results
    .filter((r) => r.build.label === 'this build')
    .map(({ rounds }) => `Median drain: ${(percentile(rounds.map((r) => r.drainMs), 50) / 1000).toFixed(1)} s of the ${DRAIN_TIMEOUT_MS / 1000} s drain timeout.`),
].join('\n');
writeDocSection('service-drain', markdown);
saveServiceResult('service-drain', { loadAverage: load, results: results.map(({ build, rounds }) => ({ build: build.label, rounds })) });
console.log(markdown);
