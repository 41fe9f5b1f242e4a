import type { LoadProfile } from '../load-profiles.js';
import { cumulativeArrivals, profileEnd } from './arrivals.js';
import { ClientStats } from './client-stats.js';
import type { HttpClient } from './http-client.js';
import { runIteration, type FlowDeps } from './job-flow.js';

export interface LoadOptions {
  profile: LoadProfile;
  http: HttpClient;
  /** Jobs followed at once; arrivals beyond it are dropped and counted. */
  maxInFlight: number;
  /** How often the scheduler looks at the plan, ms. @default 20 */
  tickMs?: number;
  /** After the last stage, how long to let started jobs finish, ms (k6's gracefulRampDown). @default 10000 */
  gracefulStopMs?: number;
  /** Once stopped, how long to wait for iterations stuck on a request before returning, ms. @default 2000 */
  abandonAfterMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface LoadRun {
  readonly stats: ClientStats;
  /** Seconds since the load started (the profile's clock). */
  elapsedSeconds(): number;
  /** Jobs being followed now. */
  inFlight(): number;
  /** Stops starting jobs and ends the ones in flight at their next step. */
  stop(): void;
  /** Resolves when the plan has run out (or stop() was called) and every started iteration has ended. */
  readonly done: Promise<void>;
}

/**
 * Open-loop load: job n starts when the profile's cumulative arrivals pass n, whether or not earlier jobs are done,
 * so a slowing service meets the planned load instead of less of it. Each job then follows the scripts' flow.
 */
export function startLoad(options: LoadOptions): LoadRun {
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;
  const stats = new ClientStats();
  const startedAt = now();
  const end = profileEnd(options.profile);
  const sleepers = new Set<() => void>();
  let stopped = false;
  let inFlight = 0;
  let started = 0;
  const iterations = new Set<Promise<unknown>>();

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stopped) {
        resolve();
        return;
      }
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  const deps: FlowDeps = { http: options.http, stats, now, sleep, stopped: () => stopped, random };
  const onStop = new Set<() => void>();
  const stop = (): void => {
    stopped = true;
    for (const wake of [...sleepers]) wake();
    for (const listener of [...onStop]) listener();
  };
  /** Resolves `ms` after stop() (or at once plus `ms` if already stopped). */
  const stoppedThen = (ms: number, keep: (t: NodeJS.Timeout) => void): Promise<void> =>
    new Promise((resolve) => {
      const arm = (): void => {
        onStop.delete(arm);
        keep(setTimeout(resolve, ms));
      };
      if (stopped) arm();
      else onStop.add(arm);
    });

  const done = (async () => {
    const tick = options.tickMs ?? 20;
    // stop() may be called at any await: read through a function so the check is not narrowed away.
    while (!deps.stopped()) {
      const t = (now() - startedAt) / 1000;
      const due = Math.floor(cumulativeArrivals(options.profile, Math.min(t, end)));
      for (; started < due; started++) {
        if (inFlight >= options.maxInFlight) {
          stats.droppedArrivals++;
          continue;
        }
        inFlight++;
        stats.jobsStarted++;
        const iteration = runIteration(deps, options.profile, started).finally(() => {
          inFlight--;
          iterations.delete(iteration);
        });
        iterations.add(iteration);
      }
      if (t >= end) break;
      await sleep(tick);
    }
    // The plan is over: let started jobs finish within the grace, then cut the rest short. An iteration waiting on a
    // request the service never answers is not waited for past `abandonAfterMs` more: the caller's http.close()
    // ends it.
    const settled = Promise.allSettled([...iterations]);
    let giveUp: NodeJS.Timeout | undefined;
    const grace = setTimeout(() => {
      stop();
    }, options.gracefulStopMs ?? 10_000);
    await Promise.race([settled, stoppedThen(options.abandonAfterMs ?? 2000, (t) => (giveUp = t))]);
    clearTimeout(grace);
    clearTimeout(giveUp);
    stopped = true;
  })();

  return { stats, elapsedSeconds: () => (now() - startedAt) / 1000, inFlight: () => inFlight, stop, done };
}
