import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Cooperative scheduling for long CPU work on the event loop (parsing a 10 MB body, serializing a large result):
 * the work calls `breathe()` often, and it yields to the loop once a slice has run `sliceMs`, so health checks,
 * scrapes and other requests wait at most about one slice. Time-based rather than every N items: the cost of an
 * item varies a hundredfold between a terse point and a 9 MB string.
 */
export class Pacer {
  private sliceStart = performance.now();
  /** How many times the work yielded (tests use it to see that a large body was not parsed in one go). */
  yields = 0;

  /** @param sliceMs longest stretch of work between two yields. @default 8 */
  constructor(private readonly sliceMs = 8) {}

  /** True when the current slice is used up: the caller should `await breathe()` now. */
  get due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Yields to the event loop if the slice is used up; otherwise resolves at once (no macrotask, no allocation). */
  async breathe(): Promise<void> {
    if (!this.due) return;
    this.yields++;
    await nextTurn();
    this.sliceStart = performance.now();
  }
}
