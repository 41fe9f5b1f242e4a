import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { createMetricsHandler } from '../../src/exporter/metrics-handler.js';
import { HANDLER_OPTION_KEYS } from '../../src/exporter/handler-options.js';
import { SERVER_OPTION_KEYS, startMetricsServer } from '../../src/exporter/metrics-server.js';
import { PrometheusReader } from '../../src/exporter/prometheus-reader.js';
import { OTLP_OPTION_KEYS, resolveOtlpOptions } from '../../src/exporter/otlp.js';
import { memscopeViews } from '../../src/exporter/views.js';
import { MEMSCOPE_OPTION_KEYS } from '../../src/exporter/memscope-options.js';
import { startMemscope } from '../../src/exporter/start-memscope.js';
import { expectContract, intAround, optionsArbitrary, validOptionsArbitrary, type KeySpec } from '../helpers/option-cases.js';

// The public options objects of the exporter, over generated cases: each is accepted or refused with
// MEMSCOPE_E_INVALID_OPTION at construction (never another error, never later at a scrape), every unknown key is
// refused, and nothing is left running either way.

const source = { render: () => Promise.resolve('up 1\n') };
const token = fc.stringMatching(/^[\x21-\x7e]{1,64}$/);
const path = fc.stringMatching(/^\/[a-z0-9/_.-]{0,30}$/);

const HANDLER: Record<string, KeySpec> = {
  path: { valid: path, invalid: fc.constantFrom('metrics', '/a b', '/m?x', '/m#f', '', '/\n') },
  bearerToken: { valid: token, invalid: fc.constantFrom(null, '', ' ', 123, 'a b', 'tök') },
  registries: { valid: fc.array(fc.constantFrom(source, { metrics: () => 'x 1\n' }), { maxLength: 3 }), invalid: fc.constantFrom([{}], {}, [null], 'r') },
  gzipMinBytes: intAround(0, Number.MAX_SAFE_INTEGER),
  registryTimeoutMs: intAround(1, 600_000),
};

const SERVER: Record<string, KeySpec> = {
  port: { valid: fc.constant(0), invalid: fc.constantFrom(-1, 65_536, 1.5, '0', null) },
  host: { valid: fc.constantFrom('127.0.0.1', 'localhost'), invalid: fc.constantFrom('', ' ', 'a b', 7) },
  drainTimeoutMs: intAround(0, 600_000),
};

const READER: Record<string, KeySpec> = {
  targetInfo: { valid: fc.boolean() },
  collectTimeoutMs: intAround(1, 600_000),
};

const OTLP: Record<string, KeySpec> = {
  // Port 9 (discard) is closed here: an export fails at once instead of waiting.
  url: { valid: fc.constantFrom('http://127.0.0.1:9/v1/metrics', 'https://collector.example/v1/metrics'), invalid: fc.constantFrom('collector:4318', 'ftp://x', '', 42) },
  protocol: { valid: fc.constantFrom('http/protobuf', 'http/json'), invalid: fc.constantFrom('grpc', 'http', '') },
  headers: { valid: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.stringMatching(/^[ -~]{0,30}$/), { maxKeys: 3 }), invalid: fc.constantFrom({ 'bad name': 'v' }, { x: 1 }, { x: 'a\nb' }, []) },
  intervalMs: { valid: fc.integer({ min: 60_000, max: 86_400_000 }), invalid: fc.constantFrom(99, 86_400_001, 1.5) },
  timeoutMs: { valid: fc.integer({ min: 100, max: 60_000 }), invalid: fc.constantFrom(99, 0, -1) },
};

/** startMemscope's own options; the profiler's are covered by test/sdk/profiler-options.test.ts. */
const MEMSCOPE: Record<string, KeySpec> = {
  serviceName: { valid: fc.string({ minLength: 1, maxLength: 40 }), invalid: fc.constantFrom('', 5, null) },
  resourceAttributes: { valid: fc.constantFrom({}, { 'deployment.environment': 'test' }), invalid: fc.constantFrom(null, 'x', []) },
  server: {
    // The token is given at the top level in these cases: two different tokens are refused (tested elsewhere).
    valid: fc.oneof(fc.constant(false), fc.record({ port: fc.constant(0), host: fc.constant('127.0.0.1'), path, drainTimeoutMs: fc.constant(100) }, { requiredKeys: ['port'] })),
    invalid: fc.constantFrom(true, { prot: 0 }, { port: 0, hots: 'x' }, { port: 0, bearerToken: '' }, { port: 0, path: 'metrics' }, 'on'),
  },
  bearerToken: HANDLER.bearerToken!,
  registries: HANDLER.registries!,
  collectTimeoutMs: intAround(1, 600_000),
  otlp: { valid: fc.constant(false), invalid: fc.constantFrom({ intervalMS: 1000 }, { protocol: 'grpc' }, { url: 'nope' }, 'yes') },
  shutdownSignals: { valid: fc.constantFrom([], ['SIGTERM'], ['SIGUSR2', 'SIGHUP']), invalid: fc.constantFrom(['SIGKILL'], ['NOPE'], 'SIGTERM', [1]) },
  // A few profiler keys, and keys that belong one level down.
  sampleIntervalMs: intAround(10, 3_600_000),
  eventLoop: { valid: fc.constant(false) },
};

const fds = (): number => readdirSync('/proc/self/fd').length;
const before = fds();
afterAll(() => {
  expect(fds()).toBe(before);
});

describe('exporter options (property)', () => {
  it('createMetricsHandler validates every option at construction', async () => {
    await fc.assert(fc.asyncProperty(optionsArbitrary(HANDLER), async (o) => { await expectContract(o, HANDLER_OPTION_KEYS, () => createMetricsHandler(source, o)); }), { numRuns: 1500 });
    fc.assert(fc.property(validOptionsArbitrary(HANDLER), (o) => { createMetricsHandler(source, o); }), { numRuns: 300 });
  });

  it('startMetricsServer validates its options before listening, and closes what it opened', async () => {
    const handler = createMetricsHandler(source);
    await fc.assert(
      fc.asyncProperty(optionsArbitrary(SERVER), async (o) => {
        const server = await expectContract(o, SERVER_OPTION_KEYS, () => startMetricsServer(handler, { ...o, port: o.port ?? 0 } as never), ['MEMSCOPE_E_INVALID_OPTION', 'MEMSCOPE_E_LISTEN']);
        await server?.close();
      }),
      { numRuns: 300 },
    );
  });

  it('PrometheusReader, memscopeViews and the OTLP options validate at construction', async () => {
    await fc.assert(fc.asyncProperty(optionsArbitrary(READER), async (o) => { await expectContract(o, ['targetInfo', 'collectTimeoutMs'], () => new PrometheusReader(o)); }), { numRuns: 800 });
    await fc.assert(fc.asyncProperty(optionsArbitrary({ maxPhaseNames: intAround(1, 10_000) }), async (o) => { await expectContract(o, ['maxPhaseNames'], () => memscopeViews(o)); }), { numRuns: 500 });
    await fc.assert(fc.asyncProperty(optionsArbitrary(OTLP), async (o) => { await expectContract(o, OTLP_OPTION_KEYS, () => resolveOtlpOptions(o, {})); }), { numRuns: 1500 });
    fc.assert(fc.property(validOptionsArbitrary(OTLP), (o) => { resolveOtlpOptions(o, {}); }), { numRuns: 300 });
  });

  it('startMemscope validates everything before it starts anything', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArbitrary(MEMSCOPE), async (o) => {
        const memscope = await expectContract(o, MEMSCOPE_OPTION_KEYS, () => startMemscope({ eventLoop: false, gc: false, shutdownSignals: [], ...o }), ['MEMSCOPE_E_INVALID_OPTION', 'MEMSCOPE_E_LISTEN']);
        await memscope?.shutdown();
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(validOptionsArbitrary(MEMSCOPE), async (o) => {
        const memscope = await startMemscope({ eventLoop: false, gc: false, shutdownSignals: [], ...o });
        expect(memscope.profiler.running).toBe(true);
        await memscope.shutdown();
      }),
      { numRuns: 25 },
    );
  });
});
