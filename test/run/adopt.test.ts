import { afterEach, describe, expect, it, vi } from 'vitest';
import { startMemscope, type Memscope } from '../../src/exporter/start-memscope.js';
import { adoptPreloaded } from '../../src/run/adopt.js';
import { WarnOnce } from '../../src/internal/warnings.js';

const started: Memscope[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const m of started.splice(0)) await m.shutdown();
});

describe('adoptPreloaded', () => {
  it('gives the program the preloaded profiler with its own serving options, and closes only its own server', async () => {
    const shared = await startMemscope({ server: false, shutdownSignals: [] });
    started.push(shared);
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const adopted = await adoptPreloaded(shared, { server: { port: 0, bearerToken: 'secret' }, sampleIntervalMs: 50, serviceName: 'x' }, new WarnOnce());
    expect(adopted.profiler).toBe(shared.profiler);
    expect(adopted.meterProvider).toBe(shared.meterProvider);
    // One warning naming what does not apply, and nothing about the serving options.
    expect(emit).toHaveBeenCalledTimes(1);
    expect(String(emit.mock.calls[0]?.[0])).toMatch(/option\(s\) sampleIntervalMs, serviceName do not apply/);
    const url = `${adopted.server!.url}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer secret' } })).status).toBe(200);
    await adopted.shutdown();
    await expect(fetch(url)).rejects.toThrow();
    // The preloaded profiler still runs.
    expect(shared.profiler.checkMemory().heapUsed).toBeGreaterThan(0);
  });
});
