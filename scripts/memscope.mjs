// `npm run memscope -- <args>`: the CLI from this checkout, built first.
import { build, ensureNpmDependencies, root, run } from './setup.mjs';

ensureNpmDependencies();
build();
process.exitCode = run(process.execPath, [`${root}/dist/cli/main.js`, ...process.argv.slice(2)]);
