import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, runNode } from '../helpers/child.js';

const dir = mkdtempSync(join(tmpdir(), 'memscope-leak-hunt-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// The acceptance run: the example leaking 2 MiB/s of heap, the leak-hunt scenario shortened to under 3 minutes.
// The run stops once the service's own verdict has said suspected twice in a row.
describe('memscope stress --scenario leak-hunt --inject-leak 2MiB/s', () => {
  it('fails within 3 minutes with exit 13 and the leak named', { timeout: 240_000 }, async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await runNode([CLI, 'stress', '--scenario', 'leak-hunt', '--inject-leak', '2MiB/s', '--duration', '160', '--out', dir]).done;
    expect(code, `${stdout}\n${stderr}`).toBe(13);
    expect(Date.now() - started).toBeLessThan(200_000);
    expect(stdout).toMatch(/^ {2}FAIL {2}leak_verdict!=suspected: leak suspected in /m);
    const verdict = stdout.trim().split('\n').at(-1)!;
    expect(verdict).toMatch(/^verdict: FAIL — leak-hunt.*leak_verdict!=suspected \(leak suspected in .+\(the service's verdict, confidence/);
    expect(stderr).toMatch(/MEMSCOPE_E_STRESS_FAILED: \d+ threshold\(s\) failed: .*leak_verdict!=suspected/);
    const json = /^JSON report:\s+(\S+)$/m.exec(stdout)![1]!;
    const report = JSON.parse(readFileSync(json, 'utf8')) as { passed: boolean; config: { injectLeak: string } };
    expect(report.passed).toBe(false);
    expect(report.config.injectLeak).toBe('--inject-leak 2.00 MiB/s heap');
  });
});
