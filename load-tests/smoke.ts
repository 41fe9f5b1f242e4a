/**
 * Smoke test: a couple of users submit realistic onboarding jobs (JSON and CSV) to BASE_URL for under a minute and
 * follow each to its end. Every request must succeed, quickly: the check before any heavier profile.
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/smoke.ts
 *   docker compose --profile stress run --rm k6     (Prometheus remote-write output; see compose.yaml)
 */
import { optionsFor } from './lib/k6-options.ts';
import { LOAD_PROFILES } from './lib/profiles.ts';
import { onboardingIteration, setupService } from './lib/scenario.ts';
import { summaryHandler } from './lib/summary.ts';

const profile = LOAD_PROFILES.smoke;

export const options = optionsFor(profile);
export const setup = setupService;
export default onboardingIteration(profile);
export const handleSummary = summaryHandler('smoke');
