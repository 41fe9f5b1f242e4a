import { test } from 'node:test';
import { judgeLeak, judgeStayBelow, type MemoryTestLimits } from './judge.js';

export type { MemoryTestLimits } from './judge.js';

/** The failure of a memory test: the message holds the figures; `node --test` prints it. */
export class MemoryTestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemoryTestError';
  }
}

/**
 * A `node:test` test that runs `fn` and holds its memory to `limits`:
 * `memoryTest('import stays small', () => importPoints(file), { peak: '50 MiB', retained: '2 MiB', noLeak: true })`.
 * The figures are reported as test diagnostics either way; a failure's message names the limit reached and the
 * evidence. Returns what node:test's `test()` returns.
 */
export function memoryTest(name: string, fn: () => unknown, limits: MemoryTestLimits): Promise<void> {
  return test(name, async (t) => {
    await checkMemory(fn, limits, (line) => { t.diagnostic(line); });
  });
}

/**
 * The checks of {@link memoryTest} for any runner: resolves when `fn` keeps to `limits`, rejects with a
 * MemoryTestError otherwise. `report` receives each figure line.
 */
export async function checkMemory(fn: () => unknown, limits: MemoryTestLimits, report: (line: string) => void = () => undefined): Promise<void> {
  const failures: string[] = [];
  if (limits.peak !== undefined || limits.retained !== undefined) {
    const j = await judgeStayBelow(fn, limits);
    for (const line of j.evidence) report(line);
    if (!j.pass) failures.push(`memory: ${j.failures.join('; ')}\n${j.evidence.map((l) => `  ${l}`).join('\n')}`);
  }
  if (limits.noLeak !== undefined && limits.noLeak !== false) {
    const j = await judgeLeak(fn, limits.noLeak === true ? {} : limits.noLeak);
    report(j.summary);
    for (const line of j.evidence) report(line);
    if (j.status === 'suspected') failures.push(`leak: ${j.summary}\n${j.evidence.map((l) => `  ${l}`).join('\n')}`);
    if (j.status === 'inconclusive') failures.push(`leak check: ${j.summary}: raise iterations\n${j.evidence.map((l) => `  ${l}`).join('\n')}`);
  }
  if (failures.length > 0) throw new MemoryTestError(failures.join('\n'));
}
