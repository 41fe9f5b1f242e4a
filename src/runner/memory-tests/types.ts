import type { Faults } from '../../bms/service/faults.js';
import type { MemoryTestResult } from '../../report/report-model.js';
import type { TestSnapshotOptions } from './leak-snapshots.js';

export interface MemoryTestContext {
  stress: boolean;
  /** Injected faults (a leak for `memscope test --inject-leak`), running for the whole test. */
  faults: Faults;
  /** Heap snapshots of the leak checks (`memscope test`); undefined: none, and no `heapDiff` in the results. */
  heapSnapshots?: TestSnapshotOptions;
}

export interface MemoryTestDefinition {
  name: string;
  description: string;
  run(ctx: MemoryTestContext): Promise<MemoryTestResult>;
}
