import { afterEach, describe, expect, it, vi } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { get } from 'node:http';
import { connect } from 'node:net';
import { Registry, Counter } from 'prom-client';
import { acceptsGzip, createMetricsHandler } from '../../src/exporter/metrics-handler.js';
import { startMetricsServer, type MetricsServer } from '../../src/exporter/metrics-server.js';
import { startMemscope, type Memscope } from '../../src/exporter/start-memscope.js';
import { captureWarnings } from '../helpers/fake-sources.js';

let memscope: Memscope | undefined;
let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  await memscope?.shutdown();
  server = memscope = undefined;
});

async function serve(options: Parameters<typeof createMetricsHandler>[1] = {}) {
  memscope = await startMemscope({ eventLoop: false, shutdownSignals: [] });
  server = await startMetricsServer(createMetricsHandler(memscope.reader, options), { port: 0 });
  return server.url;
}

describe('metrics handler', () => {
  it('serves the text format with the right content type', async () => {
    const url = await serve();
    const res = await fetch(`${url}/metrics`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await res.text();
    expect(body).toMatch(/^# HELP process_memory_usage_bytes /m);
    expect(body).toMatch(/^process_memory_usage_bytes \d+/m);
  });

  it('compresses with gzip when the scraper accepts it', async () => {
    const url = await serve();
    const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      get(`${url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => { resolve({ headers: res.headers, body: Buffer.concat(chunks) }); });
      }).on('error', reject);
    });
    expect(headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(body).toString();
    expect(text).toMatch(/v8js_memory_heap_used_bytes\{v8js_heap_space_name="old_space"\}/);
  });

  it('requires the bearer token when one is set', async () => {
    const url = await serve({ bearerToken: 's3cret' });
    const none = await fetch(`${url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong!' } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
  });

  it('answers 404 off its path, 405 for other methods', async () => {
    const url = await serve();
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${url}/metrics?x=1`)).status).toBe(200);
  });

  it('calls next() off its path when mounted as middleware', () => {
    let called = false;
    const handler = createMetricsHandler({ render: () => Promise.resolve('') });
    handler({ url: '/api/jobs', method: 'GET', headers: {} } as never, {} as never, () => {
      called = true;
    });
    expect(called).toBe(true);
  });

  it('answers 503 cleanly once memscope is shut down', async () => {
    const url = await serve();
    await memscope!.shutdown();
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/stopped/);
  });

  it('answers 500 with the reason when rendering fails, and keeps serving', async () => {
    let fail = true;
    server = await startMetricsServer(
      createMetricsHandler({ render: () => (fail ? Promise.reject(new Error('collect exploded')) : Promise.resolve('up 1\n')) }),
      { port: 0 },
    );
    const bad = await fetch(`${server.url}/metrics`);
    expect(bad.status).toBe(500);
    expect(await bad.text()).toMatch(/collect exploded/);
    fail = false;
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it('serves an existing prom-client registry from the same endpoint, dropping clashing families', async () => {
    const registry = new Registry();
    new Counter({ name: 'bms_jobs_total', help: 'Jobs.', registers: [registry] }).inc(3);
    new Counter({ name: 'memscope_sampler_samples_total', help: 'A clash.', registers: [registry] }).inc();
    let url = '';
    const warnings = await captureWarnings(async () => {
      url = await serve({ registries: [registry] });
      await fetch(`${url}/metrics`);
    });
    const body = await (await fetch(`${url}/metrics`)).text();
    expect(body).toMatch(/^bms_jobs_total 3$/m);
    expect(body.match(/^# TYPE memscope_sampler_samples_total /gm)).toHaveLength(1);
    expect(body).not.toMatch(/A clash\./);
    expect(warnings.some((w) => w.code === 'MEMSCOPE_W_DUPLICATE_METRIC')).toBe(true);
  });

  it('still serves memscope when another registry fails or hangs, warning once', async () => {
    const hostile = {
      metrics: () => {
        // A thrown value whose toString() throws too: the warning must still be written.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { toString: () => { throw new Error('nested'); } };
      },
    };
    const hanging = { metrics: () => new Promise<string>(() => undefined) };
    const healthy = { metrics: () => 'bms_up 1\n' };
    let bodies: string[] = [];
    const warnings = await captureWarnings(async () => {
      const url = await serve({ registries: [hostile, hanging, healthy], registryTimeoutMs: 200 });
      const responses = await Promise.all([fetch(`${url}/metrics`), fetch(`${url}/metrics`)]);
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      bodies = await Promise.all(responses.map((r) => r.text()));
    });
    for (const body of bodies) {
      expect(body).toMatch(/^process_memory_usage_bytes \d+/m);
      expect(body).toMatch(/^bms_up 1$/m);
    }
    const registryWarnings = warnings.filter((w) => w.code === 'MEMSCOPE_W_REGISTRY').map((w) => w.message);
    expect(registryWarnings).toHaveLength(2);
    expect(registryWarnings.join('\n')).toMatch(/registry #1 could not be rendered \(\[object Object\]\)/);
    expect(registryWarnings.join('\n')).toMatch(/registry #2 could not be rendered \(no answer within 200 ms\)/);
  });

  it('takes the registry timeout from startMemscope({ collectTimeoutMs })', async () => {
    memscope = await startMemscope({ eventLoop: false, shutdownSignals: [], collectTimeoutMs: 150, registries: [{ metrics: () => new Promise<string>(() => undefined) }] });
    server = await startMetricsServer(memscope.metricsHandler, { port: 0 });
    const t0 = performance.now();
    const warnings = await captureWarnings(async () => {
      expect((await fetch(`${server!.url}/metrics`)).status).toBe(200);
    });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/no answer within 150 ms/);
    expect(() => createMetricsHandler(memscope!.reader, { registryTimeoutMs: 0 })).toThrow(/registryTimeoutMs must be an integer from 1/);
  });

  it('answers HEAD without collecting', async () => {
    let renders = 0;
    server = await startMetricsServer(createMetricsHandler({ render: () => { renders++; return Promise.resolve('up 1\n'); } }), { port: 0 });
    const head = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(renders).toBe(0);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    expect(renders).toBe(1);
  });

  it('honours q=0 in Accept-Encoding and says the body varies with it', async () => {
    const url = await serve({ gzipMinBytes: 0 });
    const refused = await fetch(`${url}/metrics`, { headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
    expect(refused.headers.get('vary')).toBe('Accept-Encoding');
    expect(await refused.text()).toMatch(/^# HELP /m);
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip; q=0.000')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('*, gzip;q=0')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip('nogzip')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it('takes the bearer scheme in any case and rejects tokens of any length that differ', async () => {
    const url = await serve({ bearerToken: 's3cret' });
    const status = async (authorization: string) => (await fetch(`${url}/metrics`, { headers: { authorization } })).status;
    expect(await status('bearer s3cret')).toBe(200);
    expect(await status('BEARER s3cret')).toBe(200);
    expect(await status('Bearer s3cret-and-more')).toBe(401);
    expect(await status('Bearer s3')).toBe(401);
    expect(await status('Basic s3cret')).toBe(401);
    expect(await status('s3cret')).toBe(401);
  });
});

describe('metrics handler under concurrent scrapes', () => {
  /** A source whose every render takes one more number, and whose renders can be held open. */
  function countingSource() {
    let renders = 0;
    let gate: Promise<void> = Promise.resolve();
    return {
      get renders() { return renders; },
      hold(): () => void {
        let release!: () => void;
        gate = new Promise<void>((resolve) => { release = resolve; });
        return release;
      },
      source: { render: async () => { const n = ++renders; await gate; return `# TYPE renders counter\nrenders_total ${n}\n`; } },
    };
  }

  it('serves the scrapes that wait during a render from one next render, however many they are', async () => {
    for (const scrapers of [50, 100]) {
      const counting = countingSource();
      let arrived = 0;
      const handler = createMetricsHandler(counting.source);
      server = await startMetricsServer((req, res) => { arrived++; handler(req, res); }, { port: 0 });
      const url = `${server.url}/metrics`;
      const release = counting.hold();
      const first = fetch(url).then((r) => r.text());
      await vi.waitFor(() => { expect(counting.renders).toBe(1); });
      const rest = Array.from({ length: scrapers }, () => fetch(url).then((r) => r.text()));
      await vi.waitFor(() => { expect(arrived).toBe(scrapers + 1); }, { timeout: 10_000 });
      release();
      const bodies = [await first, ...(await Promise.all(rest))];
      expect(bodies.every((b) => /^renders_total \d+$/m.test(b))).toBe(true);
      // Twice the scrapers, not twice the renders: all that waited share render 2.
      expect(counting.renders).toBe(2);
      expect(new Set(bodies.slice(1))).toEqual(new Set(['# TYPE renders counter\nrenders_total 2\n']));
      await server.close();
      server = undefined;
    }
  });

  it('never serves a render that started before the scrape arrived', async () => {
    const counting = countingSource();
    server = await startMetricsServer(createMetricsHandler(counting.source), { port: 0 });
    const url = `${server.url}/metrics`;
    const release = counting.hold();
    const first = fetch(url).then((r) => r.text());
    await vi.waitFor(() => { expect(counting.renders).toBe(1); });
    const second = fetch(url).then((r) => r.text()); // arrives while render 1 runs
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counting.renders).toBe(1); // at most one render at a time
    release();
    expect(await first).toMatch(/renders_total 1$/m);
    expect(await second).toMatch(/renders_total 2$/m);
    expect(await fetch(url).then((r) => r.text())).toMatch(/renders_total 3$/m);
  });

  it('does not render for scrapers that hung up while they waited', async () => {
    const counting = countingSource();
    let arrived = 0;
    const handler = createMetricsHandler(counting.source);
    server = await startMetricsServer((req, res) => { arrived++; handler(req, res); }, { port: 0 });
    const release = counting.hold();
    const first = fetch(`${server.url}/metrics`).then((r) => r.text());
    await vi.waitFor(() => { expect(counting.renders).toBe(1); });
    const port = server.port;
    await Promise.all(Array.from({ length: 10 }, () => new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      socket.on('error', () => undefined);
      socket.on('close', () => { resolve(); });
      setTimeout(() => socket.destroy(), 20);
    })));
    await vi.waitFor(() => { expect(arrived).toBe(11); });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server sees the sockets close
    release();
    expect(await first).toMatch(/renders_total 1$/m);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counting.renders).toBe(1);
    expect(await fetch(`${server.url}/metrics`).then((r) => r.text())).toMatch(/renders_total 2$/m);
  });

  it('answers every scrape of a failed batch with 500, and renders again for the next', async () => {
    let fail = true;
    const handler = createMetricsHandler({ render: () => (fail ? Promise.reject(new Error('collect exploded')) : Promise.resolve('up 1\n')) });
    server = await startMetricsServer(handler, { port: 0 });
    const url = `${server.url}/metrics`;
    const statuses = await Promise.all(Array.from({ length: 10 }, () => fetch(url).then((r) => r.status)));
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 500));
    fail = false;
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('metrics server', () => {
  it('binds 127.0.0.1 unless told otherwise', async () => {
    server = await startMetricsServer(createMetricsHandler({ render: () => Promise.resolve('') }), { port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fails with MEMSCOPE_E_LISTEN when the port is taken', async () => {
    server = await startMetricsServer(createMetricsHandler({ render: () => Promise.resolve('') }), { port: 0 });
    await expect(startMetricsServer(createMetricsHandler({ render: () => Promise.resolve('') }), { port: server.port })).rejects.toMatchObject({
      code: 'MEMSCOPE_E_LISTEN',
    });
  });

  it('lets an in-flight scrape finish when closing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = await startMetricsServer(createMetricsHandler({ render: async () => { await gate; return 'up 1\n'; } }), { port: 0 });
    const pending = fetch(`${server.url}/metrics`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = server.close();
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('up 1\n');
    const t0 = Date.now();
    await closing;
    expect(Date.now() - t0).toBeLessThan(2000); // the idle keep-alive socket is reaped, not waited out
  });
});
