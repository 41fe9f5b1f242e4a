import type { RawPoint } from '../data/generator.js';
import { assemble, deduplicate, type Pause } from './assemble.js';
import { classifyBatch } from './classify.js';
import { normalizeBatch } from './normalize.js';
import { parseBatch } from './parse.js';
import type { OnboardingResult, TaggedPoint } from './types.js';
import { IssueLog, validateBatch } from './validate.js';

/** What the pipeline needs of a profiler: phases. The no-op runner is profiling off. */
export interface PhaseRunner {
  phase<T>(name: string, fn: () => T): T;
}

export const NO_PHASES: PhaseRunner = { phase: (_name, fn) => fn() };

/** The onboarding phases, in order; each is a memscope phase (parse..validate once per batch). */
export const ONBOARDING_PHASES = ['parse', 'normalize', 'classify', 'validate', 'deduplicate', 'assemble', 'store'] as const;
export type OnboardingPhase = (typeof ONBOARDING_PHASES)[number];

export interface OnboardOptions {
  phases?: PhaseRunner;
  /** Where results go (the service's bounded job store). Called inside the `store` phase. */
  store?: (result: OnboardingResult) => void | Promise<void>;
  /** Called inside each phase before its work (fault injection: a slow phase). */
  beforePhase?: (phase: OnboardingPhase) => void;
  /** Issues kept in full in the result. @default 200 */
  maxIssues?: number;
  /**
   * Called between slices of the stages that go over the whole job (deduplicate, assemble, summarize), so a service
   * can give its event loop a turn: over 100,000 points they are seconds of work. @default never pauses
   */
  pause?: Pause;
}

type Source = AsyncIterable<readonly RawPoint[]> | Iterable<readonly RawPoint[]>;

/**
 * Onboards BMS points: parse, normalize, classify/tag and validate each batch as it arrives (so a batched source is
 * never held in memory whole), then deduplicate, assemble the equipment model and store the result.
 */
export async function onboard(source: Source, options: OnboardOptions = {}): Promise<OnboardingResult> {
  const phases = options.phases ?? NO_PHASES;
  const before = options.beforePhase;
  const issues = new IssueLog(options.maxIssues ?? 200);
  return phases.phase('onboarding', async () => {
    const accepted: TaggedPoint[] = [];
    let received = 0;
    for await (const batch of source) {
      received += batch.length;
      const parsed = phases.phase('parse', () => {
        before?.('parse');
        return parseBatch(batch, (raw) => {
          issues.add(raw.name, 'unparseable_name', 'the name follows no known BMS naming convention');
          issues.rejected++;
        });
      });
      const normalized = phases.phase('normalize', () => {
        before?.('normalize');
        return normalizeBatch(parsed);
      });
      const tagged = phases.phase('classify', () => {
        before?.('classify');
        return classifyBatch(normalized);
      });
      const valid = phases.phase('validate', () => {
        before?.('validate');
        return validateBatch(tagged, issues);
      });
      for (const p of valid) accepted.push(p);
    }
    const unique = await phases.phase('deduplicate', () => {
      before?.('deduplicate');
      return deduplicate(accepted, options.pause);
    });
    const equipment = await phases.phase('assemble', () => {
      before?.('assemble');
      return assemble(unique.points, options.pause);
    });
    const result = await summarize(received, issues, unique.points, unique.removed, equipment, options.pause);
    await phases.phase('store', async () => {
      before?.('store');
      await options.store?.(result);
    });
    return result;
  });
}

async function summarize(
  received: number,
  issues: IssueLog,
  points: readonly TaggedPoint[],
  removed: number,
  equipment: OnboardingResult['equipment'],
  pause: Pause = () => Promise.resolve(),
): Promise<OnboardingResult> {
  const byEquipClass: Record<string, number> = {};
  const byPointKind: Record<string, number> = {};
  const sites = new Set<string>();
  let i = 0;
  for (const p of points) {
    byEquipClass[p.equipClass] = (byEquipClass[p.equipClass] ?? 0) + 1;
    byPointKind[p.kind] = (byPointKind[p.kind] ?? 0) + 1;
    sites.add(p.site);
    if (++i % 4096 === 0) await pause();
  }
  return {
    pointsReceived: received,
    pointsAccepted: points.length,
    pointsRejected: issues.rejected,
    duplicatesRemoved: removed,
    sites: [...sites].sort(),
    equipmentCount: equipment.length,
    byEquipClass,
    byPointKind,
    issueCounts: issues.counts,
    issues: issues.kept,
    equipment,
  };
}
