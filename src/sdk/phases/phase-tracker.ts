import type { WarnOnce } from '../../internal/warnings.js';
import { PHASE_OTHER } from '../semconv.js';
import { ActiveList, PhaseInstance } from './phase-instance.js';
import type { PhaseIntervals } from './phase-intervals.js';
import { truncateName, type PhaseNames } from './phase-names.js';
import type { PhaseSpans } from './phase-spans.js';
import type { PhaseMemory, PhaseStatsTable } from './phase-stats.js';

/** How a phase ended in failure: what was thrown, which may be anything, `undefined` included. */
export interface PhaseFailure {
  error: unknown;
}

/** Kinds of phase misuse, as the `memscope.phase.misuse` attribute names them. */
export type PhaseMisuse = 'not_started' | 'ended_twice' | 'name_overflow' | 'name_too_long' | 'too_many_active';

/** Every kind, for counters that start at zero (a dashboard shows 0, not "No data", and increase() sees the first). */
export const PHASE_MISUSE_KINDS: readonly PhaseMisuse[] = ['not_started', 'ended_twice', 'name_overflow', 'name_too_long', 'too_many_active'];

export interface PhaseTrackerDeps {
  names: PhaseNames;
  stats: PhaseStatsTable;
  warnings: WarnOnce;
  /**
   * Memory at a boundary at monotonic time `now` (a fresh read, or the latest sample when boundary snapshots are off),
   * with the kernel's RSS high-water mark (NaN when unknown).
   */
  boundary: (now: number) => { memory: PhaseMemory; maxRss: number };
  /** Monotonic milliseconds (performance.now()). */
  now: () => number;
  /** performance.timeOrigin: monotonic + timeOrigin = epoch milliseconds. */
  timeOrigin: number;
  intervals: PhaseIntervals;
  spans: PhaseSpans | undefined;
  maxActive: number;
  onMisuse?: (kind: PhaseMisuse) => void;
  onStart?: (label: string) => void;
  onEnd?: (label: string, durationMs: number, start: PhaseMemory, end: PhaseMemory, peak: PhaseMemory) => void;
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
 * hand-over of each completed instance to the statistics and metrics. Misuse never throws: it is warned about once
 * per kind and counted.
 */
export class PhaseTracker {
  private readonly active = new ActiveList();
  /** Open instances started through markPhaseStart, per name, most recent last. */
  private readonly marks = new Map<string, PhaseInstance[]>();
  /** The same open mark-started instances in start order: markPhaseStart() calls nest like a stack. */
  private readonly markOrder: PhaseInstance[] = [];
  private readonly warned = new Set<PhaseMisuse>();

  constructor(private readonly deps: PhaseTrackerDeps) {}

  /**
   * Starts an instance under `parent` — when the parent is still running; a finished one (an async context carried
   * past its phase, say by a loop scheduled from inside it) is no parent.
   */
  start(name: string, context: PhaseInstance | null): PhaseInstance | undefined {
    const parent = context !== null && !context.ended ? context : null;
    const d = this.deps;
    if (this.active.size >= d.maxActive) {
      this.misuse('too_many_active', name);
      return undefined;
    }
    const { label, overflow } = d.names.resolve(name);
    if (overflow) this.misuse('name_overflow', name);
    const span = d.spans?.start(label, parent?.span);
    const now = d.now();
    const at = d.boundary(now);
    const instance = new PhaseInstance(name, label, parent, now, d.timeOrigin + now, at.memory, at.maxRss, span);
    this.active.add(instance);
    d.stats.started(label, instance.parentLabel);
    d.onStart?.(label);
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
    const { memory: end, maxRss } = d.boundary(now);
    instance.observe(end.rss, end.heapUsed, end.external);
    // A new kernel high-water mark reached while this phase ran is a peak of this phase, even if no sample saw it.
    if (maxRss > instance.startMaxRss) instance.observe(maxRss, 0, 0);
    const peak = { ...instance.peak };
    d.stats.completed(instance.label, durationMs, instance.start, end, peak);
    d.intervals.add(instance.label, instance.wallStart, instance.wallStart + durationMs, instance.depth);
    if (instance.span !== undefined) d.spans?.end(instance.span, instance.start, end, peak, failure);
    d.onEnd?.(instance.label, durationMs, instance.start, end, peak);
  }

  /**
   * A mark nests under the phase() of the calling async context, or else under the innermost open mark — never under
   * a phase() that merely started last: in a service with overlapping requests that would be another request's.
   */
  markStart(name: string, parent: PhaseInstance | null): PhaseInstance | undefined {
    const instance = this.start(name, parent ?? this.markOrder.at(-1) ?? null);
    if (instance === undefined) return undefined;
    const open = this.marks.get(name);
    if (open === undefined) this.marks.set(name, [instance]);
    else open.push(instance);
    this.markOrder.push(instance);
    return instance;
  }

  markEnd(name: string): void {
    const open = this.marks.get(name);
    const instance = open?.pop();
    if (open?.length === 0) this.marks.delete(name);
    if (instance === undefined) {
      const label = this.deps.names.lookup(name);
      this.misuse(this.deps.stats.hasCompleted(label) && label !== PHASE_OTHER ? 'ended_twice' : 'not_started', name);
      return;
    }
    this.dropMark(instance);
    this.end(instance);
  }

  /** Ends a mark-started instance through its handle, keeping the per-name stacks consistent. */
  endMark(instance: PhaseInstance): void {
    const open = this.marks.get(instance.name);
    const at = open?.lastIndexOf(instance) ?? -1;
    if (open !== undefined && at >= 0) {
      open.splice(at, 1);
      if (open.length === 0) this.marks.delete(instance.name);
    }
    this.dropMark(instance);
    this.end(instance);
  }

  private dropMark(instance: PhaseInstance): void {
    const at = this.markOrder.lastIndexOf(instance);
    if (at >= 0) this.markOrder.splice(at, 1);
  }

  /** Raises the peak of every running instance with a sample. */
  observe(rss: number, heapUsed: number, external: number): void {
    this.active.forEach((p) => {
      p.observe(rss, heapUsed, external);
    });
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

  private misuse(kind: PhaseMisuse, name: string): void {
    // Warned once per kind; the message is built only then (misuse such as names past the cap repeats on every call),
    // with the name cut: a huge name would otherwise be copied into it.
    if (!this.warned.has(kind)) {
      this.warned.add(kind);
      this.deps.warnings.warn(`phase:${kind}`, 'MEMSCOPE_W_PHASE', `memscope: ${MISUSE_HINTS[kind]} (phase ${JSON.stringify(truncateName(name, 80))})`);
    }
    this.deps.onMisuse?.(kind);
  }
}
