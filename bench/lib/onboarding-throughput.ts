// Child program of onboarding.bench.ts: onboarding throughput with memscope profiling on or off, in a fresh process
// (so that "off" never pays for the AsyncLocalStorage that "on" creates).
//   on   a MemoryProfiler on default settings (200 ms sampling, GC observer, event-loop monitor, phase snapshots),
//        every pipeline stage a phase
//   off  no profiler, no phases
import { MemoryProfiler } from '../../dist/index.js';
import { runOnboardingWorkload } from '../../dist/runner/workload.js';

const [mode = 'off', pointsArg = '20000', runsArg = '12', batchArg = '100'] = process.argv.slice(2);
const points = Number(pointsArg);
const batchSize = Number(batchArg);
const profiler = mode === 'on' ? new MemoryProfiler().start() : undefined;
const options = { points, batchSize, ...(profiler === undefined ? {} : { phases: profiler }) };

// Warm-up until the JIT has settled: at least 1 s and 3 runs (small jobs need many runs; the profiled path has more
// code to optimize, and three 500-point runs left it measurably colder than the unprofiled one).
const warmupEnd = performance.now() + 1000;
for (let i = 0; i < 3 || performance.now() < warmupEnd; i++) await runOnboardingWorkload({ ...options, seed: i });
const rates: number[] = [];
for (let i = 0; i < Number(runsArg); i++) {
  const t0 = performance.now();
  await runOnboardingWorkload({ ...options, seed: 100 + i });
  rates.push(points / ((performance.now() - t0) / 1000));
}
profiler?.stop();
rates.sort((a, b) => a - b);
// Every run counts: the process reports its median run (not its best, which would hide what the profiled side really
// costs in some runs), and every run's rate for anyone recomputing.
console.log(JSON.stringify({ mode, pointsPerSecond: rates[Math.floor(rates.length / 2)], rates }));
