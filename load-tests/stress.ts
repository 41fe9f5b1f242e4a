/**
 * Stress: three times the average load (sixty users, half the think time, larger jobs) for five minutes. How do
 * latency, GC pauses and the heap behave well above normal, and does the service keep its error budget?
 *
 *   npm run build:k6 && k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/dist/stress.js
 */
import { LOAD_PROFILES } from '../src/stress/load-profiles.ts';
import { scenario } from './lib/scenario.ts';

const run = scenario(LOAD_PROFILES.stress);

export const options = run.options;
export const setup = run.setup;
export default run.iteration;
export const handleSummary = run.handleSummary;
