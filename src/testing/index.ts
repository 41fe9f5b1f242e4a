// `memscope/testing`: memory assertions for users' test runners (node:test, vitest, jest). Never loaded by
// `import 'memscope'`.
export { expectMemory, expectNoLeak, MemoryExpectationError } from './expect-memory.js';
export type { ExpectMemoryOptions, ExpectNoLeakOptions } from './expect-memory.js';
export { measureMemory } from './measure-memory.js';
export type { MemoryMeasurement } from './measure-memory.js';
export { forcedGcLeakOptions, measureGrowth } from './growth.js';
export type { GrowthAnalysis, MeasureGrowthOptions } from './growth.js';
export { forceGc } from '../sdk/gc/force-gc.js';
export { expectHeapBudget, HeapBudgetError } from './heap-budget.js';
export type { HeapBudgetOptions, HeapBudgetViolation } from './heap-budget.js';
export { memoryMatchers, toLeak, toStayBelow } from './matchers/memory-matchers.js';
export { defineMemoryTest, defineWorkload } from './define.js';
export type { MemoryTestDeclaration, MemoryTestRunContext, MemoryTestSpec, WorkloadDeclaration, WorkloadRunContext, WorkloadSpec } from './define.js';
export type { MatcherContext, MatcherResult } from './matchers/memory-matchers.js';
export type { LeakCheckOptions, MemoryTestLimits, StayBelowLimits } from './matchers/judge.js';
