// The BMS service's event loop under load: /healthz latency and event-loop delay (measured inside the service) while
// a 7.5 MB CSV and a 9.5 MB JSON body are parsed and their jobs run, and 200 concurrent scrapers of /metrics for 10 s
// (scrapes completed, errors — a scrape over 10 s is one, as it is to Prometheus), idle and while large bodies arrive. With MEMSCOPE_BENCH_BASELINE=<dir holding an older
// dist/> the same run measures that build too, so before and after share the machine's state.
//   npm run bench:service-loop     → docs/bms-service.md ("Event loop under load"), bench/results/service/
import { loadavg } from 'node:os';
import { Agent, request } from 'undici';
import { table } from './lib/results.js';
import { bodyOfSize, builds, percentile, probeHealth, saveServiceResult, startService, writeDocSection, type Build, type ServiceChild } from './lib/service-target.js';

const REPEATS = 3;
const SCRAPERS = 200;
const SCRAPE_SECONDS = 10;

const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : 'failed');

interface Window {
  label: string;
  healthz: number[];
  delayMaxMs: number;
  delayP99Ms: number;
  note: string;
}

async function waitForJob(service: ServiceChild, id: string): Promise<string> {
  for (;;) {
    const res = await fetch(`${service.url}/api/onboarding/jobs/${id}`);
    const job = (await res.json()) as { status?: string };
    if (res.status !== 200) return `HTTP ${res.status}`;
    if (job.status === 'succeeded' || job.status === 'failed') return job.status;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POSTs `body` REPEATS times: one window while it is read and parsed (until 202), one while its job runs. */
async function bodyWindows(service: ServiceChild, what: string, body: { text: string; points: number }, type: string): Promise<Window[]> {
  const parse: Window = { label: `${what} parsed (POST → 202)`, healthz: [], delayMaxMs: 0, delayP99Ms: 0, note: '' };
  const run: Window = { label: `its job running (${body.points.toLocaleString('en')} points)`, healthz: [], delayMaxMs: 0, delayP99Ms: 0, note: '' };
  const posts: number[] = [];
  const jobs: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    await service.resetDelay();
    const t0 = performance.now();
    const posted = fetch(`${service.url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': type }, body: body.text }).then(async (res) => ({ status: res.status, json: (await res.json()) as { id?: string } }));
    parse.healthz.push(...(await probeHealth(service.url, posted)));
    const answer = await posted;
    posts.push(performance.now() - t0);
    const d1 = await service.readDelay();
    parse.delayMaxMs = Math.max(parse.delayMaxMs, d1.maxMs);
    parse.delayP99Ms = Math.max(parse.delayP99Ms, d1.p99Ms);
    if (answer.status !== 202 || answer.json.id === undefined) throw new Error(`POST ${what}: HTTP ${answer.status}`);
    await service.resetDelay();
    const t1 = performance.now();
    const finished = waitForJob(service, answer.json.id);
    run.healthz.push(...(await probeHealth(service.url, finished)));
    const status = await finished;
    jobs.push(performance.now() - t1);
    const d2 = await service.readDelay();
    run.delayMaxMs = Math.max(run.delayMaxMs, d2.maxMs);
    run.delayP99Ms = Math.max(run.delayP99Ms, d2.p99Ms);
    if (status !== 'succeeded') run.note = `job ${status}`;
  }
  parse.note = `POST → 202 in ${percentile(posts, 50).toFixed(0)} ms (median)`;
  run.note ||= `job done in ${percentile(jobs, 50).toFixed(0)} ms (median)`;
  return [parse, run];
}

/** SCRAPERS connections scraping /metrics back to back for SCRAPE_SECONDS, as Prometheus asks (gzip). */
async function scrapeWindow(service: ServiceChild, label: string, alongside?: (stop: Promise<void>) => Promise<string>): Promise<Window> {
  const dispatcher = new Agent({ connections: SCRAPERS, pipelining: 1 });
  await service.resetDelay();
  let done = false;
  let completed = 0;
  let errors = 0;
  const kinds = new Map<string, number>();
  const fail = (kind: string): void => {
    errors++;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  };
  const stop = new Promise<void>((resolve) =>
    setTimeout(() => {
      done = true;
      resolve();
    }, SCRAPE_SECONDS * 1000),
  );
  const latencies: number[] = [];
  const scraper = async (): Promise<void> => {
    while (!done) {
      const t0 = performance.now();
      try {
        const res = await request(`${service.url}/metrics`, { dispatcher, headers: { accept: 'text/plain;version=0.0.4', 'accept-encoding': 'gzip' }, headersTimeout: 10_000, bodyTimeout: 10_000 });
        await res.body.dump();
        latencies.push(performance.now() - t0);
        if (res.statusCode === 200) completed++;
        else fail(`HTTP ${res.statusCode}`);
      } catch (error) {
        fail((error as Error).message);
      }
    }
  };
  const extra = alongside?.(stop);
  const [healthz] = await Promise.all([probeHealth(service.url, stop), ...Array.from({ length: SCRAPERS }, scraper)]);
  const extraNote = extra === undefined ? '' : `; ${await extra}`;
  const delay = await service.readDelay();
  await dispatcher.close();
  return { label, healthz, delayMaxMs: delay.maxMs, delayP99Ms: delay.p99Ms, note: `${completed} scrapes (${(completed / SCRAPE_SECONDS).toFixed(0)}/s; latency p50 ${ms(percentile(latencies, 50))} ms, max ${ms(Math.max(...latencies))} ms), ${errors} errors${errors > 0 ? ` (${[...kinds].map(([k, n]) => `${n}× ${k}`).join(', ')})` : ''}${extraNote}` };
}

/** Large bodies POSTed one after another until `stop` (after a 503, as Retry-After asks, a pause). */
function postBodiesUntil(service: ServiceChild, bodies: Array<{ text: string; type: string }>): (stop: Promise<void>) => Promise<string> {
  return async (stop) => {
    const state = { stopped: false };
    void stop.then(() => (state.stopped = true));
    const statuses = new Map<number, number>();
    for (let i = 0; !state.stopped; i++) {
      const body = bodies[i % bodies.length]!;
      const res = await fetch(`${service.url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': body.type }, body: body.text });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 503) await new Promise((r) => setTimeout(r, 1000));
    }
    return `meanwhile ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')} to 7.5 MB CSV / 9.5 MB JSON POSTs`;
  };
}

async function measure(build: Build, csv: { text: string; points: number }, json: { text: string; points: number }): Promise<Window[]> {
  console.log(`measuring ${build.label} (${build.dist})`);
  const service = await startService(build);
  try {
    // Warm-up: compile the parsers and the pipeline before anything is timed.
    await bodyWindows(service, 'warm-up', { text: csv.text.slice(0, 20_000).replace(/\n[^\n]*$/, '\n'), points: 0 }, 'text/csv');
    await service.resetDelay();
    const idleHealthz = await probeHealth(service.url, new Promise((r) => setTimeout(r, 2000)));
    const idleDelay = await service.readDelay();
    const idle: Window = { label: 'idle', healthz: idleHealthz, delayMaxMs: idleDelay.maxMs, delayP99Ms: idleDelay.p99Ms, note: '' };
    const windows = [
      idle,
      ...(await bodyWindows(service, `${(Buffer.byteLength(csv.text) / 1e6).toFixed(1)} MB CSV`, csv, 'text/csv')),
      ...(await bodyWindows(service, `${(Buffer.byteLength(json.text) / 1e6).toFixed(1)} MB JSON`, json, 'application/json')),
      await scrapeWindow(service, `${SCRAPERS} scrapers of /metrics, ${SCRAPE_SECONDS} s`),
      await scrapeWindow(
        service,
        `${SCRAPERS} scrapers of /metrics, ${SCRAPE_SECONDS} s, large bodies arriving`,
        postBodiesUntil(service, [
          { text: csv.text, type: 'text/csv' },
          { text: json.text, type: 'application/json' },
        ]),
      ),
    ];
    return windows;
  } finally {
    await service.close();
  }
}

const load = loadavg()[0]!;
const csv = bodyOfSize(7.5e6, 'csv');
const json = bodyOfSize(9.5e6, 'json');
const results: Array<{ build: Build; windows: Window[] }> = [];
for (const build of builds()) results.push({ build, windows: await measure(build, csv, json) });

const sections = results.map(({ build, windows }) =>
  [
    `**${build.label}**`,
    '',
    table(
      ['Load', '/healthz p50 (ms)', '/healthz p99 (ms)', '/healthz max (ms)', 'loop delay p99 (ms)', 'loop delay max (ms)', ''],
      windows.map((w) => [w.label, ms(percentile(w.healthz, 50)), ms(percentile(w.healthz, 99)), ms(Math.max(...w.healthz)), ms(w.delayP99Ms), ms(w.delayMaxMs), w.note]),
    ),
  ].join('\n'),
);
const markdown = [
  `_Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; \`npm run bench:service-loop\`; load average ${load.toFixed(1)} on the machine's 2 shared cores when it started. /healthz is probed one request at a time (as a healthcheck does); the loop delay is measured inside the service (monitorEventLoopDelay, 1 ms resolution); body rows are ${REPEATS} POSTs each, the scraper rows ${SCRAPERS} keep-alive connections asking for gzip as Prometheus does. The bench client shares the machine's 2 cores with the service._`,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n');
writeDocSection('service-loop', markdown);
saveServiceResult('service-loop', { loadAverage: load, builds: results.map(({ build, windows }) => ({ build: build.label, windows: windows.map((w) => ({ label: w.label, healthzP50Ms: percentile(w.healthz, 50), healthzP99Ms: percentile(w.healthz, 99), healthzMaxMs: Math.max(...w.healthz), probes: w.healthz.length, delayP99Ms: w.delayP99Ms, delayMaxMs: w.delayMaxMs, note: w.note })) })) });
console.log(markdown);
