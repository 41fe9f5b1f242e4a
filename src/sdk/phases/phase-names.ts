import { PHASE_OTHER } from '../semconv.js';

/**
 * Caps the distinct phase names memscope keeps. Label cardinality is the top cause of exporter memory growth in
 * prom-client's and OpenTelemetry's issue trackers: past `max` names, new names are folded into `other`, both in the
 * exported labels and in the phase statistics, so memory stays bounded whatever names callers invent.
 */
export class PhaseNames {
  private readonly known = new Set<string>();

  constructor(private readonly max: number) {}

  /** The label `name` is recorded under, and whether it overflowed the cap. */
  resolve(name: string): { label: string; overflow: boolean } {
    if (this.known.has(name)) return { label: name, overflow: false };
    if (this.known.size < this.max && name !== PHASE_OTHER) {
      this.known.add(name);
      return { label: name, overflow: false };
    }
    return { label: PHASE_OTHER, overflow: name !== PHASE_OTHER };
  }

  /** The label `name` would be recorded under, without registering it. */
  lookup(name: string): string {
    return this.known.has(name) ? name : PHASE_OTHER;
  }

  get size(): number {
    return this.known.size;
  }
}

/**
 * `text` cut to `max` UTF-16 code units, the last one `…` to show the cut; a surrogate pair is never split (a lone
 * surrogate is not valid UTF-8 in the exposition).
 */
export function truncateName(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
