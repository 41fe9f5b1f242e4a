import { generatePointBatches, generatePoints } from '../../bms/data/generator.js';
import { onboard } from '../../bms/pipeline/onboard.js';
import { MIB } from '../../internal/units.js';
import { measureGrowth } from '../../testing/growth.js';
import { measureMemory } from '../../testing/measure-memory.js';
import { runOnboardingWorkload } from '../workload.js';
import { below, holds, leakVerdictHolds } from './assertions.js';
import { LeakSnapshots } from './leak-snapshots.js';
import { profiledTest, type TestOutcome } from './profile-run.js';
import type { MemoryProfiler } from '../../sdk/memory-profiler.js';
import type { MemoryTestContext, MemoryTestDefinition } from './types.js';

/**
 * The standard memory tests and their thresholds (normal / --stress). Limits are set from measurements on Node 20
 * and 24 with a wide margin (docs/memory-tests.md lists the measured figures next to them): they catch leaks and
 * regressions of the order of megabytes, not noise.
 */
export const SIZES = {
  largeDataset: { normal: 20_000, stress: 200_000 },
  batched: { normal: 20_000, stress: 200_000 },
  repeated: { normal: 2_000, stress: 10_000 },
  returned: { normal: 20_000, stress: 200_000 },
} as const;

export const LIMITS = {
  largeDatasetPeak: { normal: 160 * MIB, stress: 1200 * MIB },
  retained: { normal: 2 * MIB, stress: 8 * MIB },
  /** Growth of post-GC memory across repeated runs: the leak detector's default minimum slope. */
  growthPerSecond: 64 * 1024,
  growthSignificance: 0.01,
  repeatedMinSeconds: { normal: 4, stress: 20 },
} as const;

const pick = <T>(v: { normal: T; stress: T }, ctx: MemoryTestContext): T => (ctx.stress ? v.stress : v.normal);

type Body = (ctx: MemoryTestContext, profiler: MemoryProfiler) => Promise<TestOutcome>;

function defineTest(name: string, description: string, body: Body): MemoryTestDefinition {
  return { name, description, run: (ctx) => profiledTest(name, description, (profiler) => body(ctx, profiler)) };
}

export const MEMORY_TESTS: readonly MemoryTestDefinition[] = [
  defineTest('memory-usage-with-large-dataset', 'Onboards a large export in one job: the peak stays under its limit and memory is returned afterwards.', async (ctx, profiler) => {
        const points = pick(SIZES.largeDataset, ctx);
        // Keep only a count of the result: holding the result itself would be counted as retained memory.
        const { result: received, measurement: m } = await measureMemory(async () => (await runOnboardingWorkload({ points, batchSize: 1000, phases: profiler })).pointsReceived);
        return {
          assertions: [
            below('peak memory (heap + external)', m.peakBytes, pick(LIMITS.largeDatasetPeak, ctx)),
            below('retained after GC', m.retainedBytes, pick(LIMITS.retained, ctx)),
            holds('points processed', received === points, `${received} of ${points}`),
          ],
          figures: { points, peakBytes: m.peakBytes, retainedBytes: m.retainedBytes, seconds: m.durationMs / 1000, pointsPerSecond: points / (m.durationMs / 1000) },
        };
  }),
  defineTest('batched-vs-unbatched-generation', 'Generates the points in batches and all at once: batching holds one batch, not the whole export, and both runs stay within limits.', async (ctx, profiler) => {
    const points = pick(SIZES.batched, ctx);
    const batchSize = 500;
    // What the input holds before processing starts (measured as memory retained while it is held): all the
    // points when generated at once, one batch when generated in batches. A deterministic live-set figure, unlike
    // the peaks below, which include garbage awaiting collection and so depend on the GC's timing.
    const heldAll = await measureMemory(() => generatePoints({ points }));
    const heldBatched = await measureMemory(async () => {
      const batches = generatePointBatches({ points, batchSize });
      return { batches, first: await batches.next() };
    });
    const batched = await profiler.phase('batched', () => measureMemory(async () => (await runOnboardingWorkload({ points, batchSize, phases: profiler })).pointsAccepted));
    const unbatched = await profiler.phase('unbatched', () =>
      measureMemory(async () => {
        const all = profiler.phase('data_generation', () => generatePoints({ points }));
        return (await onboard([all], { phases: profiler })).pointsAccepted;
      }),
    );
    const b = batched.measurement;
    const u = unbatched.measurement;
    const a = heldAll.measurement.retainedBytes;
    const one = heldBatched.measurement.retainedBytes;
    return {
      assertions: [
        holds('batching holds one batch, not the whole export', one * 10 < a, `batched input holds ${(one / MIB).toFixed(2)} MiB, unbatched ${(a / MIB).toFixed(2)} MiB (must be < 1/10)`),
        below('batched peak', b.peakBytes, pick(LIMITS.largeDatasetPeak, ctx)),
        below('unbatched peak', u.peakBytes, pick(LIMITS.largeDatasetPeak, ctx)),
        below('batched retained after GC', b.retainedBytes, pick(LIMITS.retained, ctx)),
        below('unbatched retained after GC', u.retainedBytes, pick(LIMITS.retained, ctx)),
      ],
      figures: { points, batchSize, inputHeldBatchedBytes: one, inputHeldUnbatchedBytes: a, batchedPeakBytes: b.peakBytes, unbatchedPeakBytes: u.peakBytes, batchedRetainedBytes: b.retainedBytes, unbatchedRetainedBytes: u.retainedBytes },
    };
  }),
  defineTest('repeated-runs-no-leak', 'Runs the workload again and again with a full GC between runs: what survives must not keep growing.', async (ctx, profiler) => {
        const points = pick(SIZES.repeated, ctx);
        const minSeconds = pick(LIMITS.repeatedMinSeconds, ctx);
        // Enough runs to span minSeconds: a growth rate needs time to stand out from noise.
        const probe = await measureMemory(() => runOnboardingWorkload({ points, phases: profiler }));
        const runSeconds = Math.max(probe.measurement.durationMs / 1000, 0.005);
        const iterations = Math.min(500, Math.max(12, Math.ceil(minSeconds / (runSeconds + 0.02))));
        const run = () => runOnboardingWorkload({ points, phases: profiler });
        const warmup = 2;
        const snapshots = ctx.heapSnapshots === undefined ? undefined : new LeakSnapshots(ctx.heapSnapshots, 'repeated-runs-no-leak');
        // The SDK's leak detector judges the post-GC figure of every run; runs go on (up to 4x) while it cannot speak.
        const g = await measureGrowth(snapshots?.wrap(run, warmup) ?? run, {
          iterations,
          warmup,
          maxIterations: iterations * 4,
          per: 'second',
          minSlope: LIMITS.growthPerSecond,
          significance: LIMITS.growthSignificance,
        });
        return {
          assertions: [
            leakVerdictHolds('leak verdict (JS heap)', g.verdict, 'heap', LIMITS.growthPerSecond),
            leakVerdictHolds('leak verdict (external memory)', g.verdict, 'external', LIMITS.growthPerSecond),
          ],
          figures: { runs: g.runs, points, heapBytesPerSecond: g.verdict.evidence.heap.slopeBytesPerSec, externalBytesPerSecond: g.verdict.evidence.external.slopeBytesPerSec, heapP: g.verdict.evidence.heap.pValue, externalP: g.verdict.evidence.external.pValue, totalGrowthBytes: g.totalGrowthBytes },
          growth: g,
          ...(snapshots === undefined ? {} : { heapDiff: await snapshots.finish(g.verdict, run, iterations) }),
        };
  }),
  defineTest('memory-returned-after-processing', 'After a job and a full GC, memory returns to where it was before the job.', async (ctx, profiler) => {
        const points = pick(SIZES.returned, ctx);
        const { measurement: m } = await measureMemory(async () => {
          const result = await runOnboardingWorkload({ points, phases: profiler });
          return result.pointsAccepted;
        });
        return {
          assertions: [below('retained after GC', m.retainedBytes, pick(LIMITS.retained, ctx)), below('heap retained after GC', m.retainedHeapBytes, pick(LIMITS.retained, ctx))],
          figures: { points, retainedBytes: m.retainedBytes, retainedHeapBytes: m.retainedHeapBytes, peakBytes: m.peakBytes },
        };
  }),
];

