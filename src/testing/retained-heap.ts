import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

/**
 * Heap spaces that hold no data a function can retain: the young generation (after a full GC it holds only what was
 * allocated since — by the measurement itself), read-only space, and the spaces of compiled code and V8's trusted
 * metadata, which grow while the JIT tiers code up (on Node 24, ~80 KiB over a test's first few dozen runs) and are
 * not a leak of the code under test.
 */
const NOT_DATA = /^(new_|read_only|code|trusted|shared_trusted)/;

/**
 * What a function can have retained, read after a full GC: the JS heap's data (old generation, large objects and the
 * shared heap) and V8's external memory.
 */
export function retainedMemory(): { heap: number; external: number } {
  let heap = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (!NOT_DATA.test(space.space_name)) heap += space.space_used_size;
  }
  return { heap, external: getHeapStatistics().external_memory };
}
