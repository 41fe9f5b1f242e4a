import { describe, expect, it } from 'vitest';
import { runNode, ROOT } from '../helpers/child.js';

const program = (name: string): string => `${ROOT}test/fixtures/programs/${name}`;

describe('GC accuracy', () => {
  it('exports one GC count per collection with the event loop blocked in 25 ms chunks', async () => {
    const run = runNode([program('gc-accuracy.mjs'), '60']);
    const { code, stdout, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    const counts = JSON.parse(stdout.trim().split('\n').at(-1)!) as { independent: number; exported: number; promClient: number; maxPerCallback: number };
    console.log('GC counts:', counts);
    expect(counts.maxPerCallback).toBeGreaterThan(1); // the case prom-client gets wrong really happened
    expect(counts.independent).toBeGreaterThan(50);
    expect(counts.exported).toBe(counts.independent);
  });
});

describe('forceGc', () => {
  it('runs a full GC without --expose-gc and leaves gc unexposed', async () => {
    const { code, stdout, stderr } = await runNode([program('force-gc.mjs')]).done;
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { exposedBefore: string; ran: boolean; majors: number; exposedAfter: string };
    expect(result).toMatchObject({ exposedBefore: 'undefined', ran: true, exposedAfter: 'undefined' });
    expect(result.majors).toBeGreaterThanOrEqual(1);
  });
});

describe('stop()', () => {
  it('leaves nothing that keeps the process alive', async () => {
    const t0 = Date.now();
    const { code, stdout, stderr } = await runNode([program('stop-leaves-nothing.mjs'), 'stopped']).done;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('done');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('never holds a process open even while the profiler still runs', async () => {
    const { code, stdout, stderr } = await runNode([program('stop-leaves-nothing.mjs'), 'running-without-server']).done;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('done');
  });

  it('never holds a process open with its standalone metrics server listening', async () => {
    const { code, stdout, stderr } = await runNode([program('stop-leaves-nothing.mjs'), 'running-with-server']).done;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('done');
  });
});

describe('SIGTERM', () => {
  it('drains the standalone server, flushes OTLP and lets the process exit', async () => {
    const { createServer } = await import('node:http');
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    try {
      const run = runNode([program('sigterm-flush.mjs'), `http://127.0.0.1:${port}/v1/metrics`]);
      const [, url] = await run.waitForLine(/ready (http:\/\/\S+)/);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      expect(bodies).toHaveLength(0); // nothing pushed yet: the interval is an hour
      run.child.kill('SIGTERM');
      const { signal, code } = await run.done;
      expect(signal ?? code).toBe('SIGTERM'); // the default action, re-raised after memscope's shutdown
      expect(bodies.length).toBeGreaterThanOrEqual(1);
      expect(bodies.join('')).toContain('"memscope.phase.duration"');
      expect(bodies.join('')).toContain('before_sigterm');
    } finally {
      receiver.close();
    }
  });
});
