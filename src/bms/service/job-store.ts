import { randomUUID } from 'node:crypto';
import { invalidOption } from '../../internal/errors.js';
import { intOption, numberOption } from '../../internal/validate.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Job {
  id: string;
  status: JobStatus;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  pointsReceived: number;
  /**
   * A succeeded job's whole GET response (`{ …meta, "result": … }`), gzipped once when it finished: its size is then
   * known exactly, it costs no object graph, and it is served as it is to every client that accepts gzip.
   */
  body?: Buffer;
  error?: string;
}

export interface JobStoreLimits {
  /**
   * Jobs kept (finished ones are evicted oldest first). Small on purpose: while the store fills, its growth is
   * indistinguishable from a leak (at 2 jobs/s, 1,000 results of ~33 KB grew the post-GC heap ~64 KiB/s for 8 min).
   * @default 200
   */
  maxJobs?: number;
  /** Bytes of stored (gzipped) results kept. @default 32 MiB */
  maxResultBytes?: number;
  /**
   * The share of maxResultBytes one job's result may take; a job whose result would take more fails with an error
   * that says so. Eviction is oldest first, so without this one large result could evict every other one. @default 0.1
   */
  maxResultShare?: number;
}

/**
 * Jobs and their results, retained within a bound on count and bytes so the service does not grow by design: when
 * either is exceeded, the oldest finished jobs are evicted (GET then answers 404 job_not_found). No single result may
 * take more than maxResultShare of the byte bound, so no single job can empty the store.
 */
export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private resultBytes = 0;
  private readonly maxJobs: number;
  readonly maxResultBytes: number;
  readonly maxResultShare: number;
  evicted = 0;

  constructor(limits: JobStoreLimits = {}) {
    this.maxJobs = intOption('store.maxJobs', limits.maxJobs, 200, 1, 1_000_000);
    this.maxResultBytes = intOption('store.maxResultBytes', limits.maxResultBytes, 32 * 1024 * 1024, 1024, 2 ** 40);
    this.maxResultShare = numberOption('store.maxResultShare', limits.maxResultShare, 0.1, 0, 1);
    if (this.maxResultShare === 0) throw invalidOption('store.maxResultShare', 'a share above 0 and at most 1', 0);
  }

  /** The most one job's stored result may take. */
  get maxBytesPerResult(): number {
    return Math.floor(this.maxResultBytes * this.maxResultShare);
  }

  create(pointsReceived: number): Job {
    const job: Job = { id: randomUUID(), status: 'queued', createdAt: new Date().toISOString(), pointsReceived };
    this.jobs.set(job.id, job);
    this.evict();
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  start(job: Job): void {
    if (job.status !== 'queued') return;
    job.status = 'running';
    job.startedAt = new Date().toISOString();
  }

  /**
   * Records a result. The first outcome wins: a job already failed (by a shutdown that gave up on it) stays failed.
   * Returns the outcome recorded — `failed` for a result over maxBytesPerResult — or undefined when there was one.
   */
  succeed(job: Job, body: Buffer, finishedAt = new Date().toISOString()): 'succeeded' | 'failed' | undefined {
    if (job.status === 'succeeded' || job.status === 'failed') return undefined;
    if (body.length > this.maxBytesPerResult) {
      this.fail(job, `the result takes ${body.length} bytes, more than the ${this.maxBytesPerResult} one job may keep`);
      return 'failed';
    }
    job.status = 'succeeded';
    job.finishedAt = finishedAt;
    job.body = body;
    this.resultBytes += body.length;
    this.evict();
    return 'succeeded';
  }

  /** Records a failure; a job that already finished keeps its outcome. Returns whether the failure was recorded. */
  fail(job: Job, error: string): boolean {
    if (job.status === 'succeeded' || job.status === 'failed') return false;
    job.status = 'failed';
    job.finishedAt = new Date().toISOString();
    job.error = error;
    return true;
  }

  get size(): number {
    return this.jobs.size;
  }

  get bytes(): number {
    return this.resultBytes;
  }

  recent(limit: number): Job[] {
    return [...this.jobs.values()].slice(-limit).reverse();
  }

  private evict(): void {
    if (this.jobs.size <= this.maxJobs && this.resultBytes <= this.maxResultBytes) return;
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= this.maxJobs && this.resultBytes <= this.maxResultBytes) break;
      if (job.status === 'queued' || job.status === 'running') continue;
      this.jobs.delete(id);
      if (job.body !== undefined) this.resultBytes -= job.body.length;
      this.evicted++;
    }
  }
}
