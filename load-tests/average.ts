/**
 * Average load: twenty users for five minutes, a normal working day of onboarding jobs. Within the service level,
 * memory must settle: the baseline every other profile is compared with.
 *
 *   npm run build:k6 && k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/dist/average.js
 */
import { LOAD_PROFILES } from '../src/stress/load-profiles.ts';
import { scenario } from './lib/scenario.ts';

const run = scenario(LOAD_PROFILES.average);

export const options = run.options;
export const setup = run.setup;
export default run.iteration;
export const handleSummary = run.handleSummary;
