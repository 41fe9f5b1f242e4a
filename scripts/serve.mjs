// `npm run serve`: the example BMS onboarding service alone, instrumented with memscope (/metrics), as `npm start`
// started it before it became the stress run. `npm run serve -- --port 3000 --inject-leak 1MiB/s`.
import { buildIfStale, ensureNpmDependencies, root, run } from './setup.mjs';

ensureNpmDependencies();
buildIfStale();
process.exitCode = run(process.execPath, [`${root}/dist/cli/main.js`, 'serve', ...process.argv.slice(2)]);
