import { REQUEST_MIX, type LoadProfile, type LoadStage } from '../load-profiles.js';

/**
 * The open-loop plan of a run, from a profile's stages. The profiles are written as virtual users (the k6 scripts
 * ramp VUs); the runner turns them into an arrival rate so that a slow service gets the same offered load instead
 * of fewer requests (a closed model backs off exactly when the service is in trouble). A VU that submits a job,
 * sees it finished at its first status read and pauses `thinkTimeSeconds` starts a job every
 * `thinkTimeSeconds + pollIntervalSeconds`: that is the rate one VU stands for.
 */
export function jobsPerSecondPerVU(profile: LoadProfile): number {
  return 1 / (profile.thinkTimeSeconds + REQUEST_MIX.pollIntervalSeconds);
}

/** VUs at `t` seconds into the run: linear ramps from the previous stage's target (0 at the start), 0 after the end. */
export function vusAt(profile: LoadProfile, t: number): number {
  let start = 0;
  let from = 0;
  for (const stage of profile.stages) {
    const end = start + stage.durationSeconds;
    if (t < end) return from + ((stage.targetVUs - from) * Math.max(0, t - start)) / stage.durationSeconds;
    start = end;
    from = stage.targetVUs;
  }
  return 0;
}

/** Jobs per second offered at `t` seconds into the run. */
export function arrivalRateAt(profile: LoadProfile, t: number): number {
  return vusAt(profile, t) * jobsPerSecondPerVU(profile);
}

/**
 * Jobs offered from the start to `t` seconds: the integral of the rate, exact for linear ramps. The load generator
 * starts job n when this passes n, so arrivals do not drift with the timer's jitter.
 */
export function cumulativeArrivals(profile: LoadProfile, t: number): number {
  let start = 0;
  let from = 0;
  let vuSeconds = 0;
  for (const stage of profile.stages) {
    const end = start + stage.durationSeconds;
    const upTo = Math.min(t, end);
    if (upTo > start) {
      const elapsed = upTo - start;
      const to = from + ((stage.targetVUs - from) * elapsed) / stage.durationSeconds;
      vuSeconds += ((from + to) / 2) * elapsed;
    }
    if (t <= end) break;
    start = end;
    from = stage.targetVUs;
  }
  return vuSeconds * jobsPerSecondPerVU(profile);
}

export interface StageSpan {
  /** 0-based. */
  readonly index: number;
  readonly stage: LoadStage;
  /** Seconds from the start of the run. */
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** `stage 2/3 (hold 2 VUs)`. */
  readonly label: string;
}

/** The stages on the run's clock, each named by what it does to the load. */
export function stageSpans(profile: LoadProfile): StageSpan[] {
  let start = 0;
  let from = 0;
  return profile.stages.map((stage, index) => {
    const verb = stage.targetVUs > from ? 'ramp up to' : stage.targetVUs < from ? 'ramp down to' : 'hold';
    const span = {
      index,
      stage,
      startSeconds: start,
      endSeconds: start + stage.durationSeconds,
      label: `stage ${index + 1}/${profile.stages.length} (${verb} ${stage.targetVUs} VUs)`,
    };
    start = span.endSeconds;
    from = stage.targetVUs;
    return span;
  });
}

/** The stage running at `t` seconds, or undefined past the end. */
export function stageAt(spans: readonly StageSpan[], t: number): StageSpan | undefined {
  return spans.find((s) => t >= s.startSeconds && t < s.endSeconds);
}

/** Seconds from the start of the run to the end of its last stage. */
export function profileEnd(profile: LoadProfile): number {
  return profile.stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);
}
