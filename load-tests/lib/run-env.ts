/**
 * What a run takes from its environment (`k6 run -e NAME=value`, or the variable itself): how much to shorten the
 * profile and which test run its metrics belong to. Read once, in the init context.
 */
import { scaleProfile, type LoadProfile } from '../../src/stress/load-profiles.ts';

/**
 * `DURATION_SCALE` (default 1): every stage of the profile times this factor, at least a second each — the same run,
 * shorter. `DURATION_SCALE=0.05` makes the 45 minute leak hunt a 2 minute one; the tests run each script in ~15 s.
 */
export function scaledProfile(profile: LoadProfile): LoadProfile {
  const raw = __ENV.DURATION_SCALE ?? '';
  if (raw.trim() === '') return profile;
  const factor = Number(raw);
  // An init-context exception stops k6 before any load, with this message.
  if (!(Number.isFinite(factor) && factor > 0)) throw new Error(`DURATION_SCALE must be a number > 0, got "${raw}"`);
  return scaleProfile(profile, factor);
}

/**
 * `TESTID`: the `testid` tag on every metric of the run, which the Stress test dashboard selects runs by. Default:
 * the profile and the start time (`smoke-20260101T120000Z`). Set it explicitly when several k6 processes make one run
 * (the k6 operator's runners): each would otherwise stamp its own start time.
 */
export function testId(profile: LoadProfile): string {
  const given = (__ENV.TESTID ?? '').trim();
  if (given !== '') return given;
  return `${profile.name}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}
