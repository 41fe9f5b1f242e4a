// `npm start`: the main job on embedded defaults — `memscope stress` with the smoke scenario against the example BMS
// onboarding service (about a minute), ending with where the HTML report, the PNG and the JSON are and the verdict in
// one line. `npm start -- <stress options>` passes them through, the example's fault injection included:
//   npm start -- --scenario leak-hunt --inject-leak 2MiB/s --out reports/leak
// The example service alone: `npm run serve` (`npm run serve -- --port 3000 --inject-leak 1MiB/s`).
import { join } from 'node:path';
import { buildIfStale, ensureNpmDependencies, root, run } from './setup.mjs';

ensureNpmDependencies();
// Built when missing or older than a source file: a second `npm start` goes straight to the run, and one started
// while tests run the built CLI does not rewrite dist/ under them.
buildIfStale();
const stamp = join(root, 'dist', 'cli', 'main.js');
// Ctrl-C reaches the stress run too (same process group): it stops the load and the service, writes what was measured
// and exits 130. This process waits for that instead of dying first and leaving the run's last lines after the prompt.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.exitCode = run(process.execPath, [stamp, 'stress', ...process.argv.slice(2)]);

