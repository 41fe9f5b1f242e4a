import { afterAll, describe, expect, it } from 'vitest';
import { CLI, runNode } from '../helpers/child.js';
import { scratch } from '../report/report-fixtures.js';

const memscope = (...args: string[]) => runNode([CLI, ...args]).done;
const tmp = scratch('detect');
afterAll(() => {
  tmp.remove();
});

async function benchmark(name: string, ...args: string[]): Promise<string> {
  const run = await memscope('benchmark', '--iterations', '3', '--out', `${tmp.dir}/${name}`, '--json', ...args);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { files: { json: string } }).files.json;
}

describe('memscope compare on real runs with a fault injected', () => {
  it('catches a run made slower and memory retained, says the run was degraded on purpose, and exits 6', async () => {
    const clean = await benchmark('clean');
    const slow = await benchmark('slow', '--inject-slow-phase', 'classify:100');
    const leaky = await benchmark('leaky', '--inject-leak-per-request', '2MiB');
    const slowRun = await memscope('compare', clean, slow, '--fail-on-regression', '10%');
    expect(slowRun.code, slowRun.stdout).toBe(6);
    expect(slowRun.stdout).toMatch(/^flagged: injected faults differs: none → 100 ms more in the classify phase of every job/m);
    // The slower phase busy-waits: more CPU time for the run, caught there or, when a busy machine makes the CPU it
    // burns vary too much for the run's spread to show it, by the phase's own spread.
    const slowJson = JSON.parse((await memscope('compare', clean, slow, '--json')).stdout) as { regressions: Array<{ metric: string }> };
    expect(slowJson.regressions.map((r) => r.metric)).toEqual(expect.arrayContaining([expect.stringMatching(/^(CPU time|phase classify: time)$/)]));
    expect(slowRun.stdout).toMatch(/^phase classify: time .* \+\d{3,}\.\d% /m);
    const leakyRun = await memscope('compare', clean, leaky, '--json', '--fail-on-regression', '10%');
    expect(leakyRun.code).toBe(6);
    const parsed = JSON.parse(leakyRun.stdout) as { regressions: Array<{ metric: string }>; configDifferences: Array<{ label: string; current: string }> };
    expect(parsed.regressions.map((r) => r.metric)).toContain('memory usage');
    expect(parsed.configDifferences).toEqual([expect.objectContaining({ label: 'injected faults', current: 'leak 2097152 bytes of heap per job' })]);
  }, 120_000);

  it('rejects a bad fault option of benchmark with exit 2', async () => {
    const run = await memscope('benchmark', '--inject-slow-phase', 'nowhere:5');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--inject-slow-phase must name a phase/);
  });
});
