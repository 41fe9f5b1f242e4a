import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { startMemscope, type Memscope, type MemscopeOptions } from '../../src/exporter/start-memscope.js';
import { createMetricsHandler, type ExpositionSource, type MetricsHandlerOptions } from '../../src/exporter/metrics-handler.js';
import { startMetricsServer } from '../../src/exporter/metrics-server.js';
import { PrometheusReader } from '../../src/exporter/prometheus-reader.js';
import { createOtlpReader } from '../../src/exporter/otlp.js';
import { memscopeViews } from '../../src/exporter/views.js';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { readContainerMemoryLimit } from '../../src/sdk/probes/container-memory.js';
import { expectMemory, expectNoLeak } from '../../src/testing/expect-memory.js';
import { measureMemory } from '../../src/testing/measure-memory.js';
import { measureGrowth } from '../../src/testing/growth.js';
import { MemscopeError } from '../../src/internal/errors.js';

// Issue [6/11] item 9: unknown and mistyped options were silently ignored. startMemscope({ port }) started no server
// and said nothing; expectMemory(fn, { peakBellow }) passed while asserting nothing; bearerToken null turned auth off,
// '' and ' ' locked everyone out, 123 failed with a Node type error; createMetricsHandler's options failed only at
// the first scrape. Every options object of the public API now rejects unknown keys naming the closest valid one.

let memscope: Memscope | undefined;
afterEach(async () => {
  await memscope?.shutdown();
  memscope = undefined;
});

/** The MemscopeError `fn` throws (synchronously or by rejecting). */
async function invalid(fn: () => unknown): Promise<MemscopeError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MemscopeError);
    expect((error as MemscopeError).code).toBe('MEMSCOPE_E_INVALID_OPTION');
    return error as MemscopeError;
  }
  throw new Error('expected MEMSCOPE_E_INVALID_OPTION, but nothing was thrown');
}

const source: ExpositionSource = { render: () => Promise.resolve('up 1\n') };

describe('unknown options', () => {
  it('startMemscope({ port }) points to server.port instead of starting no server', async () => {
    const error = await invalid(() => startMemscope({ port: 41003, shutdownSignals: [] } as MemscopeOptions));
    expect(error.message).toBe('unknown option "port"; did you mean "server.port"?');
  });

  it('expectMemory(fn, { peakBellow }) fails instead of passing while asserting nothing', async () => {
    const error = await invalid(() => expectMemory(() => undefined, { peakBellow: '50 MB' } as never));
    expect(error.message).toBe('unknown option "peakBellow"; did you mean "peakBelow"?');
  });

  it('expectMemory without any limit is refused: it could never fail', async () => {
    expect((await invalid(() => expectMemory(() => undefined, {}))).message).toMatch(/needs a limit/);
  });

  it('names nested keys by their full path, and typos in nested objects', async () => {
    expect((await invalid(() => startMemscope({ server: { prot: 0 } } as MemscopeOptions))).message).toBe('unknown option "server.prot"; did you mean "server.port"?');
    expect((await invalid(() => startMemscope({ otlp: { intervalMS: 1000 } } as MemscopeOptions))).message).toBe('unknown option "otlp.intervalMS"; did you mean "otlp.intervalMs"?');
    expect((await invalid(() => startMemscope({ intervalMs: 1000 } as MemscopeOptions))).message).toBe('unknown option "intervalMs"; did you mean "otlp.intervalMs"?');
    expect((await invalid(() => new MemoryProfiler({ recentCapacity: 10 } as never))).message).toBe('unknown option "recentCapacity"; did you mean "timeline.recentCapacity"?');
    expect((await invalid(() => new MemoryProfiler({ timeline: { recentCapcity: 10 } } as never))).message).toBe('unknown option "timeline.recentCapcity"; did you mean "timeline.recentCapacity"?');
    expect((await invalid(() => new MemoryProfiler({ windowMs: 1000 } as never))).message).toBe('unknown option "windowMs"; did you mean "leak.windowMs"?');
    expect((await invalid(() => new MemoryProfiler({ sample_interval_ms: 100 } as never))).message).toBe('unknown option "sample_interval_ms"; did you mean "sampleIntervalMs"?');
  });

  it('rejects an unknown key in every public options object', async () => {
    const cases: Array<[string, () => unknown]> = [
      ['MemoryProfiler', () => new MemoryProfiler({ sampleIntervalMz: 100 } as never)],
      ['startMemscope', () => startMemscope({ serviceNam: 'x' } as never)],
      ['createMetricsHandler', () => createMetricsHandler(source, { pth: '/m' } as never)],
      ['startMetricsServer', () => startMetricsServer(createMetricsHandler(source), { prot: 0 } as never)],
      ['PrometheusReader', () => new PrometheusReader({ targetinfo: false } as never)],
      ['createOtlpReader', () => createOtlpReader({ urll: 'http://localhost:4318' } as never)],
      ['memscopeViews', () => memscopeViews({ maxPhaseName: 5 } as never)],
      ['expectMemory', () => expectMemory(() => undefined, { retainedBellow: '1 MB' } as never)],
      ['expectNoLeak', () => expectNoLeak(() => undefined, { iteration: 5 } as never)],
      ['measureMemory', () => measureMemory(() => undefined, { sampleInterval: 5 } as never)],
      ['measureGrowth', () => measureGrowth(() => undefined, { iterations: 5, warmup: 0, extra: 1 } as never)],
      ['readContainerMemoryLimit', () => readContainerMemoryLimit({ procroot: '/proc' } as never)],
    ];
    for (const [name, make] of cases) {
      const error = await invalid(make);
      expect(error.message, name).toMatch(/^unknown option "/);
    }
  });

  it('leaves nothing running when startMemscope rejects an option', async () => {
    const handles = (): number => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const before = { handles: handles(), fds: fds() };
    await invalid(() => startMemscope({ otlp: { intervalMs: 1000 }, server: { port: 0, hots: 'x' } } as MemscopeOptions));
    await invalid(() => startMemscope({ otlp: { intervalMs: 1000 }, registries: [{}] }));
    expect({ handles: handles(), fds: fds() }).toEqual(before);
  });
});

describe('bearerToken', () => {
  const options = (bearerToken: unknown): MetricsHandlerOptions => ({ bearerToken } as MetricsHandlerOptions);

  it.each([
    ['null (would turn auth off)', null],
    ["'' (would lock every scraper out)", ''],
    ["' ' (would lock every scraper out)", ' '],
    ['123 (would fail with a Node type error)', 123],
    ['a token with a space', 'two words'],
    ['a token with a control character', 'tok\nen'],
  ])('rejects %s at construction', async (_label, token) => {
    const error = await invalid(() => createMetricsHandler(source, options(token)));
    expect(error.message).toMatch(/^bearerToken must be a token/);
    await invalid(() => startMemscope({ bearerToken: token, shutdownSignals: [] } as MemscopeOptions));
    await invalid(() => startMemscope({ server: { port: 0, bearerToken: token }, shutdownSignals: [] } as MemscopeOptions));
  });

  it('refuses two different tokens rather than silently using one', async () => {
    const error = await invalid(() => startMemscope({ bearerToken: 'a', server: { port: 0, bearerToken: 'b' }, shutdownSignals: [] }));
    expect(error.message).toMatch(/two different tokens/);
  });

  it('still serves with auth when the token is given on the server', async () => {
    memscope = await startMemscope({ eventLoop: false, shutdownSignals: [], server: { port: 0, bearerToken: 's3cret' } });
    const url = `${memscope.server!.url}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
  });
});

describe('createMetricsHandler validates every option at construction', () => {
  it.each<[string, unknown, RegExp]>([
    ['path without a leading slash', { path: 'metrics' }, /^path must be a path starting with '\/'/],
    ['path with a query', { path: '/metrics?x=1' }, /^path must be/],
    ['path that is not a string', { path: 42 }, /^path must be/],
    ['registries that is not an array', { registries: {} }, /^registries must be an array/],
    ['a registry without render() or metrics()', { registries: [{ render: 'no' }] }, /^registries\[0\] must be a metrics source/],
    ['negative gzipMinBytes', { gzipMinBytes: -1 }, /^gzipMinBytes must be an integer from 0/],
    ['gzipMinBytes as a string', { gzipMinBytes: '1024' }, /^gzipMinBytes must be an integer/],
    ['registryTimeoutMs of 0', { registryTimeoutMs: 0 }, /^registryTimeoutMs must be an integer from 1/],
    ['options that are not an object', 'fast', /^options must be an object/],
  ])('rejects %s', async (_label, options, message) => {
    const error = await invalid(() => createMetricsHandler(source, options as MetricsHandlerOptions));
    expect(error.message).toMatch(message);
  });

  it('rejects a source that cannot render, instead of answering 500 at every scrape', async () => {
    const error = await invalid(() => createMetricsHandler({}));
    expect(error.message).toMatch(/^source must be a metrics source/);
  });
});

describe('server options', () => {
  it.each<[string, unknown, RegExp]>([
    ['a port above 65535', { port: 70_000 }, /^port must be an integer from 0 to 65535/],
    ['a fractional port', { port: 80.5 }, /^port must be an integer/],
    ["an empty host (Node would bind every interface)", { host: '' }, /^host must be a host name/],
    ['a negative drain timeout', { drainTimeoutMs: -5 }, /^drainTimeoutMs must be/],
  ])('rejects %s', async (_label, options, message) => {
    const error = await invalid(() => startMetricsServer(createMetricsHandler(source), options as never));
    expect(error.message).toMatch(message);
  });

  it('names the nested path from startMemscope', async () => {
    const error = await invalid(() => startMemscope({ server: { port: -1 }, shutdownSignals: [] }));
    expect(error.message).toMatch(/^server\.port must be an integer from 0 to 65535/);
  });

  it('rejects signals a process cannot handle', async () => {
    await invalid(() => startMemscope({ shutdownSignals: ['SIGKILL'] }));
    await invalid(() => startMemscope({ shutdownSignals: ['SIGNOPE' as NodeJS.Signals] }));
  });

  it('rejects meter: startMemscope owns its MeterProvider', async () => {
    const error = await invalid(() => startMemscope({ meter: {} } as never));
    expect(error.message).toMatch(/new MemoryProfiler\(\{ meter \}\)/);
  });
});
