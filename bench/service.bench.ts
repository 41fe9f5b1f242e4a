// The cost a user feels: an express 5 service under load, bare and with each instrumentation — memscope
// (startMemscope + metricsHandler), memscope with profiler.phase() around every request, prom-client's default metrics,
// OpenTelemetry's runtime instrumentation — in fresh processes, in interleaved rounds (each round runs every variant
// once, in a rotated order), with /metrics scraped every second with gzip accepted, as Prometheus does. The server is
// pinned to core 0 (`taskset -c 0`), wrk and the scraper to core 1. Every round is kept: each figure is the median of
// the rounds' ratios to bare (same round), with a distribution-free 95 % confidence interval.
//
//   npm run bench:service                                   (10 rounds of 10 s per variant: ~12 minutes per Node line)
//   SERVICE_ROUNDS=3 SERVICE_SECONDS=3 npm run bench:service   (a quick look; the docs say what was run)
// Needs wrk (Debian's `wrk` package: `npm run bench:service` installs it when missing and running as root).
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { serviceWork } from './lib/service-work.js';
import { formatRatio, median, medianInterval, quantile } from './lib/stats.js';
import { saveResult, table } from './lib/results.js';

const ROUNDS = Number(process.env.SERVICE_ROUNDS ?? 10);
const SECONDS = Number(process.env.SERVICE_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.SERVICE_WARMUP_SECONDS ?? 3);
const CONNECTIONS = 32;
const VARIANTS = ['bare', 'memscope', 'memscope-phase', 'prom-client', 'otel'] as const;
type Variant = (typeof VARIANTS)[number];
const LABELS: Record<Variant, string> = {
  bare: 'bare service',
  memscope: 'memscope (`startMemscope` + `metricsHandler`)',
  'memscope-phase': 'memscope + `profiler.phase()` around each request',
  'prom-client': 'prom-client `collectDefaultMetrics()`',
  otel: 'OTel instrumentation-runtime-node + exporter-prometheus',
};

const serverScript = new URL('./lib/service-server.ts', import.meta.url).pathname;
const wrkScript = new URL('./lib/wrk-report.lua', import.meta.url).pathname;

interface Run {
  variant: Variant;
  rps: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  errors: number;
  scrapesMs: number[];
  scrapeBytes: number;
}

/** A server child: its port, and its CPU time on request. */
class Server {
  private readonly lines: AsyncIterator<string>;

  private constructor(readonly child: ChildProcessByStdio<Writable, Readable, null>, readonly port: number, lines: AsyncIterator<string>) {
    this.lines = lines;
  }

  static async start(variant: Variant): Promise<Server> {
    const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', serverScript, variant], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done === true) throw new Error(`the ${variant} server exited before listening`);
    return new Server(child, (JSON.parse(first.value) as { port: number }).port, lines);
  }

  async cpuUs(): Promise<number> {
    this.child.stdin.write('cpu\n');
    const line = await this.lines.next();
    if (line.done === true) throw new Error('the server exited');
    return (JSON.parse(line.value) as { cpuUs: number }).cpuUs;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

function wrk(port: number, seconds: number): Promise<{ requests: number; durationUs: number; errors: number; p99Us: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '1', 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', wrkScript, `http://127.0.0.1:${port}/work`]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const json = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || json === undefined) reject(new Error(`wrk failed (${code}): ${out}`));
      else resolve(JSON.parse(json) as { requests: number; durationUs: number; errors: number; p99Us: number });
    });
  });
}

/** Scrapes /metrics every second with `Accept-Encoding: gzip` over a kept-alive connection until stopped. */
function scraper(port: number): { stop: () => Promise<{ ms: number[]; bytes: number }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  let bytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const scrape = (): Promise<void> => new Promise((resolve) => {
    const t0 = performance.now();
    const req = request({ port, host: '127.0.0.1', path: '/metrics', agent, headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      let size = 0;
      res.on('data', (chunk: Buffer) => { size += chunk.length; });
      res.on('end', () => {
        if (res.statusCode === 200) {
          ms.push(performance.now() - t0);
          bytes = size;
        }
        resolve();
      });
    });
    req.on('error', () => { resolve(); });
    req.end();
  });
  const timer = setInterval(() => { inFlight = scrape(); }, 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
      agent.destroy();
      return { ms, bytes };
    },
  };
}

async function measure(variant: Variant): Promise<Run> {
  const server = await Server.start(variant);
  try {
    await wrk(server.port, WARMUP_SECONDS);
    const scrapes = variant === 'bare' ? undefined : scraper(server.port);
    const cpu0 = await server.cpuUs();
    const load = await wrk(server.port, SECONDS);
    const cpu1 = await server.cpuUs();
    const scraped = (await scrapes?.stop()) ?? { ms: [], bytes: 0 };
    return {
      variant,
      rps: load.requests / (load.durationUs / 1e6),
      p99Ms: load.p99Us / 1000,
      cpuUsPerRequest: (cpu1 - cpu0) / load.requests,
      errors: load.errors,
      scrapesMs: scraped.ms,
      scrapeBytes: scraped.bytes,
    };
  } finally {
    await server.stop();
  }
}

/** CPU time of one request's work (both halves), measured here so the docs say how heavy a request is. */
function workMicroseconds(): number {
  for (let i = 0; i < 2000; i++) serviceWork(i);
  const c0 = process.cpuUsage();
  const n = 5000;
  for (let i = 0; i < n; i++) serviceWork(i);
  const c = process.cpuUsage(c0);
  return (2 * (c.user + c.system)) / n;
}

const loadBefore = loadavg()[0] ?? 0;
const started = Date.now();
const runs: Run[][] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Rotated so that no variant always runs first or last in a round (thermal state, other load drifting).
  const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
  const results: Run[] = [];
  for (const variant of order) results.push(await measure(variant));
  runs.push(results);
  const bare = results.find((r) => r.variant === 'bare')!;
  console.log(`round ${round + 1}/${ROUNDS}: ${results.map((r) => `${r.variant} ${(r.rps / bare.rps).toFixed(3)}`).join(', ')}`);
}
const loadAfter = loadavg()[0] ?? 0;
const work = workMicroseconds();
// `wrk --version` prints its version and exits with status 1.
const wrkVersion = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? 'wrk';

const ratios = (variant: Variant, field: 'rps' | 'p99Ms' | 'cpuUsPerRequest'): number[] =>
  runs.map((round) => round.find((r) => r.variant === variant)![field] / round.find((r) => r.variant === 'bare')![field]);
const scrapes = (variant: Variant): number[] => runs.flatMap((round) => round.find((r) => r.variant === variant)!.scrapesMs);
const bareRps = median(runs.map((round) => round.find((r) => r.variant === 'bare')!.rps));
const errors = runs.flat().reduce((sum, r) => sum + r.errors, 0);

const rows = VARIANTS.map((v) => {
  const s = scrapes(v);
  const bytes = median(runs.map((round) => round.find((r) => r.variant === v)!.scrapeBytes));
  return [
    LABELS[v],
    v === 'bare' ? `1 (${bareRps.toFixed(0)} req/s)` : formatRatio(ratios(v, 'rps')),
    v === 'bare' ? '1' : formatRatio(ratios(v, 'p99Ms')),
    v === 'bare' ? '1' : formatRatio(ratios(v, 'cpuUsPerRequest')),
    s.length === 0 ? '–' : `${median(s).toFixed(1)} ms (p95 ${quantile(s, 0.95).toFixed(1)} ms)`,
    s.length === 0 ? '–' : `${(bytes / 1024).toFixed(1)} KiB`,
  ];
});

const verdicts = (['memscope', 'memscope-phase'] as const).map((v) => {
  const rps = median(ratios(v, 'rps'));
  const p99 = median(ratios(v, 'p99Ms'));
  const ahead = median(ratios('prom-client', 'rps')) <= rps && median(ratios('otel', 'rps')) <= rps;
  return `${LABELS[v]}: req/s ${rps.toFixed(3)}× bare (target ≥ 0.99: ${rps >= 0.99 ? 'met' : 'not met'}), p99 ${p99.toFixed(3)}× ` +
    `(target ≤ 1.05: ${p99 <= 1.05 ? 'met' : 'not met'}), ${ahead ? 'ahead of' : 'not ahead of'} prom-client and OTel on req/s.`;
});
const scrapeVerdict = `Scrape under load: memscope ${median(scrapes('memscope')).toFixed(1)} ms, prom-client ` +
  `${median(scrapes('prom-client')).toFixed(1)} ms, OTel ${median(scrapes('otel')).toFixed(1)} ms (medians of every scrape; ` +
  `target: memscope no slower than prom-client: ${median(scrapes('memscope')) <= median(scrapes('prom-client')) ? 'met' : 'not met'}).`;

saveResult({
  suite: 'service',
  title: 'A service under load',
  sections: [
    table(['Variant', 'req/s ÷ bare', 'p99 ÷ bare', 'CPU per request ÷ bare', 'Scrape time under load', 'Scrape body (as sent)'], rows),
    verdicts.join(' ') + ' ' + scrapeVerdict,
    `Method: an express 5 service whose request does ${work.toFixed(0)} µs of CPU work (a 40-item JSON document ` +
      'built, serialized and parsed, twice) around an asynchronous boundary; each variant in a fresh process pinned to ' +
      `core 0; ${wrkVersion.split(' [')[0]} with ${CONNECTIONS} connections on core 1 (${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured); ` +
      '/metrics scraped every second with `Accept-Encoding: gzip` during the measured window. ' +
      `${ROUNDS} interleaved rounds (each variant once per round, rotated order), every round kept; each cell is the ` +
      'median of the per-round ratios to the same round\'s bare run, [95 % confidence interval of the median, from ' +
      `order statistics]. CPU per request is the server process's CPU time over the window ÷ requests. ${errors} request ` +
      `errors in total. Load average ${loadBefore.toFixed(2)} at the start, ${loadAfter.toFixed(2)} at the end, over ` +
      `${((Date.now() - started) / 60000).toFixed(0)} minutes.`,
  ],
  figures: {
    workUs: work,
    bareRps,
    loadBefore,
    loadAfter,
    rounds: ROUNDS,
    seconds: SECONDS,
    ...Object.fromEntries(VARIANTS.filter((v) => v !== 'bare').flatMap((v) => [
      [`${v} rps ratio`, median(ratios(v, 'rps'))],
      [`${v} rps ratio low`, medianInterval(ratios(v, 'rps')).low],
      [`${v} rps ratio high`, medianInterval(ratios(v, 'rps')).high],
      [`${v} p99 ratio`, median(ratios(v, 'p99Ms'))],
      [`${v} cpu ratio`, median(ratios(v, 'cpuUsPerRequest'))],
      [`${v} scrape ms`, median(scrapes(v))],
    ])),
  },
  rounds: Object.fromEntries(VARIANTS.flatMap((v) => [
    [`${v} rps`, runs.map((round) => round.find((r) => r.variant === v)!.rps)],
    [`${v} p99 ms`, runs.map((round) => round.find((r) => r.variant === v)!.p99Ms)],
    [`${v} cpu µs/request`, runs.map((round) => round.find((r) => r.variant === v)!.cpuUsPerRequest)],
    [`${v} scrapes ms`, scrapes(v)],
  ])),
});
