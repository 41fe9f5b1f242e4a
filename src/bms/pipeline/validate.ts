import type { IssueCode, TaggedPoint, ValidationIssue } from './types.js';

/** Collects validation issues: counts every one, keeps the first `cap` in full. */
export class IssueLog {
  readonly counts: Partial<Record<IssueCode, number>> = {};
  readonly kept: ValidationIssue[] = [];
  rejected = 0;

  constructor(private readonly cap = 200) {}

  add(point: string, code: IssueCode, message: string): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    if (this.kept.length < this.cap) this.kept.push({ point, code, message });
  }
}

/**
 * Checks each point against its template: equipment and point known, a value present and in range, the unit the
 * template expects. A point without a value, of unknown equipment or out of range is rejected; unit problems and
 * unknown point types are reported but the point is kept (the onboarding engineer decides).
 */
export function validateBatch(batch: readonly TaggedPoint[], issues: IssueLog): TaggedPoint[] {
  const accepted: TaggedPoint[] = [];
  for (const p of batch) {
    let reject = false;
    if (p.equipClass === 'unknown') {
      issues.add(p.sourceName, 'unknown_equipment', `equipment "${p.equipPrefix}" is not a known equipment type`);
      reject = true;
    } else if (p.template === undefined) {
      issues.add(p.sourceName, 'unknown_point', `"${p.pointCode}" is not a known ${p.equipClass} point`);
    }
    if (p.value === null) {
      issues.add(p.sourceName, 'missing_value', 'the point has no numeric present value');
      reject = true;
    } else if (p.template !== undefined && (p.value < p.template.min || p.value > p.template.max)) {
      issues.add(p.sourceName, 'out_of_range', `value ${p.value} is outside ${p.template.min}..${p.template.max} ${p.template.unit}`);
      reject = true;
    }
    if (!p.unitKnown) issues.add(p.sourceName, 'unknown_unit', `unit "${p.unit}" is not recognized`);
    else if (p.template !== undefined && p.unit !== p.template.unit) {
      issues.add(p.sourceName, 'unit_mismatch', `unit "${p.unit}" where ${p.template.unit || 'no unit'} is expected`);
    }
    if (reject) issues.rejected++;
    else accepted.push(p);
  }
  return accepted;
}
