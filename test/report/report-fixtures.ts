import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchmarkReport, Stats } from '../../src/report/report-model.js';
import { runBenchmark } from '../../src/runner/benchmark.js';
import { stats } from '../../src/report/stats.js';
import { formatTextReport } from '../../src/report/text-report.js';

/** A real benchmark report, small: the runner's own output, so the readers are tested on what memscope writes. */
export async function realReport(options: { iterations?: number; points?: number } = {}): Promise<BenchmarkReport> {
  return runBenchmark({ iterations: options.iterations ?? 2, points: options.points ?? 100, batchSize: 50 });
}

/** A scratch directory, removed by the returned function. */
export function scratch(prefix: string): { dir: string; file: (name: string, content: string | Uint8Array) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `memscope-${prefix}-`));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a report as JSON and as text; returns both paths. */
export function writeBoth(dir: ReturnType<typeof scratch>, name: string, report: BenchmarkReport): { json: string; text: string } {
  return { json: dir.file(`${name}.json`, `${JSON.stringify(report)}\n`), text: dir.file(`${name}.txt`, formatTextReport(report)) };
}

/**
 * `base` with its figures replaced by known per-iteration values: processing time (seconds), memory usage (bytes) and
 * CPU time (seconds; by default the processing time: no wait for the CPU) of each iteration, the summary recomputed
 * from them, every phase's time scaled like the processing time. For tests that need a clear regression, or clear
 * noise, rather than whatever this machine measured.
 */
export function withIterations(base: BenchmarkReport, timesSec: readonly number[], memoryBytes: readonly number[], cpuSec: readonly number[] = timesSec): BenchmarkReport {
  const r = structuredClone(base);
  const n = timesSec.length;
  const template = r.iterations[0]!;
  r.iterations = timesSec.map((t, i) => ({ ...structuredClone(template), index: i + 1, processingTimeSec: t, cpuTimeSec: cpuSec[i] ?? t, memoryUsageBytes: memoryBytes[i] ?? 0, processingRate: template.pointsProcessed / t }));
  r.config.iterations = n;
  const s = (values: number[]): Stats => stats(values);
  r.summary.processingTimeSec = s([...timesSec]);
  r.summary.cpuTimeSec = s(r.iterations.map((i) => i.cpuTimeSec ?? 0));
  r.summary.memoryUsageBytes = s([...memoryBytes]);
  r.summary.processingRate = s(r.iterations.map((i) => i.processingRate));
  const scale = r.summary.processingTimeSec.mean / base.summary.processingTimeSec.mean;
  for (const p of r.phases) {
    p.durationMs = { ...p.durationMs, mean: p.durationMs.mean * scale, median: p.durationMs.median * scale, min: p.durationMs.min * scale, max: p.durationMs.max * scale };
  }
  return r;
}

/** CPU time of `fn` in ms: unlike wall time, it does not grow while other processes have the CPU. */
function cpuMs(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/**
 * How much more work `run(large)` takes than `run(small)`: CPU time of as many runs as make the small input take about
 * 100 ms (the kernel accounts CPU time in ticks of a few ms), after a full GC, the least of three such measurements. A
 * slow input is not run more than once.
 * For an input eight times the size, linear work gives about 8 and quadratic work 64: callers hold it under 24.
 */
export function workRatio<T>(run: (input: T) => void, small: T, large: T): number {
  run(small);
  run(small);
  globalThis.gc?.();
  const once = cpuMs(() => {
    run(small);
  });
  const reps = Math.max(1, Math.ceil(100 / Math.max(once, 0.01)));
  const best = (input: T): number => {
    let min = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      globalThis.gc?.();
      min = Math.min(
        min,
        cpuMs(() => {
          for (let i = 0; i < reps; i++) run(input);
        }),
      );
    }
    return min;
  };
  return best(large) / Math.max(best(small), 0.001);
}
