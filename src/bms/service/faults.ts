import type { OnboardingPhase } from '../pipeline/onboard.js';

/**
 * Fault injection for demos and alert tests. Off by default, configured only when the process starts (command-line
 * flags); no request can switch it on, off or change it.
 */
export interface FaultOptions {
  /** Retain this many bytes per second for as long as the service runs. @default 0 (off) */
  leakBytesPerSec?: number;
  /** Retain this many bytes per accepted onboarding job. @default 0 (off) */
  leakBytesPerRequest?: number;
  /** What leaks: JavaScript heap objects, or Buffers (external memory, invisible in the JS heap). @default 'heap' */
  leakKind?: 'heap' | 'buffer';
  /** Allocate (and touch) this many bytes inside `spikePhase` of every job, released when the job ends. @default 0 */
  spikeBytes?: number;
  /** @default 'classify' */
  spikePhase?: OnboardingPhase;
  /** Make one phase of every job slower by busy-waiting (CPU-bound, as real slow code is). */
  slowPhase?: { phase: OnboardingPhase; ms: number };
}

const TICK_MS = 100;
/** A retained heap object of ~64 bytes, like the points a leaky cache would keep. */
const HEAP_OBJECT_BYTES = 64;

export class Faults {
  private readonly retained: unknown[] = [];
  private timer: NodeJS.Timeout | undefined;
  private spike: Buffer[] = [];
  retainedBytes = 0;

  constructor(readonly options: Readonly<FaultOptions> = {}) {}

  get active(): boolean {
    const o = this.options;
    return (o.leakBytesPerSec ?? 0) > 0 || (o.leakBytesPerRequest ?? 0) > 0 || (o.spikeBytes ?? 0) > 0 || o.slowPhase !== undefined;
  }

  /** Human-readable list of what is injected, for the start-up banner. */
  describe(): string[] {
    const o = this.options;
    const kind = o.leakKind ?? 'heap';
    const out: string[] = [];
    if ((o.leakBytesPerSec ?? 0) > 0) out.push(`leak ${o.leakBytesPerSec} bytes/s of ${kind}`);
    if ((o.leakBytesPerRequest ?? 0) > 0) out.push(`leak ${o.leakBytesPerRequest} bytes of ${kind} per job`);
    if ((o.spikeBytes ?? 0) > 0) out.push(`spike of ${o.spikeBytes} bytes in the ${o.spikePhase ?? 'classify'} phase of every job`);
    if (o.slowPhase) out.push(`${o.slowPhase.ms} ms more in the ${o.slowPhase.phase} phase of every job`);
    return out;
  }

  start(): void {
    const rate = this.options.leakBytesPerSec ?? 0;
    if (rate <= 0 || this.timer !== undefined) return;
    // By elapsed time, not per tick: a busy event loop delays ticks (a long synchronous job blocks it for hundreds of
    // ms), and a leak counted per tick would then leak less than it says.
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.leak((rate * (now - last)) / 1000);
      last = now;
    }, TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  onJobAccepted(): void {
    const bytes = this.options.leakBytesPerRequest ?? 0;
    if (bytes > 0) this.leak(bytes);
  }

  /** Runs inside each pipeline phase. */
  beforePhase(phase: OnboardingPhase): void {
    const o = this.options;
    const spike = o.spikeBytes ?? 0;
    if (spike > 0 && phase === (o.spikePhase ?? 'classify') && this.spike.length === 0) {
      // Touch every page so the spike is real resident memory, not a lazy mapping.
      this.spike.push(Buffer.alloc(spike, 1));
    }
    if (o.slowPhase?.phase === phase) {
      const end = performance.now() + o.slowPhase.ms;
      while (performance.now() < end) {
        // busy-wait: a CPU-bound slow phase
      }
    }
  }

  onJobFinished(): void {
    this.spike = [];
  }

  private leak(bytes: number): void {
    if ((this.options.leakKind ?? 'heap') === 'buffer') {
      this.retained.push(Buffer.alloc(Math.max(1, Math.round(bytes)), 1));
    } else {
      const objects = Math.max(1, Math.round(bytes / HEAP_OBJECT_BYTES));
      const chunk = new Array<{ id: number; name: string }>(objects);
      for (let i = 0; i < objects; i++) chunk[i] = { id: i, name: `leaked-point-${i}` };
      this.retained.push(chunk);
    }
    this.retainedBytes += bytes;
  }
}
