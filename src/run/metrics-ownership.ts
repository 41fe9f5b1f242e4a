import type { MetricsHandler } from '../exporter/metrics-handler.js';
import { startMetricsServer, type MetricsServer } from '../exporter/metrics-server.js';
import { errorMessage } from '../internal/errors.js';
import type { WarnOnce } from '../internal/warnings.js';
import { claimPath, PortClaim } from './port-claim.js';

export interface MetricsOwnershipOptions {
  port: number;
  host: string;
  /** Where the claim file lives: the run's directory, so that only the processes of one run compete. */
  claimDir: string;
  warnings: WarnOnce;
  /** How often a process that is not the owner tries again (the owner may exit first). @default 2000 */
  retryMs?: number;
}

/**
 * Serves MEMSCOPE_METRICS_PORT from exactly one process of a process tree: the first that claims it (wrappers never
 * try: see wrappers.ts). The others try again every couple of seconds, so that when the owner exits — a build step
 * before the server, say — a process still running takes the port over. A port that is taken by something else is
 * warned about once; the program runs on without /metrics.
 */
export class MetricsOwnership {
  private readonly claim: PortClaim;
  private timer: NodeJS.Timeout | undefined;
  private serving: MetricsServer | undefined;
  private attempting = false;
  private stopped = false;

  constructor(
    private readonly handler: MetricsHandler,
    private readonly options: MetricsOwnershipOptions,
  ) {
    this.claim = new PortClaim(claimPath(options.claimDir, options.port));
  }

  get server(): MetricsServer | undefined {
    return this.serving;
  }

  get url(): string | null {
    return this.serving === undefined ? null : `${this.serving.url}/metrics`;
  }

  /** Claims the port or starts trying again later; resolves once this process serves it (if it won the claim). */
  async start(): Promise<this> {
    const first = this.attempt();
    if (!this.claim.isOwner) {
      this.timer = setInterval(() => { void this.attempt(); }, this.options.retryMs ?? 2000);
      this.timer.unref();
    }
    await first;
    return this;
  }

  /** Gives the port up. Synchronous (it runs in an exit handler): the process is ending, the socket goes with it. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.claim.release();
  }

  /** Read through a method: stop() may run while attempt() awaits the bind. */
  private hasStopped(): boolean {
    return this.stopped;
  }

  private async attempt(): Promise<void> {
    if (this.stopped || this.attempting || this.claim.isOwner || !this.claim.tryClaim()) return;
    this.attempting = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    try {
      const server = await startMetricsServer(this.handler, { port: this.options.port, host: this.options.host });
      if (this.hasStopped()) {
        await server.close();
        return;
      }
      this.serving = server;
      this.claim.publish(`${server.url}/metrics`);
    } catch (error) {
      // Keep the claim: the other processes of the tree would only fail the same way.
      this.options.warnings.warn('metrics-port', 'MEMSCOPE_W_PRELOAD', `memscope: /metrics is not served: ${errorMessage(error)}`);
    } finally {
      this.attempting = false;
    }
  }
}
