import { MemoryProfiler } from '../../sdk/memory-profiler.js';
import type { Assertion, MemoryTestResult } from '../../report/report-model.js';
import type { HeapDiffSection } from '../../report/heap-diff-section.js';
import type { GrowthAnalysis } from '../../testing/growth.js';

/** What a test body hands back: its assertions and figures, and the leak check when it made one. */
export interface TestOutcome {
  assertions: Assertion[];
  figures: Record<string, number>;
  /** The repeated-runs leak check (forced-GC baselines judged by the SDK's LeakDetector). */
  growth?: GrowthAnalysis;
  /** The leak check's heap diff, or why there is none. */
  heapDiff?: HeapDiffSection;
}

/**
 * Runs a test body under its own profiler (timeline and phases for the report and pictures) and turns its assertions
 * into a MemoryTestResult. The leak verdict is the one the body's leak check reached — the SDK's detector on the
 * post-GC figures of repeated runs — not a service profiler's, which needs minutes of traffic and would only ever say
 * "inconclusive" in a test of seconds; a test without a leak check has no verdict.
 */
export async function profiledTest(name: string, description: string, body: (profiler: MemoryProfiler) => Promise<TestOutcome>): Promise<MemoryTestResult> {
  const profiler = new MemoryProfiler({ sampleIntervalMs: 20, eventLoop: false, leak: false }).start();
  const t0 = performance.now();
  let outcome: TestOutcome;
  try {
    outcome = await body(profiler);
  } finally {
    profiler.stop();
  }
  const growth = outcome.growth;
  return {
    name,
    description,
    passed: outcome.assertions.every((a) => a.passed),
    durationSec: (performance.now() - t0) / 1000,
    assertions: outcome.assertions,
    figures: outcome.figures,
    phases: profiler.getPhaseStats(),
    phaseIntervals: profiler.getPhaseIntervals(),
    timeline: profiler.getMemoryTimeline(),
    ...(growth === undefined ? {} : { leak: growth.verdict, leakBaselines: growth.baselines }),
    ...(outcome.heapDiff === undefined ? {} : { heapDiff: outcome.heapDiff }),
  };
}
