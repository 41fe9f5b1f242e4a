import { judgeLeak, judgeStayBelow, type LeakCheckOptions, type StayBelowLimits } from './judge.js';

/** What vitest and jest give a matcher as `this` (the part used here). */
export interface MatcherContext {
  isNot?: boolean;
}

/** What a matcher returns to vitest and jest. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

const indent = (lines: readonly string[]): string => lines.map((l) => `  ${l}`).join('\n');

/**
 * `await expect(fn).not.toLeak({ iterations: 20 })`: runs `fn` repeatedly with a full GC after each run and fails
 * when what survives keeps growing — the verdict of expectNoLeak(), same options and defaults. An inconclusive verdict
 * (too few runs to tell) fails both `toLeak()` and `.not.toLeak()`: it is neither a leak nor the absence of one.
 */
export async function toLeak(this: MatcherContext, received: unknown, options?: LeakCheckOptions): Promise<MatcherResult> {
  const isNot = this.isNot === true;
  const j = await judgeLeak(received, options);
  if (j.status === 'inconclusive') {
    return { pass: isNot, message: () => `cannot tell whether the function leaks: ${j.summary}: raise iterations\n${indent(j.evidence)}` };
  }
  const leaks = j.status === 'suspected';
  return {
    pass: leaks,
    message: () => leaks
      ? `expected the function not to leak, but: ${j.summary}\n${indent(j.evidence)}`
      : `expected the function to leak, but: ${j.summary}\n${indent(j.evidence)}`,
  };
}

/**
 * `await expect(fn).toStayBelow({ peak: '50 MiB', retained: '2 MiB' })`: runs `fn` once and fails when its peak or
 * what it leaves after a full GC reaches the limit — expectMemory()'s measurement. Sizes take KB/MB/GB (powers of
 * 1000) and KiB/MiB/GiB (powers of 1024).
 */
export async function toStayBelow(this: MatcherContext, received: unknown, limits: StayBelowLimits): Promise<MatcherResult> {
  const j = await judgeStayBelow(received, limits);
  return {
    pass: j.pass,
    message: () => j.pass
      ? `expected the function not to stay below its limits, but it did: ${j.kept.join('; ')}\n${indent(j.evidence)}`
      : `expected the function to stay below its limits, but: ${j.failures.join('; ')}\n${indent(j.evidence)}`,
  };
}

/**
 * The matchers for any runner with a jest-style `expect.extend` (vitest, jest, Playwright Test, Bun):
 * `expect.extend(memoryMatchers)`. `memscope/testing/vitest` and `memscope/testing/jest` do that for you and add the
 * types.
 */
export const memoryMatchers = { toLeak, toStayBelow };
