import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { TracerProvider } from '@opentelemetry/api';
import { MemoryProfiler } from '../../../src/sdk/memory-profiler.js';
import { captureWarnings } from '../../helpers/fake-sources.js';

// What a host can hand the SDK at run time, from JavaScript or a misbehaving library: none of it may throw into the
// host, and the host's own function, value and error must pass through untouched.
let profiler: MemoryProfiler | undefined;
afterEach(() => profiler?.stop());

function start(options: ConstructorParameters<typeof MemoryProfiler>[0] = {}): MemoryProfiler {
  profiler = new MemoryProfiler({ sampleIntervalMs: 3_600_000, eventLoop: false, gc: false, ...options }).start();
  return profiler;
}

const throwingTracerProvider = {
  getTracer: () => ({
    startSpan: () => {
      throw new Error('tracer exploded');
    },
    startActiveSpan: () => {
      throw new Error('tracer exploded');
    },
  }),
} as unknown as TracerProvider;

describe('phases under hostile input', () => {
  it('records names that cannot become strings as "invalid", with a warning', async () => {
    const p = start();
    const unprintable = [Object.create(null) as unknown, { toString: () => { throw new Error('no'); } }];
    const warnings = await captureWarnings(() => {
      for (const name of unprintable) {
        expect(p.phase(name as string, () => 'value')).toBe('value');
        p.markPhaseStart(name as string);
        p.markPhaseEnd(name as string);
      }
    });
    expect(p.getPhaseStats()).toEqual([expect.objectContaining({ name: 'invalid', count: 4, active: 0 })]);
    expect(warnings.filter((w) => w.code === 'MEMSCOPE_W_PHASE').map((w) => w.message)).toEqual([
      expect.stringMatching(/could not be converted to a string/),
    ]);
  });

  it('runs fn and passes its value and errors through when the tracer provider throws', async () => {
    const p = start({ tracerProvider: throwingTracerProvider });
    let result: unknown;
    const warnings = await captureWarnings(async () => {
      result = p.phase('sync', () => 42);
      await expect(p.phase('async', () => Promise.reject(new Error('host error')))).rejects.toThrow('host error');
      p.markPhaseStart('marked').end();
    });
    expect(result).toBe(42);
    expect(warnings.filter((w) => w.code === 'MEMSCOPE_W_INTERNAL')).toHaveLength(1);
  });

  it('returns a thenable whose then() throws as it is, and ends the phase', () => {
    const p = start();
    const weird = {
      then() {
        throw new Error('then exploded');
      },
    };
    expect(p.phase('weird', () => weird)).toBe(weird);
    expect(p.getPhaseStats()[0]).toMatchObject({ name: 'weird', count: 1, active: 0 });
  });

  it('still ends a phase after stop(), so a phase around the shutdown is kept', () => {
    const p = start();
    p.markPhaseStart('shutdown');
    p.stop();
    p.markPhaseEnd('shutdown');
    expect(p.getPhaseStats()[0]).toMatchObject({ name: 'shutdown', count: 1, active: 0 });
  });

  it('leaves no descriptor open when construction fails or the profiler is never started', () => {
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    expect(() => new MemoryProfiler({ leak: { windowMs: -1 } })).toThrow(/windowMs/);
    const idle = new MemoryProfiler({ eventLoop: false, gc: false });
    expect(open()).toBe(before);
    idle.stop();
  });
});
