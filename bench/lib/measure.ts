/**
 * A small, honest micro-benchmark harness: each measurement is the median over `rounds` of the time of a batch of
 * calls (sized so a batch takes ~`batchMs`), after a warm-up. Medians of batches resist GC pauses and scheduler noise
 * better than per-call timers, whose own cost (~40 ns) would swamp sub-microsecond subjects. Results are compared as
 * ratios measured in the same process, never against fixed thresholds.
 */
export interface Measurement {
  name: string;
  /** Median nanoseconds per call. */
  ns: number;
  /** Spread: (p75 - p25) / median of the batch times. */
  spread: number;
  calls: number;
}

export interface MeasureOptions {
  rounds?: number;
  batchMs?: number;
  warmupMs?: number;
}

export function measure(name: string, fn: () => unknown, options: MeasureOptions = {}): Measurement {
  const rounds = options.rounds ?? 15;
  const batchMs = options.batchMs ?? 40;
  const warmupEnd = performance.now() + (options.warmupMs ?? 150);
  let calls = 0;
  while (performance.now() < warmupEnd) {
    fn();
    calls++;
  }
  // Calibrate the batch size to ~batchMs.
  let batch = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= batchMs / 4 || batch > 1e8) {
      batch = Math.max(1, Math.round((batch * batchMs) / Math.max(ms, 0.001)));
      break;
    }
    batch *= 4;
  }
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    perCall.push(Number(process.hrtime.bigint() - t0) / batch);
    calls += batch;
  }
  return { name, ...summarize(perCall), calls };
}

/** The same for async subjects (one awaited call at a time). */
export async function measureAsync(name: string, fn: () => Promise<unknown>, options: MeasureOptions = {}): Promise<Measurement> {
  const rounds = options.rounds ?? 15;
  const batchMs = options.batchMs ?? 60;
  const warmupEnd = performance.now() + (options.warmupMs ?? 200);
  let calls = 0;
  while (performance.now() < warmupEnd) {
    await fn();
    calls++;
  }
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const end = performance.now() + batchMs;
    let n = 0;
    const t0 = process.hrtime.bigint();
    while (performance.now() < end) {
      await fn();
      n++;
    }
    perCall.push(Number(process.hrtime.bigint() - t0) / n);
    calls += n;
  }
  return { name, ...summarize(perCall), calls };
}

function summarize(values: number[]): { ns: number; spread: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const median = q(0.5);
  return { ns: median, spread: median > 0 ? (q(0.75) - q(0.25)) / median : 0 };
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}
