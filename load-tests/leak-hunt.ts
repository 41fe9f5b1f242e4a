/**
 * Leak hunt: a steady load for 45 minutes — long enough for memscope's leak verdict and for the production leak
 * alert's warm-up and `for` — with a site's full export (20,000 points) every twentieth job, so a leak that grows
 * with batch size shows within the run. Run it against one instance and watch memscope_leak_suspected.
 *
 *   npm run build:k6 && k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/dist/leak-hunt.js
 */
import { LOAD_PROFILES } from '../src/stress/load-profiles.ts';
import { scenario } from './lib/scenario.ts';

const run = scenario(LOAD_PROFILES['leak-hunt']);

export const options = run.options;
export const setup = run.setup;
export default run.iteration;
export const handleSummary = run.handleSummary;
