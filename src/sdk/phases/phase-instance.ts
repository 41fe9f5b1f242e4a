import type { Span } from '@opentelemetry/api';
import type { CompletedFigures, PhaseSlot } from './phase-stats.js';

/** Ends a mark-started instance (the tracker, seen from a handle). */
export interface MarkEnder {
  endMark(instance: PhaseInstance): void;
}

/**
 * One running (or finished) instance of a phase: the only object a phase allocates. Its figures are numeric fields
 * (no boundary objects, no copies), it is linked into the tracker's lists through its own fields (no arrays), and it
 * is its own handle for markPhaseStart() (no closure).
 *
 * It refers to its parent, so an instance that outlives its parent (overlapping requests, a loop scheduled from inside
 * a phase) keeps the parent's chain alive — but only as deep as the nesting it started in: an ended instance is never
 * anyone's parent (see PhaseTracker.start), so chains do not grow over time.
 */
export class PhaseInstance implements CompletedFigures {
  /** Links in the list of running instances. */
  prev: PhaseInstance | null = null;
  next: PhaseInstance | null = null;
  /** The next older open mark of the same name, and the links of the mark stack (mark-started instances only). */
  olderSameName: PhaseInstance | null = null;
  markBelow: PhaseInstance | null = null;
  markAbove: PhaseInstance | null = null;
  marked = false;
  ended = false;
  readonly depth: number;
  peakRss: number;
  peakHeapUsed: number;
  peakExternal: number;

  constructor(
    readonly name: string,
    readonly slot: PhaseSlot,
    readonly parent: PhaseInstance | null,
    readonly startedAt: number,
    readonly wallStart: number,
    readonly startRss: number,
    readonly startHeapUsed: number,
    readonly startExternal: number,
    readonly startMaxRss: number,
    readonly span: Span | undefined,
    private readonly ender: MarkEnder | undefined,
  ) {
    this.depth = parent === null ? 0 : parent.depth + 1;
    this.peakRss = startRss;
    this.peakHeapUsed = startHeapUsed;
    this.peakExternal = startExternal;
  }

  get label(): string {
    return this.slot.label;
  }

  get parentLabel(): string | null {
    return this.parent?.slot.label ?? null;
  }

  /** Raises the peak with a reading taken while this instance runs. */
  observe(rss: number, heapUsed: number, external: number): void {
    if (rss > this.peakRss) this.peakRss = rss;
    if (heapUsed > this.peakHeapUsed) this.peakHeapUsed = heapUsed;
    if (external > this.peakExternal) this.peakExternal = external;
  }

  /** Labels from the outermost phase down to this one. */
  path(): string[] {
    const out: string[] = new Array<string>(this.depth + 1);
    out[this.depth] = this.slot.label;
    let i = this.depth - 1;
    for (let p = this.parent; p !== null && i >= 0; p = p.parent) out[i--] = p.slot.label;
    return out;
  }

  /** The handle's end(): the same as markPhaseEnd() for exactly this instance. */
  end(): void {
    this.ender?.endMark(this);
  }
}

/** Running instances in start order, O(1) insert and remove; `last` is the most recently started. */
export class ActiveList {
  private head: PhaseInstance | null = null;
  private tail: PhaseInstance | null = null;
  size = 0;

  add(p: PhaseInstance): void {
    p.prev = this.tail;
    p.next = null;
    if (this.tail === null) this.head = p;
    else this.tail.next = p;
    this.tail = p;
    this.size++;
  }

  remove(p: PhaseInstance): void {
    if (p.prev === null) this.head = p.next;
    else p.prev.next = p.next;
    if (p.next === null) this.tail = p.prev;
    else p.next.prev = p.prev;
    p.prev = p.next = null;
    this.size--;
  }

  get last(): PhaseInstance | null {
    return this.tail;
  }

  /** Raises the peak of every running instance with a sample. */
  observe(rss: number, heapUsed: number, external: number): void {
    for (let p = this.head; p !== null; p = p.next) p.observe(rss, heapUsed, external);
  }
}
