import { freemem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { readContainerMemoryLimit } from '../../sdk/probes/container-memory.js';
import { usableHeapLimit } from '../../sdk/probes/heap-limit.js';

export { usableHeapLimit } from '../../sdk/probes/heap-limit.js';
import { formatBytes } from '../../internal/units.js';
import type { CaptureMemory, RefusalReason, ResolvedCaptureOptions } from './capture-options.js';

/**
 * Whether taking a snapshot now could kill the process. V8 builds the whole snapshot graph in native memory
 * before writing it — measured at 8-10x the JS heap for heaps of small objects (docs/heap-snapshots.md) — while
 * the JS heap itself barely grows. So the rule checks RSS plus `memoryFactor` x heap used against the container
 * limit and against what the system has available, and the heap against its own limit with a fixed headroom.
 */
export function memoryRefusal(m: CaptureMemory, o: Pick<ResolvedCaptureOptions, 'memoryFactor' | 'heapHeadroomBytes'>): { refused: RefusalReason; detail: string } | undefined {
  if (m.heapLimit - m.heapUsed < o.heapHeadroomBytes) {
    return { refused: 'heap_limit', detail: `heap used ${formatBytes(m.heapUsed)} leaves less than ${formatBytes(o.heapHeadroomBytes)} below the heap limit ${formatBytes(m.heapLimit)}` };
  }
  const need = o.memoryFactor * m.heapUsed;
  if (m.containerLimit !== null && m.rss + need > m.containerLimit) {
    return {
      refused: 'container_limit',
      detail: `RSS ${formatBytes(m.rss)} + ${o.memoryFactor} x heap used ${formatBytes(m.heapUsed)} would pass the container limit ${formatBytes(m.containerLimit)}`,
    };
  }
  if (m.systemAvailable !== null && need > m.systemAvailable) {
    return { refused: 'system_memory', detail: `${o.memoryFactor} x heap used ${formatBytes(m.heapUsed)} is more than the ${formatBytes(m.systemAvailable)} the system has available` };
  }
  return undefined;
}

/** The container limit changes rarely and is read from files: cached for this long. */
const CONTAINER_LIMIT_MAX_AGE_MS = 30_000;

/** The default memory reader: V8's heap statistics, RSS, the cgroup limit (cached 30 s) and os.freemem(). */
export function defaultCaptureMemory(now: () => number = Date.now): () => CaptureMemory {
  let limit: number | null = null;
  let readAt = Number.NEGATIVE_INFINITY;
  const usableLimit = usableHeapLimit(getHeapStatistics().heap_size_limit);
  return () => {
    const heap = getHeapStatistics();
    if (now() - readAt > CONTAINER_LIMIT_MAX_AGE_MS) {
      limit = readContainerMemoryLimit().limitBytes;
      readAt = now();
    }
    let available: number | null = null;
    try {
      // libuv reads MemAvailable on Linux: memory the system can give without swapping.
      available = freemem();
    } catch {
      available = null;
    }
    return { heapUsed: heap.used_heap_size, heapLimit: usableLimit, rss: process.memoryUsage.rss(), containerLimit: limit, systemAvailable: available };
  };
}
