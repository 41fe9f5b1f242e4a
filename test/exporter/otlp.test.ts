import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOtlpReader } from '../../src/exporter/otlp.js';
import { startMemscope, type Memscope } from '../../src/exporter/start-memscope.js';
import { MemscopeError } from '../../src/internal/errors.js';
import { fakeMemory, fakeSources } from '../helpers/fake-sources.js';
import { decodeJsonRequest, decodeProtobufRequest, type DecodedRequest } from '../helpers/otlp-decode.js';

interface Received { path: string; headers: IncomingHttpHeaders; body: Buffer }

/** A local OTLP/HTTP receiver: records each request and answers 200 with an empty response. */
async function receiver(): Promise<{ url: string; requests: Received[]; server: Server }> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const json = String(req.headers['content-type']).includes('json');
      res.writeHead(200, { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

let memscope: Memscope | undefined;
let server: Server | undefined;
afterEach(async () => {
  await memscope?.shutdown();
  await new Promise<void>((resolve) => {
    if (server === undefined) resolve();
    else server.close(() => { resolve(); });
  });
  memscope = server = undefined;
});

const MiB = 2 ** 20;

async function pushOnce(protocol: 'http/json' | 'http/protobuf'): Promise<{ request: DecodedRequest; received: Received; exposition: string }> {
  const r = await receiver();
  server = r.server;
  const m = fakeMemory({ rss: 123 * MiB, external: 7 * MiB, heapLimit: 4096 * MiB });
  memscope = await startMemscope({
    serviceName: 'bms-onboarding',
    sources: fakeSources(m),
    eventLoop: false,
    shutdownSignals: [],
    otlp: { url: `${r.url}/v1/metrics`, protocol, intervalMs: 3_600_000, headers: { 'x-tenant': 'acme' } },
  });
  memscope.profiler.phase('classify', () => undefined);
  const exposition = await memscope.reader.render();
  await memscope.meterProvider.forceFlush();
  const received = r.requests.at(-1)!;
  const request = protocol === 'http/json' ? decodeJsonRequest(received.body.toString()) : decodeProtobufRequest(received.body);
  return { request, received, exposition };
}

describe('OTLP push', () => {
  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`pushes the same metrics, units and values over ${protocol}`, async () => {
      const { request, received, exposition } = await pushOnce(protocol);
      expect(received.path).toBe('/v1/metrics');
      expect(received.headers['x-tenant']).toBe('acme');
      expect(received.headers['content-type']).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      expect(request.resource['service.name']).toBe('bms-onboarding');

      const byName = new Map(request.metrics.map((metric) => [metric.name, metric]));
      expect(byName.get('process.memory.usage')).toMatchObject({ unit: 'By', points: [{ value: 123 * MiB }] });
      expect(byName.get('memscope.memory.external')).toMatchObject({ unit: 'By', kind: 'gauge', points: [{ value: 7 * MiB }] });
      expect(byName.get('memscope.v8js.memory.heap.limit')).toMatchObject({ unit: 'By', points: [{ value: 4096 * MiB }] });
      const phase = byName.get('memscope.phase.duration')!;
      expect(phase).toMatchObject({ unit: 's', kind: 'histogram' });
      expect(phase.points[0]).toMatchObject({ attributes: { 'memscope.phase.name': 'classify' }, count: 1 });
      expect(byName.get('v8js.gc.duration')?.unit ?? 's').toBe('s');

      // Every metric on the wire is in the Prometheus exposition, under the translated name.
      expect(exposition).toMatch(/^process_memory_usage_bytes 128974848$/m);
      expect(exposition).toMatch(/^memscope_memory_external_bytes 7340032$/m);
      expect(exposition).toMatch(/^memscope_phase_duration_seconds_count\{memscope_phase_name="classify"\} 1$/m);
      for (const metric of request.metrics) {
        const base = metric.name.replace(/\./g, '_');
        expect(exposition, metric.name).toMatch(new RegExp(`^# TYPE ${base}\\w* `, 'm'));
      }
    });
  }

  it('takes the protocol, interval and timeout from the standard OTEL_* variables', async () => {
    await expect(createOtlpReader({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).rejects.toThrow(MemscopeError);
    await expect(createOtlpReader({}, { OTEL_METRIC_EXPORT_INTERVAL: 'soon' })).rejects.toThrow(/OTEL_METRIC_EXPORT_INTERVAL/);
    const reader = await createOtlpReader({}, { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json', OTEL_METRIC_EXPORT_INTERVAL: '5000', OTEL_METRIC_EXPORT_TIMEOUT: '1000' });
    expect((reader as unknown as { _exportInterval: number })._exportInterval).toBe(5000);
    await reader.shutdown();
  });

  it('shortens the default timeout to a short interval, and rejects a set timeout longer than the interval', async () => {
    const internals = (r: unknown) => r as { _exportInterval: number; _exportTimeout: number };
    const fromOption = await createOtlpReader({ intervalMs: 10_000 }, {});
    expect(internals(fromOption)._exportTimeout).toBe(10_000);
    await fromOption.shutdown();
    const fromEnv = await createOtlpReader({}, { OTEL_METRIC_EXPORT_INTERVAL: '5000' });
    expect(internals(fromEnv)._exportTimeout).toBe(5000);
    await fromEnv.shutdown();
    const long = await createOtlpReader({}, {});
    expect([internals(long)._exportInterval, internals(long)._exportTimeout]).toEqual([60_000, 30_000]);
    await long.shutdown();
    await expect(createOtlpReader({ intervalMs: 1000, timeoutMs: 2000 }, {})).rejects.toThrow(/otlp\.timeoutMs \(at most the export interval\) must be an integer from 100 to 1000; got 2000/);
    await expect(createOtlpReader({}, { OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_METRIC_EXPORT_TIMEOUT: '5000' })).rejects.toThrow(/OTEL_METRIC_EXPORT_TIMEOUT/);
  });

  it('rejects a bad profiler option from startMemscope with a clear error', async () => {
    await expect(startMemscope({ sampleIntervalMs: -5, otlp: { url: 'http://127.0.0.1:9/v1/metrics', protocol: 'http/json', intervalMs: 100 } })).rejects.toMatchObject({
      code: 'MEMSCOPE_E_INVALID_OPTION',
      message: expect.stringMatching(/sampleIntervalMs/) as unknown,
    });
  });

  it('flushes on shutdown', async () => {
    const r = await receiver();
    server = r.server;
    memscope = await startMemscope({ eventLoop: false, shutdownSignals: [], otlp: { url: `${r.url}/v1/metrics`, protocol: 'http/json', intervalMs: 3_600_000 } });
    expect(r.requests).toHaveLength(0);
    await memscope.shutdown();
    expect(r.requests.length).toBeGreaterThanOrEqual(1);
  });
});
