// `npm start`: the main job on embedded defaults — the instrumented BMS onboarding service with /metrics.
import { build, ensureNpmDependencies, root, run } from './setup.mjs';

ensureNpmDependencies();
build();
const args = process.argv.slice(2);
process.exitCode = run(process.execPath, [`${root}/dist/cli/main.js`, 'serve', ...args]);
