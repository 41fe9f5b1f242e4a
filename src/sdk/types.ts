/** Memory figures in bytes, as Node reports them (`process.memoryUsage()` field names). */
export interface MemoryFigures {
  /** Resident set size of the process. */
  rss: number;
  /** V8 heap in use (all spaces). */
  heapUsed: number;
  /** V8 heap committed (all spaces). */
  heapTotal: number;
  /** Memory of C++ objects bound to JavaScript objects, array buffers included. */
  external: number;
  /** Memory of ArrayBuffers and SharedArrayBuffers, Node.js Buffers included (a part of `external`). */
  arrayBuffers: number;
}

export const MEMORY_FIELDS = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const satisfies readonly (keyof MemoryFigures)[];

/** One point of the memory timeline. */
export interface MemorySample extends MemoryFigures {
  /** Wall-clock time of the sample, milliseconds since the Unix epoch (fractional). */
  time: number;
  /** The innermost phase active when the sample was taken, or null. */
  phase: string | null;
  /**
   * Present when older samples were folded to keep memscope's own memory bounded: this point then stands for
   * `count` samples from `startTime` to `time`; its figures are those of the last of them, `min` and `max` keep the
   * extremes so that peaks survive folding.
   */
  folded?: FoldedSpan;
}

export interface FoldedSpan {
  count: number;
  startTime: number;
  min: MemoryFigures;
  max: MemoryFigures;
}

/** The kinds of memory the leak detector and the post-GC baselines distinguish (also a metric attribute value). */
export type MemoryKind = 'heap' | 'external' | 'array_buffers' | 'rss';
export const MEMORY_KINDS = ['heap', 'external', 'array_buffers', 'rss'] as const satisfies readonly MemoryKind[];
