import type { Faults } from '../../bms/service/faults.js';
import type { MemoryTestResult } from '../../report/report-model.js';

export interface MemoryTestContext {
  stress: boolean;
  /** Injected faults (a leak for `memscope test --inject-leak`), running for the whole test. */
  faults: Faults;
}

export interface MemoryTestDefinition {
  name: string;
  description: string;
  run(ctx: MemoryTestContext): Promise<MemoryTestResult>;
}
