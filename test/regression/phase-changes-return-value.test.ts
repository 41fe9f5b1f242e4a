import { afterEach, describe, expect, it } from 'vitest';
import { context, ROOT_CONTEXT, trace, type ContextManager } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { captureWarnings } from '../helpers/fake-sources.js';

// Issue [6/11] item 5: phase() changed what the host got back. The rule it now keeps: phase() returns exactly what fn
// returns (the same object); a native promise is timed until it settles; any other thenable is returned untouched and
// the phase ends when fn returns; nothing memscope does throws into the caller.
let profiler: MemoryProfiler | undefined;
afterEach(() => profiler?.stop());

function start(options: ConstructorParameters<typeof MemoryProfiler>[0] = {}): MemoryProfiler {
  profiler = new MemoryProfiler({ sampleIntervalMs: 3_600_000, eventLoop: false, gc: false, ...options }).start();
  return profiler;
}

const stats = (p: MemoryProfiler, name: string) => p.getPhaseStats().find((s) => s.name === name);

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe('phase() returns exactly what fn returns', () => {
  it('hands a foreign thenable back untouched, so awaiting it gives its value', async () => {
    const p = start();
    const thenable = { then(resolve: (v: number) => void) { resolve(42); } };
    const returned = p.phase('x', () => thenable);
    expect(returned).toBe(thenable);
    expect(await returned).toBe(42);
    expect(stats(p, 'x')).toMatchObject({ count: 1, active: 0 });
  });

  it('neither throws nor leaves the phase open for a revoked Proxy or a `then` getter that throws', () => {
    const p = start();
    const revoked = revokedProxy();
    const hostile = Object.defineProperty({}, 'then', { get() { throw new TypeError('then getter exploded'); } });
    expect(p.phase('revoked', () => revoked)).toBe(revoked);
    expect(p.phase('hostile', () => hostile)).toBe(hostile);
    expect(stats(p, 'revoked')).toMatchObject({ count: 1, active: 0 });
    expect(stats(p, 'hostile')).toMatchObject({ count: 1, active: 0 });
  });

  it('still tracks phases after 10,000 hostile results (none is left open)', () => {
    const p = start();
    const hostile = Object.defineProperty({}, 'then', { get() { throw new TypeError('no'); } });
    for (let i = 0; i < 10_000; i++) p.phase('hostile', () => (i % 2 === 0 ? hostile : revokedProxy()));
    expect(stats(p, 'hostile')).toMatchObject({ count: 10_000, active: 0 });
    p.phase('after', () => undefined);
    expect(stats(p, 'after')).toMatchObject({ count: 1 });
  });

  it('keeps a promise\'s identity and extra methods, and times it until it settles', async () => {
    const p = start();
    let resolve!: (v: string) => void;
    const promise = Object.assign(new Promise<string>((r) => { resolve = r; }), { cancel: () => 'cancelled' });
    const returned = p.phase('cancellable', () => promise);
    expect(returned).toBe(promise);
    expect(returned.cancel()).toBe('cancelled');
    expect(stats(p, 'cancellable')).toMatchObject({ count: 0, active: 1 });
    resolve('done');
    expect(await returned).toBe('done');
    await Promise.resolve();
    expect(stats(p, 'cancellable')).toMatchObject({ count: 1, active: 0 });
  });

  it('returns a Promise subclass as itself, never calling its overridden then', async () => {
    const p = start();
    let thenCalls = 0;
    class Tracked<T> extends Promise<T> {
      override then<A = T, B = never>(onF?: ((v: T) => A | PromiseLike<A>) | null, onR?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
        thenCalls++;
        return super.then(onF, onR);
      }
    }
    const promise = new Tracked<number>((r) => { r(1); });
    expect(p.phase('subclass', () => promise)).toBe(promise);
    expect(thenCalls).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(stats(p, 'subclass')).toMatchObject({ count: 1, active: 0 });
  });

  it('never runs a lazy thenable the caller does not await', async () => {
    const p = start();
    let ran = 0;
    const lazy = { then(resolve: (v: unknown) => void) { ran++; resolve(undefined); } };
    p.phase('lazy', () => lazy);
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(0);
  });

  it('returns a rejected promise as itself and ends the phase as failed', async () => {
    const p = start();
    const error = new Error('host failure');
    const rejected = Promise.reject(error);
    const returned = p.phase('failing', () => rejected);
    expect(returned).toBe(rejected);
    await expect(returned).rejects.toBe(error);
    expect(stats(p, 'failing')).toMatchObject({ count: 1, active: 0 });
  });

  it('returns a promise whose species getter throws, ending the phase at once', async () => {
    const p = start();
    const promise = Promise.resolve('value');
    void Object.defineProperty(promise, 'constructor', { get() { throw new Error('species exploded'); } });
    let returned: unknown;
    const warnings = await captureWarnings(() => {
      returned = p.phase('species', () => promise);
    });
    expect(returned).toBe(promise);
    expect(stats(p, 'species')).toMatchObject({ count: 1, active: 0 });
    expect(warnings.map((w) => w.code)).toContain('MEMSCOPE_W_INTERNAL');
  });

  it.each<[string, (c: unknown, fn: () => unknown) => unknown, boolean]>([
    ['throws before running fn', () => { throw new Error('context manager exploded'); }, true],
    ['throws after running fn', (_c, fn) => { fn(); throw new Error('context manager exploded'); }, true],
    ['never runs fn', () => undefined, false],
  ])('runs fn once and returns its value or error when the context manager %s', async (_label, withImpl, warns) => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const broken: ContextManager = {
      active: () => ROOT_CONTEXT,
      with: withImpl as ContextManager['with'],
      bind: (_c, target) => target,
      enable() { return this; },
      disable() { return this; },
    };
    context.setGlobalContextManager(broken);
    try {
      const p = start({ tracerProvider });
      let calls = 0;
      let result: unknown;
      const hostError = new Error('host');
      const warnings = await captureWarnings(() => {
        result = p.phase('ctx', () => ++calls);
        expect(() => p.phase('ctx', () => { throw hostError; })).toThrow(hostError);
      });
      expect(result).toBe(1);
      expect(calls).toBe(1);
      expect(stats(p, 'ctx')).toMatchObject({ count: 2, active: 0 });
      if (warns) expect(warnings.map((w) => w.code)).toContain('MEMSCOPE_W_INTERNAL');
    } finally {
      context.disable();
      trace.disable();
    }
  });
});
