import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Memscope } from '../../exporter/start-memscope.js';
import { errorMessage } from '../../internal/errors.js';
import { onboard } from '../pipeline/onboard.js';
import type { Faults } from './faults.js';
import { DEFAULT_INPUT_LIMITS, readCsvInput, readJsonInput, type InputLimits, type JobInput } from './input.js';
import { RequestError } from './input-errors.js';
import type { JobQueue } from './job-queue.js';
import type { Job, JobStore } from './job-store.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface AppDeps {
  memscope: Memscope;
  store: JobStore;
  queue: JobQueue;
  faults: Faults;
  metrics: ServiceMetrics;
  /** Largest request body accepted. @default '10mb' */
  bodyLimit?: string;
  limits?: InputLimits;
  /** Points per batch the pipeline processes at a time. @default 500 */
  batchSize?: number;
  isDraining: () => boolean;
}

/** The onboarding API. Every client error is a 4xx with a stable code and, where it helps, field-level details. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const limits = deps.limits ?? DEFAULT_INPUT_LIMITS;
  const bodyLimit = deps.bodyLimit ?? '10mb';

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (deps.isDraining()) res.status(503).json({ status: 'draining' });
    else res.json({ status: 'ready', queueDepth: deps.queue.depth });
  });
  app.use(deps.memscope.metricsHandler);

  app.post(
    '/api/onboarding/jobs',
    express.json({ limit: bodyLimit, type: ['application/json', 'application/*+json'] }),
    express.text({ limit: bodyLimit, type: ['text/csv', 'application/csv'] }),
    (req, res) => {
      if (deps.isDraining()) throw new RequestError(503, 'draining', 'the service is shutting down; retry on another instance');
      const input = readInput(req, limits);
      const job = deps.store.create(input.points.length);
      const accepted = deps.queue.offer(() => runJob(deps, job, input));
      if (!accepted) {
        deps.store.fail(job, 'rejected: the job queue is full');
        res.setHeader('Retry-After', '5');
        throw new RequestError(503, 'queue_full', 'too many jobs are waiting; retry in a few seconds');
      }
      deps.faults.onJobAccepted();
      deps.metrics.jobAccepted(input.points.length);
      res.status(202).location(`/api/onboarding/jobs/${job.id}`).json({ id: job.id, status: job.status, links: { self: `/api/onboarding/jobs/${job.id}` } });
    },
  );

  app.get('/api/onboarding/jobs/:id', (req, res) => {
    const job = deps.store.get(req.params.id);
    if (job === undefined) throw new RequestError(404, 'job_not_found', `no job ${req.params.id} (unknown, or evicted: results are kept within a bound)`);
    sendJob(res, job);
  });

  app.get('/api/onboarding/jobs', (_req, res) => {
    res.json({ jobs: deps.store.recent(50).map(({ id, status, createdAt, pointsReceived }) => ({ id, status, createdAt, pointsReceived })) });
  });

  app.use((req, _res) => {
    throw new RequestError(404, 'not_found', `no route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler);
  return app;
}

function readInput(req: Request, limits: InputLimits): JobInput {
  if (req.is(['application/json', 'application/*+json'])) return readJsonInput(req.body, limits);
  if (req.is(['text/csv', 'application/csv'])) {
    if (typeof req.body !== 'string') throw new RequestError(400, 'invalid_csv', 'the CSV body could not be read as text');
    return readCsvInput(req.body, limits);
  }
  throw new RequestError(415, 'unsupported_media_type', `send application/json or text/csv, not ${req.headers['content-type'] ?? 'no content type'}`);
}

async function runJob(deps: AppDeps, job: Job, input: JobInput): Promise<void> {
  deps.store.start(job);
  const size = deps.batchSize ?? 500;
  // Yield to the event loop between batches: a large job must not hold off health checks, scrapes and new requests.
  const batches = async function* () {
    for (let i = 0; i < input.points.length; i += size) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      yield input.points.slice(i, i + size);
    }
  };
  try {
    await onboard(batches(), {
      phases: deps.memscope.profiler,
      beforePhase: (phase) => {
        deps.faults.beforePhase(phase);
      },
      store: (result) => {
        deps.store.succeed(job, JSON.stringify(result));
      },
    });
    deps.metrics.jobFinished('succeeded');
  } catch (error) {
    deps.store.fail(job, errorMessage(error));
    deps.metrics.jobFinished('failed');
  } finally {
    deps.faults.onJobFinished();
  }
}

/** Writes the job with its stored result string as is — no parse and re-serialize of a large result. */
function sendJob(res: Response, job: Job): void {
  const { resultJson, ...meta } = job;
  const head = JSON.stringify(meta);
  res.type('application/json').send(resultJson === undefined ? head : `${head.slice(0, -1)},"result":${resultJson}}`);
}

const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const e = toRequestError(error);
  if (res.headersSent) return;
  res.status(e.status).json(e.toJSON());
};

/** Maps body-parser's errors (which carry `type` and `status`) and ours to a RequestError; anything else is a 500. */
function toRequestError(error: unknown): RequestError {
  if (error instanceof RequestError) return error;
  const e = error as { type?: string; status?: number; message?: string; limit?: number };
  switch (e.type) {
    case 'entity.parse.failed':
      return new RequestError(400, 'invalid_json', `the body is not valid JSON: ${e.message ?? ''}`.trim());
    case 'entity.too.large':
      return new RequestError(413, 'payload_too_large', `the body is larger than the ${e.limit ?? ''} bytes accepted`.replace('  ', ' '));
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new RequestError(415, 'unsupported_encoding', e.message ?? 'unsupported encoding');
    case 'request.aborted':
      return new RequestError(400, 'request_aborted', 'the request was aborted by the client');
    default:
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new RequestError(e.status, 'bad_request', e.message ?? 'bad request');
      return new RequestError(500, 'internal_error', 'the service failed to handle the request');
  }
}
