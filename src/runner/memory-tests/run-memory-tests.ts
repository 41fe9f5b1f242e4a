import { Faults, type FaultOptions } from '../../bms/service/faults.js';
import { MemscopeError } from '../../internal/errors.js';
import { reportHeader } from '../../report/report-header.js';
import type { MemoryTestReport, MemoryTestResult } from '../../report/report-model.js';
import type { TestSnapshotOptions } from './leak-snapshots.js';
import { MEMORY_TESTS } from './scenarios.js';
import type { MemoryTestDefinition } from './types.js';

export interface RunMemoryTestsOptions {
  /** The tests to choose from: the user's (`memscope test <files>`). @default the bundled example's tests */
  tests?: readonly MemoryTestDefinition[];
  /** The files `tests` came from, recorded in the report's config. */
  files?: readonly string[];
  stress?: boolean;
  /** Test names to run. @default all */
  only?: string[];
  /** Faults running for the whole run (`memscope test --inject-leak 1MiB/s`). */
  faults?: FaultOptions;
  /** Describes the injected leak in the report, e.g. "1MiB/s heap". */
  injectLeakLabel?: string | null;
  /** Heap snapshots of the leak checks, diffed into the tests' results. @default undefined (none) */
  heapSnapshots?: TestSnapshotOptions;
  onTestStart?: (name: string, index: number, total: number) => void;
  onTestEnd?: (result: MemoryTestResult) => void;
}

export function memoryTestNames(): string[] {
  return MEMORY_TESTS.map((t) => t.name);
}

/** Throws MEMSCOPE_E_INVALID_OPTION, naming the tests there are, when `only` names one that is not among them. */
export function checkTestNames(only: readonly string[], available: readonly string[]): void {
  const unknown = only.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `--test must be one of ${available.map((n) => (/^[\w.-]+$/.test(n) ? n : JSON.stringify(n))).join(', ')}; got ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
  }
}

/**
 * Runs memory tests — the bundled example's, or the user's — (all, or the named ones) and returns their report; never
 * throws on a failed test.
 */
export async function runMemoryTests(options: RunMemoryTestsOptions = {}): Promise<MemoryTestReport> {
  const all = options.tests ?? MEMORY_TESTS;
  checkTestNames(options.only ?? [], all.map((t) => t.name));
  const selected = all.filter((t) => options.only === undefined || options.only.length === 0 || options.only.includes(t.name));
  const faults = new Faults(options.faults ?? {});
  const stress = options.stress ?? false;
  const tests: MemoryTestResult[] = [];
  faults.start();
  try {
    for (const [i, test] of selected.entries()) {
      options.onTestStart?.(test.name, i, selected.length);
      const result = await test.run({ stress, faults, ...(options.heapSnapshots === undefined ? {} : { heapSnapshots: options.heapSnapshots }) });
      tests.push(result);
      options.onTestEnd?.(result);
    }
  } finally {
    faults.stop();
  }
  return {
    ...reportHeader(),
    kind: 'memory-test',
    config: { stress, injectLeak: options.injectLeakLabel ?? null, tests: selected.map((t) => t.name), ...(options.files === undefined ? {} : { files: [...options.files] }) },
    passed: tests.every((t) => t.passed),
    tests,
  };
}
