import type { Span } from '@opentelemetry/api';
import type { PhaseMemory } from './phase-stats.js';

/**
 * One running (or finished) instance of a phase. Linked into the tracker's list of active instances.
 *
 * It keeps its parent's path as names, not a reference to the parent: an instance outliving its parent (overlapping
 * requests, a loop scheduled from inside a phase) would otherwise chain every earlier instance into memory.
 */
export class PhaseInstance {
  prev: PhaseInstance | null = null;
  next: PhaseInstance | null = null;
  ended = false;
  readonly peak: PhaseMemory;
  /** Names from the outermost phase down to this one. */
  readonly pathNames: readonly string[];

  constructor(
    readonly name: string,
    readonly label: string,
    parent: PhaseInstance | null,
    readonly startedAt: number,
    readonly wallStart: number,
    readonly start: PhaseMemory,
    readonly startMaxRss: number,
    readonly span: Span | undefined,
  ) {
    this.peak = { ...start };
    this.pathNames = parent === null ? [label] : [...parent.pathNames, label];
  }

  get parentLabel(): string | null {
    return this.pathNames.length > 1 ? (this.pathNames[this.pathNames.length - 2] ?? null) : null;
  }

  /** Raises the peak with a reading taken while this instance runs. */
  observe(rss: number, heapUsed: number, external: number): void {
    const p = this.peak;
    if (rss > p.rss) p.rss = rss;
    if (heapUsed > p.heapUsed) p.heapUsed = heapUsed;
    if (external > p.external) p.external = external;
  }

  get depth(): number {
    return this.pathNames.length - 1;
  }

  path(): string[] {
    return [...this.pathNames];
  }
}

/** Active instances in start order, O(1) insert and remove; `last` is the most recently started. */
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

  forEach(fn: (p: PhaseInstance) => void): void {
    for (let p = this.head; p !== null; p = p.next) fn(p);
  }
}
