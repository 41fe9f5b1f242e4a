import { intOption, numberOption } from '../../internal/validate.js';

/** A job as the queue sees it: what it costs and how to run it. */
export interface QueuedTask {
  id: string;
  /** Points in the job: the work it is (throughput is measured in points). */
  points: number;
  /** Bytes of its request body: what it holds in memory while it waits (its parsed points take 1–1.8× as much). */
  bytes: number;
  /**
   * Runs the job; `signal` aborts when shutdown gives up on it (the task stops at its next batch). The task calls
   * `progress(points)` as it gets through its points: the queue's measure of throughput.
   */
  run(signal: AbortSignal, progress: (points: number) => void): Promise<void>;
}

export interface JobQueueLimits {
  /** Jobs processed at once. @default 2 */
  concurrency?: number;
  /** Jobs waiting (beyond those running). @default 100 */
  maxBacklog?: number;
  /**
   * Request bytes waiting (beyond those running): the backlog's memory, as 100 waiting 10 MB jobs would be 1.8 GB of
   * parsed points. A job larger than this is still accepted into an empty backlog. @default 32 MiB
   */
  maxBacklogBytes?: number;
  /**
   * Seconds of work the jobs waiting and running may add up to, at the throughput the queue has measured: a new job
   * that would take the total past it is refused. The service sets it to half its drain timeout, so what it accepts
   * can finish when it is told to stop — on a machine shared with others as on a quiet one. Until a throughput has
   * been measured (a quarter of a second into the first job), it is assumed to be `assumedPointsPerSecond`.
   * @default Infinity
   */
  maxBacklogSeconds?: number;
  /**
   * The throughput assumed before one is measured: low, so that what is accepted in the first moments after start can
   * drain even on a slow machine (the benchmark's is 100,000 points/s; a 2-core machine shared by a dozen busy
   * processes gave 5,000). @default 5000
   */
  assumedPointsPerSecond?: number;
  /** The clock, in ms (tests inject one). @default performance.now */
  now?: () => number;
}

/** Busy time a throughput sample spans at least: shorter ones say more about timer noise than about throughput. */
const SAMPLE_MS = 250;

export const DEFAULT_MAX_BACKLOG_BYTES = 32 * 1024 * 1024;

/**
 * Runs onboarding jobs with bounded concurrency and a backlog bounded in jobs, bytes and seconds of work (a full
 * backlog answers 503 with Retry-After, instead of queueing without end). drain() resolves when everything accepted has
 * finished; cancel() gives up on what has not — SIGTERM uses both.
 */
export class JobQueue {
  private readonly waiting: QueuedTask[] = [];
  private readonly running = new Map<QueuedTask, AbortController>();
  private waitingBytes = 0;
  private pending = 0; // points waiting or running
  private idle: Array<() => void> = [];
  private readonly now: () => number;
  /** Throughput: busy time and points finished since the last sample, and the smoothed rate in points/s. */
  private busySince: number | undefined;
  private sampleMs = 0;
  private samplePoints = 0;
  private rate: number | undefined;
  private readonly assumedRate: number;
  readonly concurrency: number;
  readonly maxBacklog: number;
  readonly maxBacklogBytes: number;
  readonly maxBacklogSeconds: number;

  constructor(limits: JobQueueLimits = {}) {
    this.concurrency = intOption('concurrency', limits.concurrency, 2, 1, 64);
    this.maxBacklog = intOption('maxBacklog', limits.maxBacklog, 100, 0, 100_000);
    this.maxBacklogBytes = intOption('maxBacklogBytes', limits.maxBacklogBytes, DEFAULT_MAX_BACKLOG_BYTES, 1, 2 ** 40);
    const seconds = limits.maxBacklogSeconds;
    this.maxBacklogSeconds = seconds === undefined || seconds === Infinity ? Infinity : numberOption('maxBacklogSeconds', seconds, 0, 0.001, 1e9);
    this.assumedRate = numberOption('assumedPointsPerSecond', limits.assumedPointsPerSecond, 5000, 1, 1e9);
    this.now = limits.now ?? (() => performance.now());
  }

  /** Points per second of busy time, as measured over the jobs' progress so far (undefined before the first sample). */
  get throughput(): number | undefined {
    return this.rate;
  }

  /** Whether a job would be accepted now. Check before creating anything for the job. */
  hasRoomFor(job: { points: number; bytes: number }): boolean {
    if (this.running.size < this.concurrency && this.waiting.length === 0) return true;
    if (this.waiting.length >= this.maxBacklog) return false;
    if (this.waiting.length > 0 && this.waitingBytes + job.bytes > this.maxBacklogBytes) return false;
    return (this.pending + job.points) / (this.rate ?? this.assumedRate) <= this.maxBacklogSeconds;
  }

  /** Accepts a task, or returns false when the backlog is full. */
  offer(task: QueuedTask): boolean {
    if (!this.hasRoomFor(task)) return false;
    this.waiting.push(task);
    this.waitingBytes += task.bytes;
    this.pending += task.points;
    this.pump();
    return true;
  }

  /** Jobs waiting or running. */
  get depth(): number {
    return this.waiting.length + this.running.size;
  }

  /** Points waiting or running. */
  get pendingPoints(): number {
    return this.pending;
  }

  /** Ids of the jobs waiting or running. */
  pendingIds(): string[] {
    return [...[...this.running.keys()].map((t) => t.id), ...this.waiting.map((t) => t.id)];
  }

  /** Resolves when no task is waiting or running (immediately if none is). */
  drain(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Gives up on every accepted task: waiting ones are dropped without running, running ones are aborted (they stop at
   * their next batch). Returns their ids; the caller records them as failed.
   */
  cancel(reason: string): string[] {
    const ids = this.pendingIds();
    for (const task of this.waiting.splice(0)) this.pending -= task.points;
    this.waitingBytes = 0;
    for (const controller of this.running.values()) controller.abort(new Error(reason));
    if (this.depth === 0) this.settle();
    return ids;
  }

  private pump(): void {
    while (this.running.size < this.concurrency) {
      const task = this.waiting.shift();
      if (task === undefined) return;
      this.waitingBytes -= task.bytes;
      const controller = new AbortController();
      if (this.running.size === 0) this.busySince = this.now();
      this.running.set(task, controller);
      // Tasks handle their own errors (a failed job is recorded as failed); this catch only keeps the queue alive.
      const progress = (points: number): void => {
        if (!controller.signal.aborted) this.measure(points);
      };
      void task
        .run(controller.signal, progress)
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(task);
          this.pending -= task.points;
          if (this.running.size === 0) {
            // The job's last stages (deduplicate, assemble, store) were busy time too: the next sample counts them.
            if (this.busySince !== undefined) this.sampleMs += this.now() - this.busySince;
            this.busySince = undefined;
          }
          if (this.depth === 0) this.settle();
          else this.pump();
        });
    }
  }

  /** A task got through `points` more points: fold them into the throughput (points per second of busy time). */
  private measure(points: number): void {
    const t = this.now();
    this.sampleMs += t - (this.busySince ?? t);
    this.busySince = t;
    this.samplePoints += points;
    if (this.sampleMs < SAMPLE_MS) return;
    const rate = (this.samplePoints * 1000) / this.sampleMs;
    this.rate = this.rate === undefined ? rate : 0.7 * this.rate + 0.3 * rate;
    this.sampleMs = 0;
    this.samplePoints = 0;
  }

  private settle(): void {
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
