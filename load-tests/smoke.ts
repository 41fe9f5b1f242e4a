/**
 * Smoke test: a couple of users submit realistic onboarding jobs (JSON and CSV) to BASE_URL for under a minute and
 * follow each to its end. Every request must succeed, quickly: the check before any heavier profile.
 *
 *   npm run build:k6 && k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/dist/smoke.js
 */
import { LOAD_PROFILES } from '../src/stress/load-profiles.ts';
import { scenario } from './lib/scenario.ts';

const run = scenario(LOAD_PROFILES.smoke);

export const options = run.options;
export const setup = run.setup;
export default run.iteration;
export const handleSummary = run.handleSummary;
