import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Memscope } from '../../exporter/start-memscope.js';
import type { Faults } from './faults.js';
import { CSV_TYPES, JSON_TYPES, readJobInput } from './input.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-limits.js';
import { RequestError } from './input-errors.js';
import type { JobQueue } from './job-queue.js';
import type { Job, JobStore } from './job-store.js';
import { Pacer } from './pacer.js';
import { runJob } from './run-job.js';
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
  /**
   * Bytes of result (uncompressed JSON) a job may produce per byte of its request, plus 64 KiB. Real exports produce
   * 1.5–3×; the tersest valid rows, one boiler per point (`S.B1.T,1`), 21× (each point's site and equipment are
   * repeated in its id, refs and tags, and each equipment has its own entry). @default 32
   */
  maxResultRatio?: number;
  isDraining: () => boolean;
}

const draining = (): RequestError => new RequestError(503, 'draining', 'the service is shutting down; retry on another instance');

/** The onboarding API. Every client error is a 4xx with a stable code and, where it helps, field-level details. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const limits = deps.limits ?? DEFAULT_INPUT_LIMITS;
  const bodyLimit = deps.bodyLimit ?? '10mb';
  const runDeps = {
    store: deps.store,
    faults: deps.faults,
    metrics: deps.metrics,
    phases: deps.memscope.profiler,
    batchSize: deps.batchSize ?? 500,
    maxResultRatio: deps.maxResultRatio ?? 32,
  };

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
    // Refused before the body is read: reading 10 MB only to answer 503 would spend what the 503 is there to save.
    (_req, res, next) => {
      if (deps.isDraining()) throw draining();
      if (!deps.queue.hasRoomFor({ points: 1, bytes: 0 })) throw queueFull(res);
      next();
    },
    express.text({ limit: bodyLimit, type: [...JSON_TYPES, ...CSV_TYPES] }),
    async (req, res) => {
      const input = await readJobInput(req, limits, new Pacer());
      // Reading took a while: the service may have begun to drain, or the backlog filled, meanwhile.
      if (deps.isDraining()) throw draining();
      // Checked before the job exists: a refused request leaves nothing in the store (it used to leave a failed job
      // behind, and 200 refusals evicted real results).
      const cost = { points: input.points.length, bytes: input.bytes };
      if (!deps.queue.hasRoomFor(cost)) throw queueFull(res);
      const job = deps.store.create(input.points.length);
      deps.queue.offer({ id: job.id, ...cost, run: (signal, progress) => runJob(runDeps, job, input, signal, progress) });
      deps.faults.onJobAccepted();
      deps.metrics.jobAccepted(input.points.length);
      res.status(202).location(`/api/onboarding/jobs/${job.id}`).json({ id: job.id, status: job.status, links: { self: `/api/onboarding/jobs/${job.id}` } });
    },
  );

  app.get('/api/onboarding/jobs/:id', async (req, res) => {
    const job = deps.store.get(req.params.id);
    if (job === undefined) throw new RequestError(404, 'job_not_found', `no job ${req.params.id} (unknown, or evicted: results are kept within a bound)`);
    await sendJob(req, res, job);
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

function queueFull(res: Response): RequestError {
  res.setHeader('Retry-After', '5');
  return new RequestError(503, 'queue_full', 'too many jobs are waiting; retry in a few seconds');
}

/**
 * A succeeded job's stored body is its whole response, gzipped: sent as it is to clients that accept gzip (HTTP
 * libraries, browsers, Prometheus-style scrapers all do), decompressed on the way out — streamed, off the event loop —
 * for those that do not.
 */
async function sendJob(req: Request, res: Response, job: Job): Promise<void> {
  const { body, ...meta } = job;
  if (body === undefined) {
    res.json(meta);
    return;
  }
  res.type('application/json').setHeader('Vary', 'Accept-Encoding');
  if (req.acceptsEncodings('gzip') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.end(body);
    return;
  }
  try {
    await pipeline(Readable.from([body]), createGunzip(), res);
  } catch {
    // The client went away mid-response: nothing to answer.
  }
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
