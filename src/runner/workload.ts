import { generatePointBatches, type GeneratorOptions, type RawPoint } from '../bms/data/generator.js';
import { NO_PHASES, onboard, type OnboardOptions, type PhaseRunner } from '../bms/pipeline/onboard.js';
import type { OnboardingResult } from '../bms/pipeline/types.js';

export interface WorkloadOptions extends GeneratorOptions {
  phases?: PhaseRunner;
  /** Called inside each pipeline phase (fault injection). */
  beforePhase?: OnboardOptions['beforePhase'];
}

/**
 * The onboarding workload the benchmark and the memory tests run: points generated in batches (each batch a
 * `data_generation` phase) and streamed through the onboarding pipeline, as the service processes an export.
 */
export async function runOnboardingWorkload(options: WorkloadOptions = {}): Promise<OnboardingResult> {
  const phases = options.phases ?? NO_PHASES;
  return onboard(timedBatches(generatePointBatches(options), phases), {
    phases,
    ...(options.beforePhase === undefined ? {} : { beforePhase: options.beforePhase }),
  });
}

/** Wraps a batch source so that producing each batch is a `data_generation` phase. */
async function* timedBatches(source: AsyncGenerator<RawPoint[]>, phases: PhaseRunner): AsyncGenerator<RawPoint[]> {
  for (;;) {
    const next = await phases.phase('data_generation', () => source.next());
    if (next.done === true) return;
    yield next.value;
  }
}
