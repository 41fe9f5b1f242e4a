import { MemscopeError, errorMessage } from '../../internal/errors.js';
import { parseBytes } from '../../internal/units.js';
import type { MemoryTestDeclaration, MemoryTestRunContext } from '../../testing/define.js';
import { judgeLeak, judgeStayBelow } from '../../testing/matchers/judge.js';
import type { Assertion } from '../../report/report-model.js';
import { below, holds, leakPerRunHolds } from '../memory-tests/assertions.js';
import { LeakSnapshots } from '../memory-tests/leak-snapshots.js';
import { profiledTest, type TestOutcome } from '../memory-tests/profile-run.js';
import type { MemoryTestDefinition } from '../memory-tests/types.js';
import { UserCodeTimeout, withTimeout, type UserCodeGuard } from './guard.js';
import { displayPath, loadUserFile, memoryTestsOf } from './load-file.js';

/** The memory tests of the user's files, in file order, as definitions the runner runs like the bundled ones. */
export async function loadMemoryTests(files: readonly string[], guard: UserCodeGuard): Promise<MemoryTestDefinition[]> {
  const tests: MemoryTestDefinition[] = [];
  const where = new Map<string, string>();
  for (const file of files) {
    const declared = memoryTestsOf(await loadUserFile(file), file);
    const escaped = guard.takeEscaped();
    if (escaped.length > 0) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${displayPath(file)}: while it loaded, ${escaped.join('; ')}`);
    if (declared.length === 0) {
      throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `${displayPath(file)} declares no memory test: export one, e.g. export default defineMemoryTest({ name, run, limits }) (defineMemoryTest from memscope/testing)`);
    }
    for (const test of declared) {
      const earlier = where.get(test.name);
      if (earlier !== undefined) throw new MemscopeError('MEMSCOPE_E_TEST_FILE', `two memory tests are named ${JSON.stringify(test.name)} (${earlier} and ${displayPath(file)}): names pick tests (--test) and label reports, so each must be unique`);
      where.set(test.name, displayPath(file));
      tests.push(userTest(test, displayPath(file), guard));
    }
  }
  return tests;
}

/**
 * One declared test: its limits held as `memscope/testing` holds them, under its own profiler for the report. The
 * peak/retained run gets a `phase` that passes straight through — memscope's phase bookkeeping is not the user's memory
 * and must not count in it — while the leak check's runs (where a first-time cost is absorbed by the warm-up runs)
 * record the phases for the report and the pictures. Errors that escape the user's code while the test runs, a
 * `process.exit()` and a run past the test's timeout fail this test; the next one runs.
 */
function userTest(test: MemoryTestDeclaration, file: string, guard: UserCodeGuard): MemoryTestDefinition {
  const description = test.description === '' ? `from ${file}` : `${test.description} (${file})`;
  return {
    name: test.name,
    description,
    run: async (ctx) => {
      const deadline = performance.now() + test.timeout;
      const result = await profiledTest(test.name, description, async (profiler): Promise<TestOutcome> => {
        const size = ctx.stress ? test.sizes.stress : test.sizes.normal;
        const recorded: MemoryTestRunContext = { size, stress: ctx.stress, phase: (name, fn) => profiler.phase(name, fn) };
        const unrecorded: MemoryTestRunContext = { size, stress: ctx.stress, phase: (_name, fn) => fn() };
        const runWith = (context: MemoryTestRunContext) => (): Promise<unknown> =>
          withTimeout(() => test.run(context), Math.max(1, deadline - performance.now()), `the test (its timeout: ${test.timeout} ms for all its runs)`);
        const assertions: Assertion[] = [];
        const figures: Record<string, number> = { size };
        const outcome: TestOutcome = { assertions, figures };
        const { peak, retained, noLeak } = test.limits;
        try {
          if (peak !== undefined || retained !== undefined) {
            const j = await judgeStayBelow(runWith(unrecorded), { ...(peak === undefined ? {} : { peak }), ...(retained === undefined ? {} : { retained }) });
            const m = j.measurement;
            if (peak !== undefined) assertions.push(below('peak memory (heap + external)', m.peakBytes, parseBytes('peak', peak)));
            if (retained !== undefined) assertions.push(below('retained after GC', m.retainedBytes, parseBytes('retained', retained)));
            Object.assign(figures, { peakBytes: m.peakBytes, retainedBytes: m.retainedBytes, retainedHeapBytes: m.retainedHeapBytes, seconds: m.durationMs / 1000 });
          }
          if (noLeak !== undefined && noLeak !== false) {
            const options = noLeak === true ? {} : noLeak;
            const snapshots = ctx.heapSnapshots === undefined ? undefined : new LeakSnapshots(ctx.heapSnapshots, test.name);
            const run = runWith(recorded);
            const j = await judgeLeak(snapshots?.wrap(run, options.warmup ?? 3) ?? run, options);
            assertions.push(leakPerRunHolds('leak verdict', j.growth.verdict, j.growth, j.maxGrowthPerRun));
            Object.assign(figures, { runs: j.growth.runs, heapBytesPerRun: j.growth.heapPerRun, externalBytesPerRun: j.growth.externalPerRun, heapP: j.growth.heapP, externalP: j.growth.externalP, totalGrowthBytes: j.growth.totalGrowthBytes });
            outcome.growth = j.growth;
            if (snapshots !== undefined) outcome.heapDiff = await snapshots.finish(j.growth.verdict, run, j.growth.runs);
          }
        } catch (error) {
          // The user's code threw, called process.exit() or ran out of time: this test fails, the others run.
          if (error instanceof UserCodeTimeout) assertions.push(holds('settles within its timeout', false, error.message));
          else assertions.push(holds('runs without throwing', false, errorMessage(error).split('\n')[0] ?? 'an error'));
        }
        return outcome;
      });
      // A turn of the event loop: a rejection left floating by the last run is reported before the test is judged.
      await new Promise((resolve) => setImmediate(resolve));
      const escaped = guard.takeEscaped();
      if (escaped.length === 0) return result;
      const assertion = holds('no error escapes the test', false, escaped.slice(0, 5).join('; ') + (escaped.length > 5 ? ` (and ${escaped.length - 5} more)` : ''));
      return { ...result, passed: false, assertions: [...result.assertions, assertion] };
    },
  };
}
