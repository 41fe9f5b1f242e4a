import { afterEach, describe, expect, it } from 'vitest';
import { CLI, runNode, type ChildRun } from '../helpers/child.js';

let run: ChildRun | undefined;
afterEach(() => {
  if (run?.child.exitCode === null) run.child.kill('SIGKILL');
});

describe('memscope serve', () => {
  it('serves /metrics and /healthz and stops cleanly on SIGTERM', async () => {
    run = runNode([CLI, 'serve', '--port', '0']);
    const [, url] = await run.waitForLine(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^process_memory_usage_bytes \d+/m);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    run.child.kill('SIGTERM');
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/stopped/);
  });

  it('rejects a bad port with a usage error and exit code 2', async () => {
    const { code, stderr } = await runNode([CLI, 'serve', '--port', 'abc']).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/--port must be a port from 0 to 65535; got "abc"/);
  });

  it('reports a taken port with MEMSCOPE_E_LISTEN and exit code 8', async () => {
    run = runNode([CLI, 'serve', '--port', '0']);
    const [, , port] = await run.waitForLine(/listening on (http:\/\/127\.0\.0\.1:(\d+))/);
    const second = await runNode([CLI, 'serve', '--port', port!]).done;
    expect(second.code).toBe(8);
    expect(second.stderr).toMatch(/MEMSCOPE_E_LISTEN/);
  });

  it('prints help for every command', async () => {
    const { code, stdout } = await runNode([CLI, 'serve', '--help']).done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/--port <port>/);
  });
});
