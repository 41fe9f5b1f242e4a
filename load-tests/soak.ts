/**
 * Soak: the average load for an hour. Slow leaks show as a post-GC baseline that keeps rising — watch
 * memscope_leak_suspected and the memory / Overview dashboard while it runs.
 *
 *   npm run build:k6 && k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/dist/soak.js
 */
import { LOAD_PROFILES } from '../src/stress/load-profiles.ts';
import { scenario } from './lib/scenario.ts';

const run = scenario(LOAD_PROFILES.soak);

export const options = run.options;
export const setup = run.setup;
export default run.iteration;
export const handleSummary = run.handleSummary;
