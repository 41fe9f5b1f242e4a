import { MemoryProfiler } from '../../sdk/memory-profiler.js';
import type { Assertion, MemoryTestResult } from '../../report/report-model.js';
import { holds } from './assertions.js';

/**
 * Runs a test body under its own profiler (timeline, phases, leak verdict for the report and pictures) and turns
 * its assertions into a MemoryTestResult. The SDK's leak verdict is asserted too: it needs ~30 s of post-GC
 * evidence, so in short tests it usually reports insufficient data (which passes); in long stress runs it speaks.
 */
export async function profiledTest(
  name: string,
  description: string,
  body: (profiler: MemoryProfiler) => Promise<{ assertions: Assertion[]; figures: Record<string, number> }>,
): Promise<MemoryTestResult> {
  const profiler = new MemoryProfiler({ sampleIntervalMs: 20, eventLoop: false }).start();
  const t0 = performance.now();
  let outcome: { assertions: Assertion[]; figures: Record<string, number> };
  try {
    outcome = await body(profiler);
  } finally {
    profiler.stop();
  }
  const leak = profiler.getLeakVerdict();
  const assertions = [...outcome.assertions];
  if (leak !== undefined) {
    assertions.push(holds('leak verdict', !leak.suspected, leak.suspected ? `leak suspected in ${leak.basis ?? 'memory'} (${Math.round(leak.slopeBytesPerSec)} bytes/s)` : `no leak suspected (${leak.evidence.heap.status})`));
  }
  return {
    name,
    description,
    passed: assertions.every((a) => a.passed),
    durationSec: (performance.now() - t0) / 1000,
    assertions,
    figures: outcome.figures,
    phases: profiler.getPhaseStats(),
    phaseIntervals: profiler.getPhaseIntervals(),
    timeline: profiler.getMemoryTimeline(),
    ...(leak === undefined ? {} : { leak }),
  };
}
