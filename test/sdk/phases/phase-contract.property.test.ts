import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPromise } from 'node:util/types';
import { MemoryProfiler } from '../../../src/sdk/memory-profiler.js';

// The contract of phase() that any rewrite of its hot path (issue [7/11]) must keep, over generated values:
// - it returns exactly what fn returns (the same value, the same object) and throws exactly what fn throws;
// - a native promise is timed until it settles; anything else ends the phase when fn returns, with its `then`
//   (whatever it is: a getter that throws, a revoked Proxy, a lazy thenable) never read;
// - no phase is left open, so tracking never stops (maxActivePhases is never reached by finished work).

const profiler = new MemoryProfiler({ sampleIntervalMs: 3_600_000, eventLoop: false, gc: false, maxActivePhases: 50, maxPhaseNames: 10_000 }).start();
afterAll(() => { profiler.stop(); });

const count = (name: string): { count: number; active: number } => {
  const s = profiler.getPhaseStats().find((p) => p.name === name);
  return { count: s?.count ?? 0, active: s?.active ?? 0 };
};

/** Values a function can return, the awkward ones included. Each records whether its `then` was touched. */
type Made = { value: unknown; touched: () => boolean };

const plain = fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withNullPrototype: true, withSparseArray: true }).map((value): Made => ({ value, touched: () => false }));

const awkward = fc.constantFrom(
  'thenable', 'lazy-thenable', 'throwing-then-getter', 'revoked-proxy', 'proxy-with-traps', 'function-with-then', 'non-function-then',
).map((kind): Made => {
  let touched = false;
  const touch = (): void => { touched = true; };
  let value: unknown;
  switch (kind) {
    case 'thenable':
    case 'lazy-thenable':
      value = { then(resolve: (v: unknown) => void) { touch(); resolve(1); } };
      break;
    case 'throwing-then-getter':
      value = Object.defineProperty({}, 'then', { get() { touch(); throw new Error('getter'); } });
      break;
    case 'revoked-proxy': {
      const r = Proxy.revocable({}, {});
      r.revoke();
      value = r.proxy;
      break;
    }
    case 'proxy-with-traps':
      value = new Proxy({}, { get() { touch(); throw new Error('get trap'); }, getPrototypeOf() { touch(); throw new Error('proto trap'); }, has() { touch(); return true; } });
      break;
    case 'function-with-then':
      value = Object.assign(() => undefined, { then: () => { touch(); } });
      break;
    default:
      value = { then: 42 };
  }
  return { value, touched: () => touched };
});

describe('phase() contract (property)', () => {
  it('returns exactly what a synchronous fn returns, never touching its then, and leaves no phase open', () => {
    fc.assert(
      fc.property(fc.oneof(plain, awkward), fc.string({ maxLength: 200 }), (made, name) => {
        const before = count(profiler.markPhaseStart(name).name);
        profiler.markPhaseEnd(name);
        const returned = profiler.phase(name, () => made.value);
        expect(Object.is(returned, made.value)).toBe(true);
        expect(made.touched()).toBe(false);
        const label = profiler.markPhaseStart(name).name;
        profiler.markPhaseEnd(name);
        // The mark above and this phase() both completed: nothing is left running.
        expect(count(label).count).toBeGreaterThanOrEqual(before.count + 2);
        expect(count(label).active).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('throws exactly what fn throws and ends the phase', () => {
    fc.assert(
      fc.property(fc.anything(), (error) => {
        let caught: unknown = 'nothing';
        try {
          profiler.phase('throws', () => { throw error; });
        } catch (e) {
          caught = e;
        }
        expect(Object.is(caught, error)).toBe(true);
        expect(count('throws').active).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('returns native promises as themselves and times them until they settle, fulfilled or rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.boolean(), fc.boolean(), async (payload, rejects, subclass) => {
        class Sub<T> extends Promise<T> {}
        const Ctor = subclass ? Sub : Promise;
        let settle!: () => void;
        const promise = new Ctor<unknown>((resolve, reject) => {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- hosts reject with anything
          settle = () => { if (rejects) reject(payload); else resolve(payload); };
        });
        const before = count('async');
        const returned = profiler.phase('async', () => promise);
        expect(returned).toBe(promise);
        expect(isPromise(returned)).toBe(true);
        expect(count('async').active).toBe(before.active + 1);
        settle();
        const outcome = await promise.then((v) => ({ ok: true, v }), (e: unknown) => ({ ok: false, v: e }));
        expect(outcome.ok).toBe(!rejects);
        expect(Object.is(outcome.v, payload)).toBe(true);
        await new Promise((r) => setImmediate(r));
        expect(count('async')).toEqual({ count: before.count + 1, active: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps tracking after thousands of awkward results (no phase leaks toward maxActivePhases)', () => {
    fc.assert(
      fc.property(fc.array(awkward, { minLength: 1, maxLength: 200 }), (values) => {
        for (const made of values) profiler.phase('many', () => made.value);
        return count('many').active === 0 && profiler.phase('probe', () => 'tracked') === 'tracked' && count('probe').active === 0;
      }),
      { numRuns: 50 },
    );
    expect(count('probe').count).toBeGreaterThanOrEqual(50);
  });
});
