// A steady HTTP load from its own process: an open-loop scheduler that sends request i at start + i / rate whatever
// the service's latency (a closed loop would slow down with the service and hide what a real stream of clients does),
// over keep-alive connections. Requests that would exceed --max-in-flight are counted as dropped, not queued.
// Prints `sq-load {json}` every 5 s and on SIGTERM: sent, answered by status class, failed, dropped.
//
//   tsx load-generator.ts --url http://127.0.0.1:PORT --target orders|jobs --rate 100 [--seed 1] [--points 50]
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { createOnboardingJob, encodeJob } from '../../../src/stress/onboarding-jobs.js';
import { orderBody, type LoadTarget } from './bodies.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    target: { type: 'string', default: 'orders' },
    rate: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    points: { type: 'string', default: '50' },
    'max-in-flight': { type: 'string', default: '128' },
  },
});
const target = values.target as LoadTarget;
const rate = Number(values.rate);
const seed = Number(values.seed);
const maxInFlight = Number(values['max-in-flight']);
if (values.url === undefined || !['orders', 'jobs'].includes(target) || !(rate > 0) || !Number.isInteger(seed)) {
  console.error('usage: load-generator --url URL --target orders|jobs --rate N [--seed N] [--points N]');
  process.exit(2);
}

const url = new URL(values.url);
const pool = new Pool(url.origin, { connections: 32, keepAliveTimeout: 60_000 });
// Jobs are expensive to generate; a pool of distinct ones is cycled. Orders are cheap and each is unique.
const jobs = Array.from({ length: target === 'jobs' ? 200 : 0 }, (_, i) => encodeJob(createOnboardingJob(seed * 1000 + i, Number(values.points)), 'json'));
const request = target === 'jobs'
  ? (i: number) => ({ path: '/api/onboarding/jobs', body: jobs[i % jobs.length]!.body })
  : (i: number) => ({ path: '/api/orders', body: orderBody(seed, i) });

const stats = { sent: 0, ok: 0, status4xx: 0, status5xx: 0, failed: 0, dropped: 0, inFlight: 0 };
const start = performance.now();
let scheduled = 0;
// The leak's start for per-request leaks: the runner times the run from this line.
console.log(`sq-load-started ${Math.round(performance.timeOrigin + start)}`);

function send(i: number): void {
  const { path, body } = request(i);
  stats.sent++;
  stats.inFlight++;
  pool.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } }).then(
    async (res) => {
      await res.body.dump();
      if (res.statusCode < 400) stats.ok++;
      else if (res.statusCode < 500) stats.status4xx++;
      else stats.status5xx++;
    },
    () => {
      stats.failed++;
    },
  ).finally(() => {
    stats.inFlight--;
  });
}

// A 5 ms tick sends whatever is due: at 100-300 req/s that is 0-2 requests a tick, evenly spread.
const tick = setInterval(() => {
  const due = Math.floor(((performance.now() - start) / 1000) * rate);
  for (; scheduled < due; scheduled++) {
    if (stats.inFlight >= maxInFlight) stats.dropped++;
    else send(scheduled);
  }
}, 5);

const report = (): void => {
  const elapsedS = (performance.now() - start) / 1000;
  console.log(`sq-load ${JSON.stringify({ elapsedS: Math.round(elapsedS * 10) / 10, ...stats, achievedRate: Math.round((stats.sent / elapsedS) * 10) / 10 })}`);
};
const reporter = setInterval(report, 5000);

process.once('SIGTERM', () => {
  clearInterval(tick);
  clearInterval(reporter);
  report();
  void pool.destroy().finally(() => process.exit(0));
});
