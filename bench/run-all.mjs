// `npm run bench`: every suite on this machine's Node and on Node 24, then docs/benchmarks.md from the results.
// Benchmarks are never part of `npm test`.
import { existsSync } from 'node:fs';
import { build, ensureNode24, ensureNpmDependencies, log, run } from '../scripts/setup.mjs';

ensureNpmDependencies();
build();
const node24 = ensureNode24();
const all = ['sample', 'phases', 'render', 'memory', 'onboarding', 'charts', 'preload'].filter((s) => existsSync(`bench/${s}.bench.ts`));
const suites = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
let failed = 0;
for (const node of [process.execPath, node24]) {
  for (const suite of suites) {
    const file = `bench/${suite}.bench.ts`;
    log(`${suite} on ${node === process.execPath ? process.version : 'Node 24'}`);
    const args = ['--import', 'tsx', ...(suite === 'memory' ? ['--expose-gc'] : []), file];
    if (run(node, args) !== 0) failed++;
  }
}
run(process.execPath, ['--import', 'tsx', 'bench/write-report.ts']);
process.exitCode = failed === 0 ? 0 : 1;
