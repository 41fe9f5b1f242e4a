import { generatePoints, type RawPoint } from '../../src/bms/data/generator.js';
import { profilePeakVUs, type LoadProfile } from '../../src/stress/load-profiles.js';

/**
 * A constant load against one or more BMS services, for tests that compare services under the same traffic (a
 * leaking one and a healthy one, say): every tick one realistic onboarding job is generated and POSTed to every
 * target at once — the same body, at the same moment — and each accepted job is followed until it ends, as a k6
 * virtual user does (load-tests/lib/onboarding-flow.ts). An open model (a fixed rate, whatever the answers take), so
 * a slow target cannot slow down the load on the others.
 */
export interface ConstantLoadOptions {
  /** Base URLs of the services, `http://127.0.0.1:<port>`. */
  targets: readonly string[];
  jobsPerSecond: number;
  /** Points per job, drawn uniformly in this range (seeded, so every run sends the same jobs). */
  pointsPerJob: { readonly min: number; readonly max: number };
  /** How long a job is followed before it counts as timed out. */
  maxJobWaitSeconds: number;
  /** Between two status reads of a job. @default 250 (onboarding-flow.ts's default) */
  pollIntervalMs?: number;
  /** Every n-th job is sent as CSV rather than JSON (the service takes both). @default 4 */
  csvEvery?: number;
  /** @default 1 */
  seed?: number;
}

export interface TargetLoadStats {
  url: string;
  submitted: number;
  /** 202 Accepted. */
  accepted: number;
  succeeded: number;
  /** Errors of any kind: a non-202 answer, a failed or timed-out job, a failed status read, a network error. */
  errorCount: number;
  /** The first errors, for failure messages. */
  errors: string[];
}

export interface LoadDriver {
  stats(): TargetLoadStats[];
  /** Stops submitting, abandons jobs still being followed (not counted as errors) and returns the final stats. */
  stop(): Promise<TargetLoadStats[]>;
}

const KEPT_ERRORS = 20;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A profile's peak traffic as a constant rate, scaled down: each virtual user submits about one job per think time
 * (turnaround is small next to it), so `average` (20 users, 1 s) is ~20 jobs/s and a scale of 0.1 makes it 2.
 */
export function constantLoadFrom(profile: LoadProfile, scale: number): Pick<ConstantLoadOptions, 'jobsPerSecond' | 'pointsPerJob' | 'maxJobWaitSeconds'> {
  if (!(scale > 0)) throw new Error(`scale must be > 0, got ${scale}`);
  return {
    jobsPerSecond: (profilePeakVUs(profile) / profile.thinkTimeSeconds) * scale,
    pointsPerJob: profile.pointsPerJob,
    maxJobWaitSeconds: profile.maxJobWaitSeconds,
  };
}

export function startConstantLoad(options: ConstantLoadOptions): LoadDriver {
  if (options.targets.length === 0) throw new Error('targets must list at least one service');
  if (!(options.jobsPerSecond > 0)) throw new Error(`jobsPerSecond must be > 0, got ${options.jobsPerSecond}`);
  const { min, max } = options.pointsPerJob;
  if (!(Number.isInteger(min) && min >= 1 && max >= min)) throw new Error(`pointsPerJob must be whole numbers with 1 <= min <= max, got ${min}..${max}`);
  const stats = options.targets.map((url): TargetLoadStats => ({ url, submitted: 0, accepted: 0, succeeded: 0, errorCount: 0, errors: [] }));
  const abort = new AbortController();
  const pending = new Set<Promise<void>>();
  const seed = options.seed ?? 1;
  let jobIndex = 0;

  const tick = (): void => {
    const index = jobIndex++;
    const points = generatePoints({ points: min + Math.floor(unitRandom(seed * 100_003 + index) * (max - min + 1)), seed: seed + index });
    const body = index % (options.csvEvery ?? 4) === 0 ? { text: toCsv(points), type: 'text/csv' } : { text: JSON.stringify({ points }), type: 'application/json' };
    for (const target of stats) {
      const run = submitAndFollow(target, body, options, abort.signal).catch((error: unknown) => {
        if (!abort.signal.aborted) fail(target, `network: ${(error as Error).message}`);
      });
      pending.add(run);
      void run.finally(() => pending.delete(run));
    }
  };
  const timer = setInterval(tick, 1000 / options.jobsPerSecond);
  timer.unref();
  tick();

  const snapshot = (): TargetLoadStats[] => stats.map((s) => ({ ...s, errors: [...s.errors] }));
  return {
    stats: snapshot,
    stop: async () => {
      clearInterval(timer);
      abort.abort();
      await Promise.allSettled([...pending]);
      return snapshot();
    },
  };
}

async function submitAndFollow(target: TargetLoadStats, body: { text: string; type: string }, options: ConstantLoadOptions, signal: AbortSignal): Promise<void> {
  target.submitted++;
  const res = await fetch(`${target.url}/api/onboarding/jobs`, {
    method: 'POST',
    headers: { 'content-type': body.type },
    body: body.text,
    signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
  });
  const answer = await res.text();
  if (res.status !== 202) {
    fail(target, `POST ${res.status}: ${answer.slice(0, 200)}`);
    return;
  }
  target.accepted++;
  const self = (JSON.parse(answer) as { links: { self: string } }).links.self;
  const deadline = Date.now() + options.maxJobWaitSeconds * 1000;
  for (;;) {
    await new Promise((r) => setTimeout(r, options.pollIntervalMs ?? 250));
    if (signal.aborted) return;
    const poll = await fetch(`${target.url}${self}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
    const job = (await poll.json()) as { status?: string; error?: unknown };
    const problem =
      poll.status !== 200 ? `GET ${self} ${poll.status}: ${JSON.stringify(job).slice(0, 200)}`
      : job.status === 'failed' ? `job ${self} failed: ${JSON.stringify(job.error).slice(0, 200)}`
      : job.status !== 'succeeded' && Date.now() > deadline ? `job ${self} still ${job.status ?? '?'} after ${options.maxJobWaitSeconds} s`
      : undefined;
    if (problem !== undefined) {
      fail(target, problem);
      return;
    }
    if (job.status === 'succeeded') {
      target.succeeded++;
      return;
    }
  }
}

function fail(target: TargetLoadStats, message: string): void {
  target.errorCount++;
  if (target.errors.length < KEPT_ERRORS) target.errors.push(message);
}

/** The same points as the CSV body the service takes (`name,value,units,description`, RFC 4180 quoting). */
function toCsv(points: readonly RawPoint[]): string {
  const field = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const rows = points.map((p) => [p.name, p.value === null ? '' : String(p.value), p.units, p.description].map(field).join(','));
  return `name,value,units,description\n${rows.join('\n')}\n`;
}

/** A deterministic number in [0, 1) for an integer key (one mulberry32 step). */
function unitRandom(key: number): number {
  let x = Math.imul((key + 0x6d2b79f5) ^ ((key + 0x6d2b79f5) >>> 15), 1 | (key + 0x6d2b79f5));
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
}
