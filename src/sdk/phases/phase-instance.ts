import type { Span } from '@opentelemetry/api';
import type { PhaseMemory } from './phase-stats.js';

/** One running (or finished) instance of a phase. Linked into the tracker's list of active instances. */
export class PhaseInstance {
  prev: PhaseInstance | null = null;
  next: PhaseInstance | null = null;
  ended = false;
  readonly peak: PhaseMemory;

  constructor(
    readonly name: string,
    readonly label: string,
    readonly parent: PhaseInstance | null,
    readonly startedAt: number,
    readonly wallStart: number,
    readonly start: PhaseMemory,
    readonly startMaxRss: number,
    readonly span: Span | undefined,
  ) {
    this.peak = { ...start };
  }

  /** Raises the peak with a reading taken while this instance runs. */
  observe(rss: number, heapUsed: number, external: number): void {
    const p = this.peak;
    if (rss > p.rss) p.rss = rss;
    if (heapUsed > p.heapUsed) p.heapUsed = heapUsed;
    if (external > p.external) p.external = external;
  }

  get depth(): number {
    let depth = 0;
    for (let p = this.parent; p !== null; p = p.parent) depth++;
    return depth;
  }

  /** Names from the outermost phase down to this one. */
  path(): string[] {
    const names: string[] = [this.label];
    for (let p = this.parent; p !== null; p = p.parent) names.unshift(p.label);
    return names;
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
