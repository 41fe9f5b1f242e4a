import { errorMessage } from '../../internal/errors.js';
import { formatBytes } from '../../internal/units.js';
import type { RawPoint } from '../data/generator.js';
import { onboard, type PhaseRunner } from '../pipeline/onboard.js';
import type { Faults } from './faults.js';
import type { JobInput } from './input-limits.js';
import type { Job, JobStore } from './job-store.js';
import { Pacer } from './pacer.js';
import { gzipJobBody, type ResultBudget } from './result-body.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface RunJobDeps {
  store: JobStore;
  faults: Faults;
  metrics: ServiceMetrics;
  phases: PhaseRunner;
  /** Points per batch. */
  batchSize: number;
  /** Result bytes (uncompressed JSON) allowed per byte of request body. */
  maxResultRatio: number;
}

/** What a result may hold beyond maxResultRatio × its input: the summary, the first 200 issues, a small job's model. */
export const RESULT_ALLOWANCE_BYTES = 64 * 1024;

export function resultBudget(deps: Pick<RunJobDeps, 'store' | 'maxResultRatio'>, inputBytes: number): ResultBudget {
  const { store } = deps;
  return {
    maxJsonBytes: Math.floor(deps.maxResultRatio * inputBytes) + RESULT_ALLOWANCE_BYTES,
    jsonLimitReason: `${deps.maxResultRatio} × the ${formatBytes(inputBytes, 1)} request, plus ${formatBytes(RESULT_ALLOWANCE_BYTES, 1)}`,
    maxStoredBytes: store.maxBytesPerResult,
    storedLimitReason: `${Math.round(store.maxResultShare * 100)} % of its ${formatBytes(store.maxResultBytes, 1)} bound`,
  };
}

/**
 * Runs one accepted job through the pipeline and records its outcome. Yields to the event loop between batches and
 * while the result is written: a large job must not hold off health checks, scrapes and new requests. Stops at the
 * next batch when `signal` aborts (shutdown gave up on it — the service has already recorded it as failed).
 */
export async function runJob(deps: RunJobDeps, job: Job, input: JobInput, signal: AbortSignal, progress: (points: number) => void = () => undefined): Promise<void> {
  deps.store.start(job);
  const size = deps.batchSize;
  const slices = new Pacer();
  // Every pause is also where an abandoned job stops: a 100,000-point job's last stages and its result are seconds
  // of work, and before, a service that had given up on its jobs stayed up 270 s finishing them for nobody.
  const pacer = {
    breathe: async (): Promise<void> => {
      signal.throwIfAborted();
      await slices.breathe();
    },
  };
  const batches = async function* (): AsyncGenerator<RawPoint[]> {
    for (let i = 0; i < input.points.length; i += size) {
      if (i > 0) {
        progress(size); // the previous batch is through parse … validate
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      signal.throwIfAborted();
      yield input.points.slice(i, i + size);
    }
    progress(input.points.length - size * Math.floor((input.points.length - 1) / size));
  };
  try {
    await onboard(batches(), {
      phases: deps.phases,
      pause: () => pacer.breathe(),
      beforePhase: (phase) => {
        deps.faults.beforePhase(phase);
      },
      store: async (result) => {
        signal.throwIfAborted();
        const finishedAt = new Date().toISOString();
        const meta = { id: job.id, status: 'succeeded', createdAt: job.createdAt, startedAt: job.startedAt, finishedAt, pointsReceived: job.pointsReceived };
        const body = await gzipJobBody(meta, result, resultBudget(deps, input.bytes), pacer);
        const outcome = deps.store.succeed(job, body, finishedAt);
        if (outcome !== undefined) deps.metrics.jobFinished(outcome);
      },
    });
  } catch (error) {
    if (deps.store.fail(job, signal.aborted ? errorMessage(signal.reason) : errorMessage(error))) deps.metrics.jobFinished('failed');
  } finally {
    deps.faults.onJobFinished();
  }
}
