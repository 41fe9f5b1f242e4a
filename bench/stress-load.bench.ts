// Which maintained Node load generator holds an open-loop rate on this machine: undici's Pool driven by a scheduler
// (what `memscope stress` uses, src/stress/runner/load-generator.ts) or autocannon with `overallRate`. Both send
// GET /healthz to the example service (a child process) at the same target rates, one after the other in this run;
// the figure is the rate achieved (answered requests per second) as a share of the target, and the generator's own
// CPU per 1,000 requests.
//   npm run bench:stress-load     → docs/stress-tests.md ("Load generator"), bench/results/stress/
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Pool } from 'undici';
import { machine, table } from './lib/results.js';

/** The part of autocannon's API used here (it ships no types). */
type Autocannon = (options: { url: string; connections: number; overallRate: number; duration: number }) => Promise<{
  requests: { total: number };
  '2xx': number;
  errors: number;
  non2xx: number;
}>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ROOT = new URL('../', import.meta.url).pathname;
const RATES = [250, 500, 1000, 2000];
const SECONDS = 8;
const CONNECTIONS = 32;

interface Figure {
  generator: 'undici' | 'autocannon';
  targetRate: number;
  achievedRate: number;
  errors: number;
  cpuMsPer1000: number;
}

async function startExample(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [`${ROOT}dist/cli/main.js`, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /http:\/\/[\d.]+:\d+/.exec(out);
      if (m !== null) resolve(m[0]);
    });
    child.once('exit', (code) => { reject(new Error(`the example exited (${code})`)); });
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function undiciOpenLoop(url: string, rate: number): Promise<Figure> {
  const pool = new Pool(url, { connections: CONNECTIONS });
  let answered = 0;
  let errors = 0;
  const pending = new Set<Promise<void>>();
  const cpu = process.cpuUsage();
  const start = performance.now();
  let sent = 0;
  for (;;) {
    const t = (performance.now() - start) / 1000;
    if (t >= SECONDS) break;
    for (const due = Math.floor(t * rate); sent < due; sent++) {
      const p = pool.request({ method: 'GET', path: '/healthz' }).then(
        async (res) => { await res.body.dump(); if (res.statusCode === 200 && (performance.now() - start) / 1000 <= SECONDS) answered++; },
        () => { errors++; },
      ).finally(() => { pending.delete(p); });
      pending.add(p);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.allSettled([...pending]);
  const used = process.cpuUsage(cpu);
  await pool.destroy();
  return { generator: 'undici', targetRate: rate, achievedRate: answered / SECONDS, errors, cpuMsPer1000: ((used.user + used.system) / 1000 / Math.max(1, sent)) * 1000 };
}

async function autocannonRate(url: string, rate: number): Promise<Figure> {
  const cpu = process.cpuUsage();
  const result = await autocannon({ url: `${url}/healthz`, connections: CONNECTIONS, overallRate: rate, duration: SECONDS });
  const used = process.cpuUsage(cpu);
  const total = result.requests.total;
  return { generator: 'autocannon', targetRate: rate, achievedRate: result['2xx'] / SECONDS, errors: result.errors + result.non2xx, cpuMsPer1000: ((used.user + used.system) / 1000 / Math.max(1, total)) * 1000 };
}

const example = await startExample();
const figures: Figure[] = [];
try {
  for (const rate of RATES) {
    figures.push(await undiciOpenLoop(example.url, rate));
    figures.push(await autocannonRate(example.url, rate));
    console.log(figures.slice(-2));
  }
} finally {
  example.stop();
}

const share = (f: Figure | undefined): string => (f === undefined ? '—' : `${Math.round(f.achievedRate)}/s (${Math.round((f.achievedRate / f.targetRate) * 100)} %)`);
const rows = RATES.map((rate) => {
  const u = figures.find((f) => f.generator === 'undici' && f.targetRate === rate);
  const a = figures.find((f) => f.generator === 'autocannon' && f.targetRate === rate);
  return [`${rate}/s`, share(u), share(a), `${u?.cpuMsPer1000.toFixed(0) ?? '—'} / ${a?.cpuMsPer1000.toFixed(0) ?? '—'} ms`];
});
const date = new Date().toISOString();
const section = [
  `_${machine()}; Node ${process.version}; ${date.slice(0, 10)}; ${SECONDS} s per rate, ${CONNECTIONS} connections, GET /healthz on the example service; \`npm run bench:stress-load\`_`,
  '',
  table(['target rate', 'undici + scheduler: achieved', 'autocannon overallRate: achieved', 'generator CPU per 1,000 requests (undici / autocannon)'], rows),
].join('\n');
mkdirSync(`${ROOT}bench/results/stress`, { recursive: true });
writeFileSync(`${ROOT}bench/results/stress/stress-load.node${process.versions.node.split('.')[0]}.json`, `${JSON.stringify({ suite: 'stress-load', runtime: `Node ${process.version}`, date, machine: machine(), section, figures }, null, 2)}\n`);
const docs = `${ROOT}docs/stress-tests.md`;
const text = readFileSync(docs, 'utf8');
const begin = '<!-- stress-load:begin (generated by bench/stress-load.bench.ts — do not edit) -->';
const end = '<!-- stress-load:end -->';
const from = text.indexOf(begin);
const to = text.indexOf(end);
if (from === -1 || to === -1) throw new Error(`docs/stress-tests.md has no ${begin} ... ${end} markers`);
writeFileSync(docs, `${text.slice(0, from + begin.length)}\n${section}\n${text.slice(to)}`);
console.log('docs/stress-tests.md: load generator section written');
