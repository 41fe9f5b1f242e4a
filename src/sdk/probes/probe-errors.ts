import { errorMessage } from '../../internal/errors.js';
import { WarnOnce } from '../../internal/warnings.js';

/** The names of memscope's probes, as they appear in the `memscope.probe.name` attribute. */
export type ProbeName =
  | 'rss'
  | 'heap'
  | 'heap_spaces'
  | 'array_buffers'
  | 'max_rss'
  | 'container_limit'
  | 'event_loop'
  | 'gc';

/**
 * Guards probe reads. A probe that fails is counted and skipped, never thrown into the host: the first failure of
 * each probe is reported once as a process warning (MEMSCOPE_W_PROBE), every failure increments the counter that
 * becomes `memscope_probe_errors_total{memscope_probe_name=...}`.
 */
export class ProbeErrors {
  private readonly counts = new Map<ProbeName, number>();
  private readonly warnings: WarnOnce;
  private listener: ((probe: ProbeName) => void) | undefined;

  constructor(warnings: WarnOnce = new WarnOnce()) {
    this.warnings = warnings;
  }

  /** Called on every failure (the metrics layer counts them). */
  onError(listener: (probe: ProbeName) => void): void {
    this.listener = listener;
  }

  record(probe: ProbeName, error: unknown): void {
    this.counts.set(probe, (this.counts.get(probe) ?? 0) + 1);
    this.warnings.warn(`probe:${probe}`, 'MEMSCOPE_W_PROBE', `memscope: the ${probe} probe failed and is skipped: ${errorMessage(error)}`);
    try {
      this.listener?.(probe);
    } catch {
      // A failing listener must not turn a skipped probe into a thrown error.
    }
  }

  /** Runs `read`, returning `fallback` when it throws. */
  guard<T>(probe: ProbeName, read: () => T, fallback: T): T {
    try {
      return read();
    } catch (error) {
      this.record(probe, error);
      return fallback;
    }
  }

  count(probe: ProbeName): number {
    return this.counts.get(probe) ?? 0;
  }

  total(): number {
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }
}
