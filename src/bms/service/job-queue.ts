import { intOption, numberOption } from '../../internal/validate.js';

/** A job as the queue sees it: what it costs and how to run it. */
export interface QueuedTask {
  id: string;
  /** Points in the job: the work it is, and most of the memory it holds while it waits. */
  points: number;
  /** Runs the job; `signal` aborts when shutdown gives up on it (the task stops at its next batch). */
  run(signal: AbortSignal): Promise<void>;
}

export interface JobQueueLimits {
  /** Jobs processed at once. @default 2 */
  concurrency?: number;
  /** Jobs waiting (beyond those running). @default 100 */
  maxBacklog?: number;
  /**
   * Points waiting (beyond those running). This, not the job count, is what the drain timeout must cover: 100 jobs of
   * 20,000 points are 2 million points, over 20 s of work. A job larger than this is still accepted into an empty
   * backlog. @default 400000
   */
  maxBacklogPoints?: number;
  /**
   * Seconds of work the jobs waiting and running may add up to, at the throughput the queue has measured: a new job
   * that would take the total past it is refused. The service sets it to half its drain timeout, so what it accepts
   * can finish when it is told to stop — on a machine shared with others as on a quiet one. Until a throughput has
   * been measured, only maxBacklog and maxBacklogPoints apply. @default Infinity
   */
  maxBacklogSeconds?: number;
  /** The clock, in ms (tests inject one). @default performance.now */
  now?: () => number;
}

/** Busy time a throughput sample spans at least: shorter ones say more about timer noise than about throughput. */
const SAMPLE_MS = 250;

export const DEFAULT_MAX_BACKLOG_POINTS = 400_000;

/**
 * Runs onboarding jobs with bounded concurrency and a backlog bounded in jobs and in points (a full backlog answers
 * 503 with Retry-After, instead of queueing without end). drain() resolves when everything accepted has finished;
 * cancel() gives up on what has not — SIGTERM uses both.
 */
export class JobQueue {
  private readonly waiting: QueuedTask[] = [];
  private readonly running = new Map<QueuedTask, AbortController>();
  private waitingPoints = 0;
  private runningPoints = 0;
  private idle: Array<() => void> = [];
  private readonly now: () => number;
  /** Throughput: busy time and points finished since the last sample, and the smoothed rate in points/s. */
  private busySince: number | undefined;
  private sampleMs = 0;
  private samplePoints = 0;
  private rate: number | undefined;
  readonly concurrency: number;
  readonly maxBacklog: number;
  readonly maxBacklogPoints: number;
  readonly maxBacklogSeconds: number;

  constructor(limits: JobQueueLimits = {}) {
    this.concurrency = intOption('concurrency', limits.concurrency, 2, 1, 64);
    this.maxBacklog = intOption('maxBacklog', limits.maxBacklog, 100, 0, 100_000);
    this.maxBacklogPoints = intOption('maxBacklogPoints', limits.maxBacklogPoints, DEFAULT_MAX_BACKLOG_POINTS, 1, 1e9);
    this.maxBacklogSeconds = limits.maxBacklogSeconds === Infinity ? Infinity : numberOption('maxBacklogSeconds', limits.maxBacklogSeconds, Infinity, 0.001, 1e9);
    this.now = limits.now ?? (() => performance.now());
  }

  /** Points per second of busy time, as measured over the jobs finished so far (undefined before the first sample). */
  get throughput(): number | undefined {
    return this.rate;
  }

  /** Whether a job of `points` points would be accepted now. Check before creating anything for the job. */
  hasRoomFor(points: number): boolean {
    if (this.running.size < this.concurrency && this.waiting.length === 0) return true;
    if (this.waiting.length >= this.maxBacklog) return false;
    if (this.waiting.length > 0 && this.waitingPoints + points > this.maxBacklogPoints) return false;
    return this.rate === undefined || (this.pendingPoints + points) / this.rate <= this.maxBacklogSeconds;
  }

  /** Accepts a task, or returns false when the backlog is full. */
  offer(task: QueuedTask): boolean {
    if (!this.hasRoomFor(task.points)) return false;
    this.waiting.push(task);
    this.waitingPoints += task.points;
    this.pump();
    return true;
  }

  /** Jobs waiting or running. */
  get depth(): number {
    return this.waiting.length + this.running.size;
  }

  /** Points waiting or running. */
  get pendingPoints(): number {
    return this.waitingPoints + this.runningPoints;
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
    this.waiting.splice(0);
    this.waitingPoints = 0;
    for (const controller of this.running.values()) controller.abort(new Error(reason));
    if (this.depth === 0) this.settle();
    return ids;
  }

  private pump(): void {
    while (this.running.size < this.concurrency) {
      const task = this.waiting.shift();
      if (task === undefined) return;
      this.waitingPoints -= task.points;
      this.runningPoints += task.points;
      const controller = new AbortController();
      if (this.running.size === 0) this.busySince = this.now();
      this.running.set(task, controller);
      // Tasks handle their own errors (a failed job is recorded as failed); this catch only keeps the queue alive.
      void task
        .run(controller.signal)
        .catch(() => undefined)
        .finally(() => {
          if (!controller.signal.aborted) this.measure(task.points);
          this.running.delete(task);
          this.runningPoints -= task.points;
          if (this.running.size === 0) this.busySince = undefined;
          if (this.depth === 0) this.settle();
          else this.pump();
        });
    }
  }

  /** A task of `points` points finished: fold it into the throughput (points per second of busy time, smoothed). */
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
