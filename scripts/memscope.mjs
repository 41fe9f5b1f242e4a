// `npm run memscope -- <args>`: the CLI from this checkout, built first when its sources changed.
import { buildIfStale, ensureNpmDependencies, root, run } from './setup.mjs';

ensureNpmDependencies();
buildIfStale();
process.exitCode = run(process.execPath, [`${root}/dist/cli/main.js`, ...process.argv.slice(2)]);
