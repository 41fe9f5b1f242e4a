// Heap snapshots: what taking one costs a process (pause, extra memory, file size against heap size), and what
// reading one of a few hundred MB costs each parser (time, peak RSS). Results go to bench/results/heap/ and into
// the marked section of docs/heap-snapshots.md — never typed by hand. Run with `npm run bench:heap-parse`.
//
// HEAP_BENCH_SIZES (MiB of live heap, comma-separated; the largest snapshot is the parse input) default 32,64,128,300.
// The third-party parsers are installed into a scratch directory, never into the project: @memlab/core depends on
// puppeteer, whose install would download a browser (PUPPETEER_SKIP_DOWNLOAD keeps it from trying).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, table } from './lib/results.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SCRATCH = join(tmpdir(), 'memscope-heap-bench');
const CANDIDATES = { 'v8-heapsnapshot': '1.3.1', '@memlab/core': '2.0.5', '@memlab/heap-analysis': '2.0.5' };
const sizes = (process.env.HEAP_BENCH_SIZES ?? '32,64,128,300').split(',').map(Number).sort((a, b) => a - b);
const MiB = 2 ** 20;

interface Capture {
  mib: number;
  heapUsed: number;
  heapUsedAfter: number;
  heapLimit: number;
  rssBefore: number;
  maxRssAfter: number;
  pauseMs: number;
  pauseCpuMs: number;
  fileBytes: number;
}
interface Parse {
  candidate: string;
  ok: boolean;
  nodes: number;
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
  error?: string;
}

function installCandidates(): void {
  const have = Object.keys(CANDIDATES).every((name) => existsSync(join(SCRATCH, 'node_modules', name, 'package.json')));
  if (have) return;
  mkdirSync(SCRATCH, { recursive: true });
  writeFileSync(join(SCRATCH, 'package.json'), '{"name":"memscope-heap-bench-scratch","private":true}\n');
  const specs = Object.entries(CANDIDATES).map(([name, version]) => `${name}@${version}`);
  const run = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], {
    cwd: SCRATCH,
    stdio: 'inherit',
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' },
  });
  if (run.status !== 0) throw new Error('could not install the candidate parsers');
}

/** Runs `args` under GNU time for the peak RSS (of the process itself, OOM or not) and CPU time. */
function timed(args: string[], timeoutMs: number): { stdout: string; stderr: string; status: number | null; maxRssBytes: number; cpuMs: number; wallMs: number } {
  const run = spawnSync('/usr/bin/time', ['-f', 'MEMSCOPE_TIME %M %e %U %S', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * MiB });
  const m = /MEMSCOPE_TIME (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(run.stderr);
  return {
    stdout: run.stdout,
    stderr: run.stderr,
    status: run.status,
    maxRssBytes: m ? Number(m[1]) * 1024 : NaN,
    wallMs: m ? Number(m[2]) * 1000 : NaN,
    cpuMs: m ? (Number(m[3]) + Number(m[4])) * 1000 : NaN,
  };
}

function lastJson(stdout: string): unknown {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line === undefined ? undefined : JSON.parse(line);
}

mkdirSync(SCRATCH, { recursive: true });
installCandidates();

const captures: Capture[] = [];
let input = '';
for (const mib of sizes) {
  const file = join(SCRATCH, `heap-mix-${mib}.heapsnapshot`);
  console.log(`capture: ${mib} MiB of live heap`);
  const run = timed(['--expose-gc', 'test/fixtures/programs/heap-mix.mjs', String(mib), file], 30 * 60_000);
  const result = lastJson(run.stdout) as Omit<Capture, 'mib'> | undefined;
  if (result === undefined) throw new Error(`heap-mix ${mib} failed: ${run.stderr}`);
  captures.push({ mib, ...result });
  if (mib === sizes.at(-1)) input = file;
  else rmSync(file, { force: true });
}

const parses: Parse[] = [];
for (const candidate of ['memscope-read', 'memscope-analyse', 'memlab', 'v8-heapsnapshot']) {
  console.log(`parse: ${candidate}`);
  // Room to finish where a parser needs many GiB; a failure at that size is a result too.
  const run = timed(['--max-old-space-size=8192', 'bench/lib/heap-parse-child.mjs', candidate, input, SCRATCH], 20 * 60_000);
  const result = lastJson(run.stdout) as { nodes: number } | undefined;
  const error = result !== undefined ? undefined : (/(heap out of memory|ERR_\w+|Error: [^\n]+)/.exec(run.stderr)?.[1] ?? `exit ${String(run.status)} (timed out?)`);
  parses.push({ candidate, ok: result !== undefined, nodes: result?.nodes ?? 0, wallMs: run.wallMs, cpuMs: run.cpuMs, maxRssBytes: run.maxRssBytes, ...(error !== undefined && { error }) });
}
rmSync(input, { force: true });

const largest = captures.at(-1)!;
const mine = parses.find((p) => p.candidate === 'memscope-analyse')!;
const mb = (bytes: number): string => `${(bytes / MiB).toFixed(0)} MiB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const runtime = `Node ${process.version}`;
const captureTable = table(
  ['Live heap', 'Snapshot file', 'File / heap', 'Extra memory (peak RSS − RSS before)', 'Extra / heap', 'JS heap growth', 'Pause (wall)', 'Pause (CPU)'],
  captures.map((c) => [
    mb(c.heapUsed),
    mb(c.fileBytes),
    (c.fileBytes / c.heapUsed).toFixed(2),
    mb(c.maxRssAfter - c.rssBefore),
    ((c.maxRssAfter - c.rssBefore) / c.heapUsed).toFixed(2),
    `${((c.heapUsedAfter - c.heapUsed) / 1024).toFixed(0)} KiB`,
    s(c.pauseMs),
    s(c.pauseCpuMs),
  ]),
);
const parseTable = table(
  ['Parser', 'Result', 'Wall time', 'CPU time', 'Peak RSS', 'Peak RSS / file', 'Time vs memscope (CPU)'],
  parses.map((p) => [
    p.candidate,
    p.ok ? `${p.nodes.toLocaleString('en-US')} nodes` : `failed: ${p.error ?? ''}`,
    s(p.wallMs),
    s(p.cpuMs),
    mb(p.maxRssBytes),
    (p.maxRssBytes / largest.fileBytes).toFixed(2),
    `${(p.cpuMs / mine.cpuMs).toFixed(2)}×`,
  ]),
);
const section = [
  `<!-- generated by bench/heap-parse.bench.ts (npm run bench:heap-parse) — do not edit by hand -->`,
  `_${machine()}; ${runtime}; ${new Date().toISOString().slice(0, 10)}; load average while measuring: ${load} (the machine is shared: wall times are inflated, CPU times and memory are not)._`,
  '',
  '#### Taking a snapshot (`v8.writeHeapSnapshot()`, a process holding records, strings, arrays, Maps, closures and Buffers)',
  '',
  captureTable,
  '',
  `#### Reading the ${mb(largest.fileBytes)} snapshot of the ${mb(largest.heapUsed)} heap`,
  '',
  parseTable,
].join('\n');

mkdirSync(join(ROOT, 'bench/results/heap'), { recursive: true });
writeFileSync(join(ROOT, `bench/results/heap/heap-parse.node${process.versions.node.split('.')[0]}.json`), `${JSON.stringify({ runtime, machine: machine(), load, captures, parses }, null, 2)}\n`);
const docPath = join(ROOT, 'docs/heap-snapshots.md');
const doc = readFileSync(docPath, 'utf8');
const begin = '<!-- heap-parse:begin -->';
const end = '<!-- heap-parse:end -->';
const at = doc.indexOf(begin);
const to = doc.indexOf(end);
if (at < 0 || to < at) throw new Error(`docs/heap-snapshots.md has no ${begin} ... ${end} section`);
writeFileSync(docPath, `${doc.slice(0, at + begin.length)}\n${section}\n${doc.slice(to)}`);
console.log(section);
