import { describe, expect, it } from 'vitest';
import type { RunProcessReport } from '../../src/report/report-model.js';
import { chooseVerdictProcess } from '../../src/run/choose-process.js';

function report(pid: number, cpuSec: number, wrapper: string | null, runMs = 10_000, startedAt = 1000): RunProcessReport {
  return {
    process: { pid, ppid: 1, argv: [], execArgv: [], commandLine: `cmd ${pid}`, wrapper, cwd: '/', startedAt, endedAt: startedAt + runMs, cpuUserSec: cpuSec, cpuSystemSec: 0, exitCode: 0, signal: null, metricsUrl: null },
  } as unknown as RunProcessReport;
}

describe('chooseVerdictProcess', () => {
  it('is about the only process when there is one', () => {
    const only = report(1, 0.1, null);
    expect(chooseVerdictProcess([only])).toEqual({ report: only, reason: 'the only Node.js process' });
  });

  it('is never about a wrapper while another process reported, however busy the wrapper was', () => {
    const npm = report(10, 5, 'npm');
    const server = report(11, 0.2, null);
    const choice = chooseVerdictProcess([npm, server]);
    expect(choice?.report).toBe(server);
    expect(choice?.reason).toBe('the only process that is not a wrapper (npm)');
  });

  it('is about the process that used the most CPU time among the others', () => {
    const primary = report(20, 0.3, null, 60_000);
    const worker = report(21, 4.2, null, 50_000);
    const idle = report(22, 0.1, null, 55_000);
    const choice = chooseVerdictProcess([report(19, 0.5, 'npx'), primary, worker, idle]);
    expect(choice?.report).toBe(worker);
    expect(choice?.reason).toBe('most CPU time (4.20 s) of the 3 processes that are not wrappers (npx)');
  });

  it('breaks a tie by run time, then by start', () => {
    const short = report(30, 1, null, 1000);
    const long = report(31, 1, null, 9000);
    expect(chooseVerdictProcess([short, long])?.report).toBe(long);
    const first = report(32, 1, null, 1000, 5);
    const second = report(33, 1, null, 1000, 6);
    expect(chooseVerdictProcess([second, first])?.report).toBe(first);
  });

  it('falls back to the busiest wrapper when every process is one, and to nothing without reports', () => {
    const a = report(40, 0.1, 'npm');
    const b = report(41, 0.3, 'npx');
    expect(chooseVerdictProcess([a, b])).toMatchObject({ report: b, reason: 'every process is a wrapper (npm, npx): most CPU time (0.30 s)' });
    expect(chooseVerdictProcess([])).toBeUndefined();
  });
});
