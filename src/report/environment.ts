import { cpus, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { readContainerMemoryLimit } from '../sdk/probes/container-memory.js';
import type { Environment } from './report-model.js';

/** Where a report was measured: runtime, CPU, memory, the heap limit and the container limit. */
export function captureEnvironment(): Environment {
  const cpu = cpus();
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    totalMemoryBytes: totalmem(),
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    containerLimitBytes: readContainerMemoryLimit().limitBytes,
  };
}
