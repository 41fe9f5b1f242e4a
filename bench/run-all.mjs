// `npm run bench`: every suite on this machine's Node and on Node 24, then docs/benchmarks.md from the results.
// Benchmarks are never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { build, ensureNode24, ensureNpmDependencies, log, run } from '../scripts/setup.mjs';

ensureNpmDependencies();
build();
const node24 = ensureNode24();
const all = ['sample', 'phases', 'render', 'service', 'memory', 'onboarding', 'charts', 'preload'].filter((s) => existsSync(`bench/${s}.bench.ts`));
const suites = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
if (suites.includes('service')) ensureWrk();
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

/** The service suite's load generator: Debian's wrk, installed when missing and running as root, else a clear stop. */
function ensureWrk() {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  if (process.getuid?.() === 0 && run('apt-get', ['install', '-y', 'wrk']) === 0) return;
  console.error('bench: the service suite needs wrk (`apt-get install -y wrk`)');
  process.exit(1);
}
process.exitCode = failed === 0 ? 0 : 1;
