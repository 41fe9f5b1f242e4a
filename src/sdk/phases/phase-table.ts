import { PHASE_OTHER } from '../semconv.js';
import { PhaseSlot, type PhaseStats } from './phase-stats.js';

/**
 * memscope's own bounded table of phases: one slot per label, found by one Map lookup per phase start.
 *
 * It caps the distinct phase names memscope keeps. Label cardinality is the top cause of exporter memory growth in
 * prom-client's and OpenTelemetry's issue trackers: past `max` names, new names are folded into `other`, both in the
 * exported labels and in the phase statistics, so memory stays bounded whatever names callers invent.
 */
export class PhaseTable {
  private readonly slots = new Map<string, PhaseSlot>();
  private other: PhaseSlot | undefined;
  /** Distinct names kept (the `other` slot not counted unless a phase is really called "other"). */
  private named = 0;

  /**
   * @param bounds Duration bucket bounds each slot keeps counts for, or undefined (OpenTelemetry aggregates them).
   * @param now Epoch milliseconds, read when a slot is created.
   */
  constructor(private readonly max: number, private readonly bounds: readonly number[] | undefined, private readonly now: () => number) {}

  /**
   * The slot `name` is recorded under: its own, or `other` past the cap. A caller tells an overflow by
   * `slot.label !== name` (a phase really named "other" shares that slot without overflowing).
   */
  resolve(name: string): PhaseSlot {
    const slot = this.slots.get(name);
    if (slot !== undefined) return slot;
    if (this.named < this.max && name !== PHASE_OTHER) {
      const created = new PhaseSlot(name, this.bounds, this.now());
      this.slots.set(name, created);
      this.named++;
      return created;
    }
    return this.otherSlot();
  }

  /** The label `name` would be recorded under, without registering it. */
  lookup(name: string): string {
    return this.slots.has(name) ? name : PHASE_OTHER;
  }

  /** Every slot that has seen a phase start, in first-start order (`other` where it first appeared). */
  forEach(fn: (slot: PhaseSlot) => void): void {
    for (const slot of this.slots.values()) fn(slot);
  }

  list(): PhaseStats[] {
    const out: PhaseStats[] = [];
    for (const slot of this.slots.values()) out.push(slot.toStats());
    return out;
  }

  get(name: string): PhaseStats | undefined {
    return this.slots.get(name)?.toStats();
  }

  hasCompleted(label: string): boolean {
    return (this.slots.get(label)?.count ?? 0) > 0;
  }

  /** Distinct names kept (at most `max`). */
  get size(): number {
    return this.named;
  }

  private otherSlot(): PhaseSlot {
    if (this.other === undefined) {
      this.other = new PhaseSlot(PHASE_OTHER, this.bounds, this.now());
      this.slots.set(PHASE_OTHER, this.other);
    }
    return this.other;
  }
}
