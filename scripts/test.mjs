// `npm test`: every test, with its own set-up. CI (.ci/run) runs exactly this, with CI=true, on a clean clone.
//
// Steps: npm dependencies, Debian packages (Prometheus, promtool, Alertmanager, Chromium; Docker's engine, compose
// and debootstrap for the compose stack test, test/integration/compose-stack.test.ts) and Node 24 when missing;
// type-check, lint, build; the whole suite on this machine's Node (20) with coverage; the unit and SDK suites again
// on Node 24. Tests that need Prometheus, promtool, Alertmanager or Chromium never skip under CI=true.
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, ensureDebianPackages, ensureNode24, ensureNpmDependencies, log, run } from './setup.mjs';

// k6 for test/deploy/k6*.test.ts: ../shared/tools beside the checkout holds it on CI (tests also take K6_BIN).
const sharedTools = fileURLToPath(new URL('../../shared/tools', import.meta.url));
if (existsSync(sharedTools)) process.env.PATH = `${sharedTools}${delimiter}${process.env.PATH ?? ''}`;

const started = Date.now();
ensureNpmDependencies();
ensureDebianPackages([
  { command: 'prometheus', pkg: 'prometheus' },
  { command: 'promtool', pkg: 'prometheus' },
  { command: 'prometheus-alertmanager', pkg: 'prometheus-alertmanager' },
  { command: 'chromium', pkg: 'chromium' },
  { command: 'docker-compose', pkg: 'docker-compose' },
  { command: 'dockerd', pkg: 'docker.io' },
  { command: 'debootstrap', pkg: 'debootstrap' },
]);
const node24 = ensureNode24();

const results = [];
function step(name, command, args, options) {
  log(name);
  const t0 = Date.now();
  const status = run(command, args, options);
  results.push({ name, status, seconds: (Date.now() - t0) / 1000 });
  return status;
}

build(); // first: bench/ and the tests that spawn programs use dist/
step('type-check (tsc --noEmit)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
step('lint (eslint)', 'npx', ['eslint', '.']);
const vitest = 'node_modules/vitest/vitest.mjs';
step(`all tests on Node ${process.version} (with coverage)`, process.execPath, [vitest, 'run', '--coverage'], {
  env: { ...process.env, MEMSCOPE_EXPECT_NODE_MAJOR: process.versions.node.split('.')[0] },
});
step('unit and SDK tests on Node 24', node24, [vitest, 'run', '--project', 'unit'], {
  env: { ...process.env, MEMSCOPE_EXPECT_NODE_MAJOR: '24' },
});

console.log('\nSummary');
for (const r of results) console.log(`  ${r.status === 0 ? 'pass' : 'FAIL'}  ${r.name} (${r.seconds.toFixed(1)} s)`);
console.log(`  total ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;
