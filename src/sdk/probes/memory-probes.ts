import v8 from 'node:v8';
import type { MemoryFigures } from '../types.js';
import type { ProbeErrors } from './probe-errors.js';
import { createRssReader } from './rss-reader.js';

/** Where the memory figures come from. Injectable so tests can feed figures, failures included. */
export interface MemorySources {
  rss: () => number;
  heapStatistics: () => v8.HeapInfo;
  heapSpaceStatistics: () => v8.HeapSpaceInfo[];
  memoryUsage: () => NodeJS.MemoryUsage;
  resourceUsage: () => { maxRSS: number };
  close?: () => void;
}

export function defaultMemorySources(): MemorySources {
  const rss = createRssReader();
  return {
    rss: rss.read,
    heapStatistics: () => v8.getHeapStatistics(),
    heapSpaceStatistics: () => v8.getHeapSpaceStatistics(),
    memoryUsage: () => process.memoryUsage(),
    resourceUsage: () => process.resourceUsage(),
    close: rss.close,
  };
}

/** The figures phases record at their boundaries. */
export interface BoundaryFigures {
  rss: number;
  heapUsed: number;
  external: number;
}

/**
 * Reads memory through guarded probes. A failed probe yields NaN for its fields (the metrics layer then skips the
 * observation rather than export a made-up value) and is counted in ProbeErrors.
 *
 * ArrayBuffer memory has no API of its own: only `process.memoryUsage()` reports it, and that call also re-reads the
 * RSS the slow way (~3-8 us, four times a whole sample through the other probes). Interval samples therefore reuse a
 * value at most `arrayBuffersMaxAgeMs` old; forced samples and scrapes read it fresh.
 */
export class MemoryProbes {
  private arrayBuffers = Number.NaN;
  private arrayBuffersReadAt = Number.NEGATIVE_INFINITY;
  private heapLimitBytes = Number.NaN;
  /** Resident pages of the V8 heap at the last full read (see rssOutsideHeap). */
  private heapPhysical = Number.NaN;
  private boundaryRss = Number.NaN;
  private boundaryMaxRss = Number.NaN;
  private boundaryRssAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sources: MemorySources,
    private readonly errors: ProbeErrors,
    private readonly arrayBuffersMaxAgeMs: number,
    private readonly now: () => number,
  ) {}

  /** One full sample: RSS, heap used/total, external, array buffers. */
  read(fresh: boolean): MemoryFigures {
    const rss = this.errors.guard('rss', () => bytes(this.sources.rss(), 'rss'), Number.NaN);
    const heap = this.errors.guard('heap', () => heapInfo(this.sources.heapStatistics()), undefined);
    if (heap !== undefined) {
      this.heapLimitBytes = heap.heap_size_limit;
      this.heapPhysical = heap.total_physical_size;
    }
    return {
      rss,
      heapUsed: heap?.used_heap_size ?? Number.NaN,
      heapTotal: heap?.total_heap_size ?? Number.NaN,
      external: heap?.external_memory ?? Number.NaN,
      arrayBuffers: this.readArrayBuffers(fresh),
    };
  }

  /** The cheaper read taken after GCs: always fresh. */
  readBoundary(): BoundaryFigures & { rssOutsideHeap: number } {
    const rss = this.errors.guard('rss', () => bytes(this.sources.rss(), 'rss'), Number.NaN);
    const heap = this.errors.guard('heap', () => heapInfo(this.sources.heapStatistics()), undefined);
    return {
      rss,
      heapUsed: heap?.used_heap_size ?? Number.NaN,
      external: heap?.external_memory ?? Number.NaN,
      rssOutsideHeap: rss - (heap?.total_physical_size ?? Number.NaN),
    };
  }

  /**
   * RSS minus the V8 heap's resident pages, for a full read's `rss`: the resident memory outside the JS heap, where
   * native leaks show. The leak detector judges this rather than RSS itself: RSS also rises when V8 grows its heap
   * (the young generation resizes from 1 to 32 MiB per semi-space under load), which a heap leak — judged on its own
   * series — explains and a healthy warm-up produces.
   */
  rssOutsideHeap(rss: number): number {
    return rss - this.heapPhysical;
  }

  /**
   * The read taken at phase boundaries, at monotonic time `now`: heap figures always fresh (0.2-0.4 us), RSS and the
   * kernel's RSS high-water mark re-read only when the last boundary read is older than `rssMaxAgeMs`. A tight loop
   * of tiny phases would otherwise spend more time reading /proc (~1-2 us) and getrusage (~0.7 us) than working,
   * while RSS moves in whole pages and barely changes within a millisecond; phases longer than that get fresh RSS at
   * both ends.
   */
  readPhaseBoundary(now: number, rssMaxAgeMs: number): BoundaryFigures & { maxRss: number } {
    if (now - this.boundaryRssAt >= rssMaxAgeMs) {
      this.boundaryRss = this.errors.guard('rss', () => bytes(this.sources.rss(), 'rss'), Number.NaN);
      this.boundaryMaxRss = this.maxRss();
      this.boundaryRssAt = now;
    }
    // Not checked here (the phase hot path): the profiler replaces a non-finite boundary figure with the last good one.
    const heap = this.errors.guard('heap', () => this.sources.heapStatistics(), undefined);
    return { rss: this.boundaryRss, maxRss: this.boundaryMaxRss, heapUsed: heap?.used_heap_size ?? Number.NaN, external: heap?.external_memory ?? Number.NaN };
  }

  readArrayBuffers(fresh: boolean): number {
    const now = this.now();
    if (fresh || now - this.arrayBuffersReadAt >= this.arrayBuffersMaxAgeMs) {
      this.arrayBuffers = this.errors.guard('array_buffers', () => bytes(this.sources.memoryUsage().arrayBuffers, 'arrayBuffers'), Number.NaN);
      this.arrayBuffersReadAt = now;
    }
    return this.arrayBuffers;
  }

  heapSpaces(): v8.HeapSpaceInfo[] {
    return this.errors.guard('heap_spaces', () => heapSpaces(this.sources.heapSpaceStatistics()), []);
  }

  /** The kernel's RSS high-water mark in bytes (`maxRSS` is in KiB and never decreases). */
  maxRss(): number {
    return this.errors.guard('max_rss', () => bytes(this.sources.resourceUsage().maxRSS, 'maxRSS') * 1024, Number.NaN);
  }

  /** V8's heap size limit (`--max-old-space-size` and friends), as of the last heap read. */
  heapLimit(): number {
    if (Number.isNaN(this.heapLimitBytes)) {
      this.heapLimitBytes = this.errors.guard('heap', () => heapInfo(this.sources.heapStatistics()).heap_size_limit, Number.NaN);
    }
    return this.heapLimitBytes;
  }

  close(): void {
    this.errors.guard('rss', () => this.sources.close?.(), undefined);
  }
}

/**
 * A probe's answer is checked like its failure is caught: a byte count that is not a number from 0 to 2^53 (NaN, a
 * string, a negative) is the probe failing — counted and skipped — not a figure to record or export. Node's own APIs
 * always answer numbers; this keeps an injected or patched source from poisoning the timeline or a whole collection.
 */
function bytes(value: unknown, what: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= Number.MAX_SAFE_INTEGER)) {
    throw new TypeError(`${what} is not a byte count: ${typeof value === 'number' ? String(value) : typeof value}`);
  }
  return value;
}

function heapInfo(heap: v8.HeapInfo): v8.HeapInfo {
  const h = heap as Partial<v8.HeapInfo> | null | undefined;
  bytes(h?.used_heap_size, 'used_heap_size');
  bytes(h?.total_heap_size, 'total_heap_size');
  bytes(h?.external_memory, 'external_memory');
  bytes(h?.heap_size_limit, 'heap_size_limit');
  bytes(h?.total_physical_size, 'total_physical_size');
  return heap;
}

function heapSpaces(spaces: v8.HeapSpaceInfo[]): v8.HeapSpaceInfo[] {
  if (!Array.isArray(spaces)) throw new TypeError('heap space statistics are not a list');
  for (const space of spaces as Array<Partial<v8.HeapSpaceInfo> | null>) {
    if (typeof space?.space_name !== 'string') throw new TypeError('a heap space has no name');
    bytes(space.space_used_size, 'space_used_size');
    bytes(space.space_size, 'space_size');
    bytes(space.space_available_size, 'space_available_size');
    bytes(space.physical_space_size, 'physical_space_size');
  }
  return spaces;
}
