import { randomUUID } from 'node:crypto';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Job {
  id: string;
  status: JobStatus;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  pointsReceived: number;
  /** The result, serialized once in the `store` phase: its size is then known exactly and it costs no object graph. */
  resultJson?: string;
  error?: string;
}

export interface JobStoreLimits {
  /**
   * Jobs kept (finished ones are evicted oldest first). Small on purpose: while the store fills, its growth is
   * indistinguishable from a leak (at 2 jobs/s, 1,000 results of ~33 KB grew the post-GC heap ~64 KiB/s for 8 min).
   * @default 200
   */
  maxJobs?: number;
  /** Bytes of serialized results kept. @default 32 MiB */
  maxResultBytes?: number;
}

/**
 * Jobs and their results, retained within a bound on count and bytes so the service does not grow by design: when
 * either is exceeded, the oldest finished jobs are evicted (GET then answers 404 job_not_found).
 */
export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private resultBytes = 0;
  private readonly maxJobs: number;
  private readonly maxResultBytes: number;
  evicted = 0;

  constructor(limits: JobStoreLimits = {}) {
    this.maxJobs = limits.maxJobs ?? 200;
    this.maxResultBytes = limits.maxResultBytes ?? 32 * 1024 * 1024;
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
    job.status = 'running';
    job.startedAt = new Date().toISOString();
  }

  succeed(job: Job, resultJson: string): void {
    job.status = 'succeeded';
    job.finishedAt = new Date().toISOString();
    job.resultJson = resultJson;
    this.resultBytes += Buffer.byteLength(resultJson);
    this.evict();
  }

  fail(job: Job, error: string): void {
    job.status = 'failed';
    job.finishedAt = new Date().toISOString();
    job.error = error;
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
      if (job.resultJson !== undefined) this.resultBytes -= Buffer.byteLength(job.resultJson);
      this.evicted++;
    }
  }
}
