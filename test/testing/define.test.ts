import { describe, expect, it } from 'vitest';
import { MemscopeError } from '../../src/internal/errors.js';
import { globRegExp } from '../../src/runner/user-files/find-files.js';
import { memoryTestsOf, workloadOf } from '../../src/runner/user-files/load-file.js';
import { defineMemoryTest, defineWorkload, isMemoryTestDeclaration } from '../../src/testing/define.js';

describe('defineMemoryTest', () => {
  const run = (): number => 1;

  it('keeps a valid test, frozen, with stress sizes defaulting to the normal size', () => {
    const t = defineMemoryTest({ name: 'import', run, sizes: { normal: 10 } as { normal: number; stress: number }, limits: { peak: '50 MiB' } });
    expect(t).toMatchObject({ name: 'import', description: '', sizes: { normal: 10, stress: 10 }, limits: { peak: '50 MiB' } });
    expect(Object.isFrozen(t)).toBe(true);
    expect(isMemoryTestDeclaration(t)).toBe(true);
    expect(isMemoryTestDeclaration({ ...t })).toBe(true); // the brand survives a spread: it is an own symbol key
    expect(isMemoryTestDeclaration({ name: 'import', run, limits: {} })).toBe(false);
  });

  it.each([
    [{ name: '', run, limits: { peak: 1 } }, 'name must be a name of 1 to 200 characters without control characters; got ""'],
    [{ name: 'a\u0007b', run, limits: { peak: 1 } }, 'name must be a name of 1 to 200 characters without control characters'],
    [{ name: 't', run: 'work', limits: { peak: 1 } }, 'run must be the function under test'],
    [{ name: 't', run, limits: {} }, 'limits must be at least one of peak, retained or noLeak'],
    [{ name: 't', run, limits: { noLeak: false } }, 'limits must be at least one of peak, retained or noLeak'],
    [{ name: 't', run, limits: { peak: '50 MiBs' } }, 'limits.peak must be a size such as 512KiB'],
    [{ name: 't', run, limits: { peek: '50 MiB' } }, 'unknown option "limits.peek"; did you mean "limits.peak"?'],
    [{ name: 't', run, limits: { peak: 1 }, size: 3 }, 'unknown option "size"; did you mean "sizes"?'],
    [{ name: 't', run, limits: { peak: 1 }, sizes: { normal: 0, stress: 1 } }, 'sizes.normal must be an integer from 1'],
  ])('refuses %j naming what is wrong', (spec, message) => {
    let error: unknown;
    try {
      defineMemoryTest(spec as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MemscopeError);
    expect((error as MemscopeError).code).toBe('MEMSCOPE_E_INVALID_OPTION');
    expect((error as MemscopeError).message).toContain(message);
  });
});

describe('what a file declares', () => {
  const t = (name: string) => defineMemoryTest({ name, run: () => 1, limits: { retained: '1 MiB' } });
  const w = defineWorkload({ name: 'ingest', run: () => 1 });

  it('finds tests in named exports, arrays and a CommonJS module.exports object, each once', () => {
    const a = t('a');
    const b = t('b');
    const c = t('c');
    expect(memoryTestsOf({ default: [a, b], a, other: 1, w }, '/p/x.js').map((x) => x.name)).toEqual(['a', 'b']);
    expect(memoryTestsOf({ default: { a, c }, 'module.exports': { a, c } }, '/p/x.js').map((x) => x.name)).toEqual(['a', 'c']);
  });

  it('takes exactly one workload', () => {
    expect(workloadOf({ default: w }, '/p/x.js').name).toBe('ingest');
    expect(() => workloadOf({ default: t('a') }, '/p/x.js')).toThrow(/declares no workload/);
    expect(() => workloadOf({ a: w, b: defineWorkload({ run: () => 2 }) }, '/p/x.js')).toThrow(/declares 2 workloads/);
  });
});

describe('globRegExp', () => {
  it.each([
    ['**/*.memory.{js,ts}', 'a.memory.js', true],
    ['**/*.memory.{js,ts}', 'src/deep/a.memory.ts', true],
    ['**/*.memory.{js,ts}', 'src/a.memory.jsx', false],
    ['src/*.memory.js', 'src/a.memory.js', true],
    ['src/*.memory.js', 'src/x/a.memory.js', false],
    ['./test/?.js', 'test/a.js', true],
    ['a+b(1).js', 'a+b(1).js', true],
    ['a+b(1).js', 'aab1.js', false],
  ])('%s matches %s: %s', (glob, path, matches) => {
    expect(globRegExp(glob).test(path)).toBe(matches);
  });

  it('refuses an unclosed brace', () => {
    expect(() => globRegExp('*.{js,ts')).toThrow('the pattern *.{js,ts opens a { it does not close');
  });
});
