import type { WarnOnce } from '../../internal/warnings.js';
import { PHASE_OTHER } from '../semconv.js';
import { ActiveList, PhaseInstance, type MarkEnder } from './phase-instance.js';
import type { PhaseIntervals } from './phase-intervals.js';
import { truncateName } from './phase-names.js';
import type { PhaseSpans } from './phase-spans.js';
import type { PhaseSlot } from './phase-stats.js';
import type { PhaseTable } from './phase-table.js';

/** How a phase ended in failure: what was thrown, which may be anything, `undefined` included. */
export interface PhaseFailure {
  error: unknown;
}

/** Kinds of phase misuse, as the `memscope.phase.misuse` attribute names them. */
export type PhaseMisuse = 'not_started' | 'ended_twice' | 'name_overflow' | 'name_too_long' | 'too_many_active';

/** Every kind, for counters that start at zero (a dashboard shows 0, not "No data", and increase() sees the first). */
export const PHASE_MISUSE_KINDS: readonly PhaseMisuse[] = ['not_started', 'ended_twice', 'name_overflow', 'name_too_long', 'too_many_active'];

/** Memory at a phase boundary, filled in place by the profiler (one object, reused: a boundary allocates nothing). */
export interface BoundaryReading {
  rss: number;
  heapUsed: number;
  external: number;
  /** The kernel's RSS high-water mark, NaN when unknown. */
  maxRss: number;
}

export interface PhaseTrackerDeps {
  table: PhaseTable;
  warnings: WarnOnce;
  /**
   * Fills `out` with memory at a boundary at monotonic time `now`: a fresh read, or the latest sample when boundary
   * snapshots are off.
   */
  boundary: (now: number, out: BoundaryReading) => void;
  /** Monotonic milliseconds (performance.now()). */
  now: () => number;
  /** performance.timeOrigin: monotonic + timeOrigin = epoch milliseconds. */
  timeOrigin: number;
  intervals: PhaseIntervals;
  spans: PhaseSpans | undefined;
  maxActive: number;
  /** Called with every completed instance's slot and duration (a Meter's histogram records it here). */
  onEnd?: (slot: PhaseSlot, durationMs: number) => void;
}

const MISUSE_HINTS: Record<PhaseMisuse, string> = {
  not_started: 'markPhaseEnd() was called for a phase that is not running',
  ended_twice: 'a phase was ended twice',
  name_overflow: 'more distinct phase names than maxPhaseNames; the rest are recorded as phase="other"',
  name_too_long: 'a phase name longer than maxPhaseNameLength was cut to it',
  too_many_active: 'more phases running at once than maxActivePhases (phases started but never ended?); new ones are not tracked',
};

/**
 * Tracks running phases: their start figures, their peaks (raised by every sample taken while they run) and the
 * hand-over of each completed instance to its slot in the table. Nothing here records on OpenTelemetry: the metrics
 * layer reads the table at collection time. Misuse never throws: it is warned about once per kind and counted.
 */
export class PhaseTracker {
  private readonly active = new ActiveList();
  /** The most recent open mark-started instance per name; older ones hang off it (`olderSameName`). */
  private readonly marks = new Map<string, PhaseInstance>();
  /** The innermost open mark: markPhaseStart() calls nest like a stack (linked through the instances). */
  private markTop: PhaseInstance | null = null;
  private readonly warned = new Set<PhaseMisuse>();
  private readonly reading: BoundaryReading = { rss: 0, heapUsed: 0, external: 0, maxRss: Number.NaN };
  /** Misuse counts by kind, zero-initialised: the metrics layer observes them. */
  readonly misuseCounts: Record<PhaseMisuse, number> = { not_started: 0, ended_twice: 0, name_overflow: 0, name_too_long: 0, too_many_active: 0 };

  constructor(private readonly deps: PhaseTrackerDeps) {}

  /**
   * Starts an instance under `parent` — when the parent is still running; a finished one (an async context carried
   * past its phase, say by a loop scheduled from inside it) is no parent.
   */
  start(name: string, context: PhaseInstance | null, ender?: MarkEnder): PhaseInstance | undefined {
    const parent = context !== null && !context.ended ? context : null;
    const d = this.deps;
    if (this.active.size >= d.maxActive) {
      this.misuse('too_many_active', name);
      return undefined;
    }
    const slot = d.table.resolve(name);
    if (slot.label !== name) this.misuse('name_overflow', name);
    const span = d.spans?.start(slot.label, parent?.span);
    const now = d.now();
    const r = this.reading;
    d.boundary(now, r);
    const instance = new PhaseInstance(name, slot, parent, now, d.timeOrigin + now, r.rss, r.heapUsed, r.external, r.maxRss, span, ender);
    this.active.add(instance);
    slot.active++;
    slot.parent = parent === null ? null : parent.slot.label;
    return instance;
  }

  end(instance: PhaseInstance, failure?: PhaseFailure): void {
    const d = this.deps;
    if (instance.ended) {
      this.misuse('ended_twice', instance.name);
      return;
    }
    instance.ended = true;
    this.active.remove(instance);
    const now = d.now();
    const durationMs = Math.max(0, now - instance.startedAt);
    const r = this.reading;
    d.boundary(now, r);
    instance.observe(r.rss, r.heapUsed, r.external);
    // A new kernel high-water mark reached while this phase ran is a peak of this phase, even if no sample saw it.
    if (r.maxRss > instance.startMaxRss) instance.observe(r.maxRss, 0, 0);
    const slot = instance.slot;
    slot.completed(durationMs, instance, r.rss, r.heapUsed, r.external);
    d.intervals.add(slot.label, instance.wallStart, instance.wallStart + durationMs, instance.depth);
    if (instance.span !== undefined) this.endSpan(instance, instance.span, r, failure);
    d.onEnd?.(slot, durationMs);
  }

  /**
   * A mark nests under the phase() of the calling async context, or else under the innermost open mark — never under
   * a phase() that merely started last: in a service with overlapping requests that would be another request's.
   */
  markStart(name: string, parent: PhaseInstance | null, ender: MarkEnder): PhaseInstance | undefined {
    const instance = this.start(name, parent ?? this.markTop, ender);
    if (instance === undefined) return undefined;
    instance.marked = true;
    instance.olderSameName = this.marks.get(name) ?? null;
    this.marks.set(name, instance);
    instance.markBelow = this.markTop;
    if (this.markTop !== null) this.markTop.markAbove = instance;
    this.markTop = instance;
    return instance;
  }

  markEnd(name: string): void {
    const instance = this.marks.get(name);
    if (instance === undefined) {
      const label = this.deps.table.lookup(name);
      this.misuse(this.deps.table.hasCompleted(label) && label !== PHASE_OTHER ? 'ended_twice' : 'not_started', name);
      return;
    }
    this.dropMark(instance);
    this.end(instance);
  }

  /** Ends a mark-started instance through its handle, keeping the per-name chains consistent. */
  endMark(instance: PhaseInstance): void {
    if (instance.marked) this.dropMark(instance);
    this.end(instance);
  }

  private dropMark(instance: PhaseInstance): void {
    instance.marked = false;
    // Out of its name's chain (usually the newest of its name: one Map write).
    const newest = this.marks.get(instance.name);
    if (newest === instance) {
      if (instance.olderSameName === null) this.marks.delete(instance.name);
      else this.marks.set(instance.name, instance.olderSameName);
    } else {
      for (let p: PhaseInstance | null = newest ?? null; p !== null; p = p.olderSameName) {
        if (p.olderSameName === instance) {
          p.olderSameName = instance.olderSameName;
          break;
        }
      }
    }
    instance.olderSameName = null;
    // Out of the mark stack.
    const below = instance.markBelow;
    const above = instance.markAbove;
    if (above === null) this.markTop = below;
    else above.markBelow = below;
    if (below !== null) below.markAbove = above;
    instance.markBelow = instance.markAbove = null;
  }

  /** Raises the peak of every running instance with a sample. */
  observe(rss: number, heapUsed: number, external: number): void {
    this.active.observe(rss, heapUsed, external);
  }

  /** The most recently started running phase (the timeline's phase label). */
  latest(): PhaseInstance | null {
    return this.active.last;
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Warns about `kind` once and counts it (misuse found by the caller, such as a name too long). */
  reportMisuse(kind: PhaseMisuse, name: string): void {
    this.misuse(kind, name);
  }

  private endSpan(instance: PhaseInstance, span: NonNullable<PhaseInstance['span']>, r: BoundaryReading, failure: PhaseFailure | undefined): void {
    const start = { rss: instance.startRss, heapUsed: instance.startHeapUsed, external: instance.startExternal };
    const end = { rss: r.rss, heapUsed: r.heapUsed, external: r.external };
    const peak = { rss: instance.peakRss, heapUsed: instance.peakHeapUsed, external: instance.peakExternal };
    this.deps.spans?.end(span, start, end, peak, failure);
  }

  private misuse(kind: PhaseMisuse, name: string): void {
    this.misuseCounts[kind]++;
    // Warned once per kind; the message is built only then (misuse such as names past the cap repeats on every call),
    // with the name cut: a huge name would otherwise be copied into it.
    if (!this.warned.has(kind)) {
      this.warned.add(kind);
      this.deps.warnings.warn(`phase:${kind}`, 'MEMSCOPE_W_PHASE', `memscope: ${MISUSE_HINTS[kind]} (phase ${JSON.stringify(truncateName(name, 80))})`);
    }
  }
}
