// Child program of phases.bench.ts: the cost of one `await` in a process in one of five states, measured in a fresh
// process each because AsyncLocalStorage's cost, once created, is process-wide.
//   baseline      memscope not loaded
//   loaded        memscope loaded, a profiler started and marks used — but phase() never called
//   phases-used   phase() called once (memscope's AsyncLocalStorage now exists)
import { measureAsync } from './measure.js';

//   sync-context  phase() called with phaseContext: 'sync' (no async context at all)
//   async-resource an AsyncResource created and run in, the other way to carry a phase across awaits
const mode = process.argv[2] ?? 'baseline';
if (mode === 'async-resource') {
  const { AsyncResource } = await import('node:async_hooks');
  await new AsyncResource('memscope.phase').runInAsyncScope(() => Promise.resolve());
} else if (mode !== 'baseline') {
  const { MemoryProfiler } = await import('../../dist/index.js');
  const profiler = new MemoryProfiler({ eventLoop: false, ...(mode === 'sync-context' ? { phaseContext: 'sync' as const } : {}) }).start();
  profiler.markPhaseStart('m');
  profiler.markPhaseEnd('m');
  if (mode === 'phases-used' || mode === 'sync-context') await profiler.phase('p', () => Promise.resolve());
}

const AWAITS = 100;
async function awaits(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/await-thenable -- awaiting a non-promise is the subject measured
  for (let i = 0; i < AWAITS; i++) await null;
}
const m = await measureAsync(mode, awaits, { rounds: 21 });
console.log(JSON.stringify({ mode, nsPerAwait: m.ns / AWAITS }));
process.exit(0);
