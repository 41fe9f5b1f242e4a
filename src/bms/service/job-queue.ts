/**
 * Runs onboarding jobs with bounded concurrency and a bounded backlog (a full backlog answers 503 with Retry-After,
 * instead of queueing without end). drain() resolves when everything accepted has finished — SIGTERM uses it.
 */
export class JobQueue {
  private readonly waiting: Array<() => Promise<void>> = [];
  private running = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly concurrency = 2,
    private readonly maxBacklog = 100,
  ) {}

  /** Accepts a task, or returns false when the backlog is full. */
  offer(task: () => Promise<void>): boolean {
    if (this.waiting.length >= this.maxBacklog) return false;
    this.waiting.push(task);
    this.pump();
    return true;
  }

  get depth(): number {
    return this.waiting.length + this.running;
  }

  /** Resolves when no task is waiting or running (immediately if none is). */
  drain(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const task = this.waiting.shift();
      if (task === undefined) return;
      this.running++;
      // Tasks handle their own errors (a failed job is recorded as failed); this catch only keeps the queue alive.
      void task()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          if (this.depth === 0) for (const resolve of this.idle.splice(0)) resolve();
          else this.pump();
        });
    }
  }
}
