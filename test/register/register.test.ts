import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunProcessReport } from '../../src/report/report-model.js';
import { ROOT, runNode } from '../helpers/child.js';

const REGISTER = `${ROOT}dist/register.js`;
const REGISTER_CJS = `${ROOT}dist/run/register-require.cjs`;
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('memscope/register', () => {
  it('warns once about a bad MEMSCOPE_* variable, leaves memscope off and never stops the program', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-register-'));
    dirs.push(dir);
    const { code, stdout, stderr } = await runNode(['--import', REGISTER, '-e', 'console.log("ran", typeof globalThis[Symbol.for("memscope.preloaded")])'], {
      env: { MEMSCOPE_SAMPLE_INTERVAL_MS: 'often', MEMSCOPE_REPORT_DIR: dir },
    }).done;
    expect(code).toBe(0);
    expect(stdout).toContain('ran undefined');
    expect(stderr.match(/MEMSCOPE_W_PRELOAD/g)).toHaveLength(1);
    expect(stderr).toContain('MEMSCOPE_SAMPLE_INTERVAL_MS');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes the report of a CommonJS program labelled by pid and command line, with its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-register-'));
    dirs.push(dir);
    const run = runNode(['--import', REGISTER, `${ROOT}test/fixtures/programs/run-leaker.cjs`, 'steady', '1', '4'], { env: { MEMSCOPE_REPORT_DIR: dir } });
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(4);
    const report = JSON.parse(readFileSync(join(dir, `${run.child.pid!}.json`), 'utf8')) as RunProcessReport;
    expect(report).toMatchObject({ kind: 'run-process', complete: true, process: { pid: run.child.pid, exitCode: 4, wrapper: null } });
    expect(report.process.commandLine).toContain('run-leaker.cjs steady 1 4');
    expect(report.timeline.length).toBeGreaterThan(3);
    expect(report.leak?.summary).toMatch(/inconclusive/);
  });

  it('starts once when both the --require and the --import flavours are loaded', async () => {
    const program = 'const s = globalThis[Symbol.for("memscope.preloaded")]; s.ready.then((m) => console.log("started", m !== undefined))';
    const { code, stdout, stderr } = await runNode(['--require', REGISTER_CJS, '--import', REGISTER, '-e', program], { env: {} }).done;
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe('started true');
    expect(stderr).toBe('');
  });
});
