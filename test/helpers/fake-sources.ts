import type { HeapInfo, HeapSpaceInfo } from 'node:v8';
import type { MemorySources } from '../../src/sdk/probes/memory-probes.js';

/** Memory figures a test controls; set fields between calls to move "memory". */
export interface FakeMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  heapLimit: number;
  maxRss: number;
  /** Make a probe throw: 'rss' | 'heap' | 'spaces' | 'memoryUsage' | 'resourceUsage'. */
  failing: Set<string>;
}

export function fakeMemory(overrides: Partial<FakeMemory> = {}): FakeMemory {
  return {
    rss: 100 * 2 ** 20,
    heapUsed: 20 * 2 ** 20,
    heapTotal: 40 * 2 ** 20,
    external: 2 * 2 ** 20,
    arrayBuffers: 2 ** 20,
    heapLimit: 2 * 2 ** 30,
    maxRss: 120 * 2 ** 20,
    failing: new Set(),
    ...overrides,
  };
}

export function fakeSources(m: FakeMemory): MemorySources & { calls: Record<string, number> } {
  const calls: Record<string, number> = { rss: 0, heap: 0, spaces: 0, memoryUsage: 0, resourceUsage: 0 };
  const check = (name: string): void => {
    calls[name] = (calls[name] ?? 0) + 1;
    if (m.failing.has(name)) throw new Error(`${name} probe broken`);
  };
  return {
    calls,
    rss: () => {
      check('rss');
      return m.rss;
    },
    heapStatistics: () => {
      check('heap');
      return {
        used_heap_size: m.heapUsed,
        total_heap_size: m.heapTotal,
        external_memory: m.external,
        heap_size_limit: m.heapLimit,
        total_physical_size: m.heapTotal,
      } as HeapInfo;
    },
    heapSpaceStatistics: () => {
      check('spaces');
      return [
        { space_name: 'new_space', space_size: 8 * 2 ** 20, space_used_size: 4 * 2 ** 20, space_available_size: 4 * 2 ** 20, physical_space_size: 8 * 2 ** 20 },
        { space_name: 'old_space', space_size: 32 * 2 ** 20, space_used_size: m.heapUsed - 4 * 2 ** 20, space_available_size: 2 ** 20, physical_space_size: 32 * 2 ** 20 },
      ] as HeapSpaceInfo[];
    },
    memoryUsage: () => {
      check('memoryUsage');
      return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
    },
    resourceUsage: () => {
      check('resourceUsage');
      return { maxRSS: m.maxRss / 1024 };
    },
  };
}

/** Collects process warnings emitted while `fn` runs. */
export async function captureWarnings(fn: () => unknown): Promise<Array<{ code: string | undefined; message: string }>> {
  const seen: Array<{ code: string | undefined; message: string }> = [];
  const listener = (w: Error & { code?: string }): void => {
    seen.push({ code: w.code, message: w.message });
  };
  process.on('warning', listener);
  try {
    await fn();
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}
