/**
 * Spike: a hundred users within ten seconds, a minute at the top, then gone. The queue fills and some jobs are
 * refused (503 queue_full is within the error budget); afterwards memory must come back down.
 *
 *   npm run build:k6 && k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/dist/spike.js
 */
import { LOAD_PROFILES } from '../src/stress/load-profiles.ts';
import { scenario } from './lib/scenario.ts';

const run = scenario(LOAD_PROFILES.spike);

export const options = run.options;
export const setup = run.setup;
export default run.iteration;
export const handleSummary = run.handleSummary;
