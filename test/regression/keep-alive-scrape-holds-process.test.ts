import { describe, expect, it } from 'vitest';
import { ROOT, runNode } from '../helpers/child.js';

// A scraper's idle keep-alive connection (Prometheus keeps one per target; fetch() does too) kept the metrics
// server's socket referenced: a program served by memscope/register did not exit for 65 s after its work ended.
describe('metrics server and keep-alive scrapers', () => {
  it('lets the program exit while a scraper still holds an idle keep-alive connection', async () => {
    const run = runNode(['--import', `${ROOT}dist/register.js`, '-e', 'setTimeout(() => console.log("done"), 1500); console.log("ready")'], {
      env: { MEMSCOPE_METRICS_PORT: '0', MEMSCOPE_REPORT_DIR: '' },
    });
    await run.waitForLine(/ready/);
    // Port 0: the program does not print the port it got; /proc tells.
    const port = await listeningPort(run.child.pid!);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'keep-alive' } });
    expect(response.status).toBe(200);
    await response.text();
    const t0 = Date.now();
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(stdout).toContain('done');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

/** The TCP port a process listens on, from /proc/net/tcp and the process's socket inodes (Linux). */
async function listeningPort(pid: number): Promise<number> {
  const { readdirSync, readlinkSync, readFileSync } = await import('node:fs');
  for (let attempt = 0; attempt < 50; attempt++) {
    const inodes = new Set(readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        return m ? [m[1]] : [];
      } catch {
        return [];
      }
    }));
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // state 0A: LISTEN
      if (f[3] === '0A' && f[9] !== undefined && inodes.has(f[9])) return parseInt(f[1]!.split(':')[1]!, 16);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pid ${pid} listens on no TCP port`);
}
