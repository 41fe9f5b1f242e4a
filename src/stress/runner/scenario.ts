import { invalidOption } from '../../internal/errors.js';
import { LOAD_PROFILES, durationScaleFor, scaleProfile, type LoadProfile, type LoadProfileName } from '../load-profiles.js';

/**
 * The profile a scenario runs under, read from the shared definitions the k6 scripts bundle (load-profiles.ts) at
 * the time of the run — nothing copied — and shortened to about `durationSeconds` when given (same shape, VUs,
 * think time, job sizes and thresholds). Throws MEMSCOPE_E_INVALID_OPTION naming `--duration`.
 */
export function resolveProfile(name: LoadProfileName, durationSeconds?: number): LoadProfile {
  const base = LOAD_PROFILES[name];
  if (durationSeconds === undefined) return base;
  if (!(Number.isFinite(durationSeconds) && durationSeconds > 0)) throw invalidOption('--duration', 'a number of seconds > 0', durationSeconds);
  return scaleProfile(base, durationScaleFor(base, durationSeconds));
}
