// The exporter under load: a host process running memscope (startMemscope with its standalone /metrics server and a
// steady phase workload) against 200 concurrent scrapers for 30 s, slow readers, clients that disconnect
// mid-response, and scrapes during heavy GC. Measured in the host: its event-loop delay (what the service feels),
// its memory, and how many renders the scrapes cost; at the scrapers: answers, errors, and whether each body is a
// complete exposition. Writes bench/results/reliability/exporter-load.node<N>.json and the "The exporter under load"
// section of docs/reliability.md (between its markers) — never typed by hand.
//
//   npm run bench:exporter-load                      (30 s per scenario, about 2.5 minutes)
//   EXPORTER_LOAD_SECONDS=5 npm run bench:exporter-load   (a quick look; the docs say which duration was used)
import { fork } from 'node:child_process';
import { Agent, request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { machine, table } from './lib/results.js';

const HOST_ROLE = process.argv[2] === '--host';
const SECONDS = Number(process.env.EXPORTER_LOAD_SECONDS ?? 30);
const SCRAPERS = 200;

interface HostStats {
  eld: { p50: number; p99: number; max: number };
  rssMiB: number;
  heapUsedMiB: number;
  renders: number;
  handles: number;
  phases: number;
}

// ---------------------------------------------------------------------------------------------------------------------
// The host: a service with memscope, as the README shows it, plus a steady workload of phases.

async function host(): Promise<void> {
  const { startMemscope } = await import('../dist/index.js');
  const memscope = await startMemscope({ serviceName: 'exporter-load', server: { port: 0 }, shutdownSignals: [] });
  const reader = memscope.reader;
  let renders = 0;
  const render = reader.render.bind(reader);
  reader.render = () => {
    renders++;
    return render();
  };
  // A service's work: 100 distinct phase names (the default cap: 99 kinds of request and 'parse'), a phase every
  // millisecond.
  let phases = 0;
  const work = setInterval(() => {
    void memscope.profiler.phase(`request_${phases % 99}`, async () => {
      await memscope.profiler.phase('parse', () => JSON.parse(JSON.stringify({ n: phases, s: 'x'.repeat(200) })) as unknown);
    });
    phases++;
  }, 1);
  // Heavy GC on demand: short-lived garbage as fast as the loop allows (young and old generation), in slices.
  let storm: NodeJS.Timeout | undefined;
  const keep: unknown[] = [];
  const garbage = (): void => {
    const end = performance.now() + 8;
    while (performance.now() < end) {
      const batch = Array.from({ length: 2000 }, (_, i) => ({ i, s: `g${i}`, a: new Array<number>(16).fill(i) }));
      keep.push(batch);
      if (keep.length > 40) keep.splice(0, 20);
    }
    storm = setTimeout(garbage, 1);
  };
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  process.on('message', (message: { type: string }) => {
    if (message.type === 'reset') {
      eld.reset();
      renders = 0;
    } else if (message.type === 'storm') {
      garbage();
    } else if (message.type === 'calm') {
      clearTimeout(storm);
      keep.length = 0;
    } else if (message.type === 'stats') {
      global.gc?.();
      const m = process.memoryUsage();
      const stats: HostStats = {
        eld: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 },
        rssMiB: m.rss / 2 ** 20,
        heapUsedMiB: m.heapUsed / 2 ** 20,
        renders,
        handles: (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length,
        phases,
      };
      process.send?.({ type: 'stats', stats });
    } else if (message.type === 'stop') {
      clearInterval(work);
      clearTimeout(storm);
      eld.disable();
      void memscope.shutdown().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(1)); // the driver died: do not linger
  process.send?.({ type: 'ready', port: memscope.server?.port });
}

// ---------------------------------------------------------------------------------------------------------------------
// The driver: starts the host, runs each scenario, and writes the results.

interface Tally {
  requests: number;
  ok: number;
  incomplete: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  latencies: number[];
}

const newTally = (): Tally => ({ requests: 0, ok: 0, incomplete: 0, statuses: {}, errors: {}, latencies: [] });

async function driver(): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, ['--host'], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => {
    child.on('message', (m: { type: string; port?: number }) => { if (m.type === 'ready') resolve(m.port ?? 0); });
  });
  let hostExited: number | null = null;
  child.on('exit', (code) => { hostExited = code; });
  const ask = (): Promise<HostStats> => new Promise((resolve) => {
    const onMessage = (m: { type: string; stats?: HostStats }): void => {
      if (m.type === 'stats' && m.stats !== undefined) {
        child.off('message', onMessage);
        resolve(m.stats);
      }
    };
    child.on('message', onMessage);
    child.send({ type: 'stats' });
  });

  await sleep(2000); // warm-up: JIT, the first samples, 100 phase names registered
  const started = await ask();
  const load = loadavg()[0] ?? 0;
  const scenarios: Array<{ name: string; what: string; tally: Tally; extra: Record<string, number>; stats: HostStats }> = [];
  const run = async (name: string, what: string, seconds: number, load: (until: number, tally: Tally, extra: Record<string, number>) => Promise<void>): Promise<void> => {
    console.log(`scenario: ${name} (${seconds} s)`);
    child.send({ type: 'reset' });
    const tally = newTally();
    const extra: Record<string, number> = {};
    await load(Date.now() + seconds * 1000, tally, extra);
    const stats = await ask();
    // Work the clients left behind (requests still queued in the host) is drained before the next scenario, and
    // timed: the host renders until no render has started for a second.
    const t0 = Date.now();
    for (let last = -1, now = stats.renders; now !== last; ) {
      await sleep(1000);
      last = now;
      now = (await ask()).renders;
    }
    extra.drainSeconds = Math.max(0, Math.round((Date.now() - t0) / 1000) - 1);
    scenarios.push({ name, what, tally, extra, stats });
  };

  await run('idle (no scrapes)', 'the host alone, for comparison', Math.min(10, SECONDS), async (until) => { await sleep(until - Date.now()); });
  await run('1 scraper (Prometheus)', 'one scrape at a time, gzip, as Prometheus does', SECONDS, (until, tally) => scrapers(port, 1, until, tally));
  await run(`${SCRAPERS} concurrent scrapers`, `${SCRAPERS} clients scraping back to back with keep-alive and gzip`, SECONDS, (until, tally) => scrapers(port, SCRAPERS, until, tally));
  await run('slow readers', `50 clients that take an uncompressed body and read it ~16 KiB per second (or not at all), beside 20 normal scrapers`, SECONDS, async (until, tally, extra) => {
    await Promise.all([scrapers(port, 20, until, tally), slowReaders(port, 50, until, extra)]);
  });
  await run('disconnects mid-response', `${SCRAPERS} clients that hang up after the first chunk of an uncompressed body (or right after asking), beside 20 normal scrapers`, SECONDS, async (until, tally, extra) => {
    await Promise.all([scrapers(port, 20, until, tally), disconnectors(port, SCRAPERS, until, extra)]);
  });
  child.send({ type: 'storm' });
  await run('scrapes during heavy GC', `${SCRAPERS} scrapers while the host allocates short-lived objects non-stop (many minor and major GCs)`, SECONDS, (until, tally) => scrapers(port, SCRAPERS, until, tally));
  child.send({ type: 'calm' });
  await sleep(1000);
  const ended = await ask();
  child.send({ type: 'stop' });
  await new Promise((resolve) => child.once('exit', resolve));
  write(scenarios, started, ended, hostExited, Math.max(load, loadavg()[0] ?? 0));
}

const agentOptions = { keepAlive: true, maxSockets: SCRAPERS };

/** `n` clients scraping back to back until `until`, each body checked: a complete, parseable exposition. */
async function scrapers(port: number, n: number, until: number, tally: Tally): Promise<void> {
  const agent = new Agent(agentOptions);
  const one = async (): Promise<void> => {
    while (Date.now() < until) {
      const t0 = performance.now();
      tally.requests++;
      try {
        const { status, body } = await get(port, agent, { 'accept-encoding': 'gzip' });
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        if (status === 200) {
          if (complete(body)) tally.ok++;
          else tally.incomplete++;
        }
        tally.latencies.push(performance.now() - t0);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        tally.errors[code] = (tally.errors[code] ?? 0) + 1;
        await sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: n }, one));
  agent.destroy();
}

function get(port: number, agent: Agent, headers: Record<string, string>): Promise<{ status: number; body: Buffer; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent, headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        try {
          resolve({ status: res.statusCode ?? 0, body: res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw, encoding: res.headers['content-encoding'] });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => { req.destroy(new Error('timeout')); });
    req.on('error', reject);
    req.end();
  });
}

/** A complete exposition: memscope's series, and the last line whole. */
function complete(body: Buffer): boolean {
  const text = body.toString();
  return text.includes('\nprocess_memory_usage_bytes ') && text.includes('memscope_build_info') && text.endsWith('\n');
}

/**
 * Raw sockets that ask for an uncompressed body and read it slowly: whatever has arrived, once a second (a paused
 * socket stops taking data from the kernel once its buffer is full, so the server's writes back up); one in five never
 * reads at all. Each holds its connection to the end of the scenario unless the server closes it.
 */
async function slowReaders(port: number, n: number, until: number, extra: Record<string, number>): Promise<void> {
  let connections = 0;
  let bytesRead = 0;
  let closedByServer = 0;
  const one = async (i: number): Promise<void> => {
    while (Date.now() < until) {
      connections++;
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n');
        socket.pause();
        let ours = false;
        const tick = setInterval(() => {
          if (i % 5 === 0) return;
          const chunk = socket.read() as Buffer | null;
          if (chunk !== null) bytesRead += chunk.length;
        }, 1000);
        const stop = setTimeout(() => {
          ours = true;
          socket.destroy();
        }, Math.max(0, until - Date.now()));
        socket.on('close', () => {
          if (!ours) closedByServer++;
          clearInterval(tick);
          clearTimeout(stop);
          resolve();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  Object.assign(extra, { slowConnections: connections, slowKiBRead: Math.round(bytesRead / 1024), slowClosedByServer: closedByServer });
}

/** Clients that hang up mid-response: after the first chunk of an uncompressed body, or right after asking. */
async function disconnectors(port: number, n: number, until: number, extra: Record<string, number>): Promise<void> {
  let disconnects = 0;
  const one = async (i: number): Promise<void> => {
    while (Date.now() < until) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('close', () => { resolve(); });
        socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n');
        if (i % 2 === 0) setImmediate(() => socket.destroy());
        else socket.once('data', () => socket.destroy());
        setTimeout(() => socket.destroy(), 5000).unref();
      });
      disconnects++;
    }
  };
  await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  extra.disconnects = disconnects;
}

// ---------------------------------------------------------------------------------------------------------------------
// Results

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function write(scenarios: Array<{ name: string; what: string; tally: Tally; extra: Record<string, number>; stats: HostStats }>, started: HostStats, ended: HostStats, hostExited: number | null, load: number): void {
  const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '—');
  const count = (r: Record<string, number>): string => (Object.keys(r).length === 0 ? '0' : Object.entries(r).map(([k, v]) => `${v} ${k}`).join(', '));
  const rows = scenarios.map(({ name, tally, stats }) => [
    name,
    tally.requests === 0 ? '—' : `${tally.ok} / ${tally.requests}`,
    tally.requests === 0 ? '—' : String(tally.incomplete + Object.entries(tally.statuses).filter(([s]) => s !== '200').reduce((a, [, v]) => a + v, 0)),
    tally.requests === 0 ? '—' : count(tally.errors),
    tally.latencies.length === 0 ? '—' : `${f1(quantile(tally.latencies, 0.5))} / ${f1(quantile(tally.latencies, 0.99))}`,
    tally.requests === 0 ? '—' : `${stats.renders} (${(tally.requests / Math.max(1, stats.renders)).toFixed(1)} per render)`,
    `${f1(stats.eld.p50)} / ${f1(stats.eld.p99)} / ${f1(stats.eld.max)}`,
    `${f1(stats.rssMiB)} / ${f1(stats.heapUsedMiB)}`,
  ]);
  const notes = scenarios.filter((s) => Object.keys(s.extra).length > 0).map((s) => `- ${s.name}: ${Object.entries(s.extra).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  const figures: Record<string, number> = { seconds: SECONDS, scrapers: SCRAPERS, hostExitCode: hostExited ?? 0, loadAverage: load };
  for (const s of scenarios) {
    const key = s.name.replace(/[^a-z0-9]+/gi, '_');
    Object.assign(figures, {
      [`${key}.requests`]: s.tally.requests, [`${key}.ok`]: s.tally.ok, [`${key}.incomplete`]: s.tally.incomplete,
      [`${key}.errors`]: Object.values(s.tally.errors).reduce((a, b) => a + b, 0), [`${key}.renders`]: s.stats.renders,
      [`${key}.eldP99Ms`]: s.stats.eld.p99, [`${key}.eldMaxMs`]: s.stats.eld.max, [`${key}.rssMiB`]: s.stats.rssMiB, [`${key}.heapUsedMiB`]: s.stats.heapUsedMiB,
      [`${key}.latencyP50Ms`]: quantile(s.tally.latencies, 0.5), [`${key}.latencyP99Ms`]: quantile(s.tally.latencies, 0.99),
      ...Object.fromEntries(Object.entries(s.extra).map(([k, v]) => [`${key}.${k}`, v])),
    });
  }
  const date = new Date().toISOString();
  const section = [
    `_${machine()}, load average ${load.toFixed(1)} (the cores are shared); Node ${process.version}; ${date.slice(0, 10)}; ${SECONDS} s per scenario (the idle one ${Math.min(10, SECONDS)} s); suite \`bench/exporter-load.bench.ts\` (\`npm run bench:exporter-load\`)_`,
    '',
    'The host is a process running `startMemscope({ server: { port: 0 } })` with a phase every millisecond over 100 phase names; ' +
      'the scrapers run in another process on the same 2 cores. "Answered" counts 200s whose body was a complete exposition (memscope\'s series, ' +
      'last line whole, gzip intact); "Wrong" counts other statuses and cut bodies. Event-loop delay is measured in the host ' +
      '(`monitorEventLoopDelay`, 10 ms resolution): what the service feels while it is scraped. Memory is the host\'s after a full GC at the end of each scenario.',
    '',
    table(['Scenario', 'Answered / requests', 'Wrong', 'Client errors', 'Latency p50 / p99 (ms)', 'Renders in the host', 'Host event-loop delay p50 / p99 / max (ms)', 'Host RSS / heap (MiB)'], rows),
    '',
    ...notes,
    `- Host before the scenarios: RSS ${f1(started.rssMiB)} MiB, heap ${f1(started.heapUsedMiB)} MiB, ${started.handles} handles; after them: RSS ${f1(ended.rssMiB)} MiB, heap ${f1(ended.heapUsedMiB)} MiB, ${ended.handles} handles; ${ended.phases} phases run; the host ${hostExited === null ? 'was still running when asked to stop' : `exited with ${hostExited}`}.`,
  ].join('\n');
  mkdirSync(new URL('results/reliability/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`results/reliability/exporter-load.node${process.versions.node.split('.')[0]}.json`, import.meta.url), `${JSON.stringify({ suite: 'exporter-load', runtime: `Node ${process.version}`, date, machine: machine(), section, figures }, null, 2)}\n`);
  const docs = new URL('../docs/reliability.md', import.meta.url);
  const text = readFileSync(docs, 'utf8');
  const begin = '<!-- exporter-load:begin (generated by bench/exporter-load.bench.ts — do not edit) -->';
  const end = '<!-- exporter-load:end -->';
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`docs/reliability.md has no ${begin} ... ${end} markers`);
  writeFileSync(docs, `${text.slice(0, from + begin.length)}\n${section}\n${text.slice(to)}`);
  console.log(section);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

if (HOST_ROLE) await host();
else await driver();
