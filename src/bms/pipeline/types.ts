import type { EquipClass, PointKind, PointTemplate } from '../data/equipment.js';
import type { RawPoint } from '../data/generator.js';

/** A raw point split into the parts of its name. */
export interface ParsedPoint {
  raw: RawPoint;
  site: string;
  equip: string;
  point: string;
}

/** A point with a canonical name (SITE1.AHU-01.SA-T), a numeric value and a canonical unit. */
export interface NormalizedPoint {
  id: string;
  sourceName: string;
  site: string;
  equipRef: string;
  equipPrefix: string;
  pointCode: string;
  value: number | null;
  unit: string;
  unitKnown: boolean;
  description: string;
}

/** A point classified with Haystack-style tags and the class of its equipment. */
export interface TaggedPoint extends NormalizedPoint {
  equipClass: EquipClass | 'unknown';
  kind: PointKind | 'unknown';
  tags: string[];
  template: PointTemplate | undefined;
}

export type IssueCode = 'unparseable_name' | 'unknown_equipment' | 'unknown_point' | 'missing_value' | 'out_of_range' | 'unit_mismatch' | 'unknown_unit';

export interface ValidationIssue {
  point: string;
  code: IssueCode;
  message: string;
}

export interface EquipmentModel {
  id: string;
  site: string;
  equipClass: EquipClass | 'unknown';
  tags: string[];
  points: Array<{ id: string; kind: TaggedPoint['kind']; tags: string[]; value: number | null; unit: string }>;
}

export interface OnboardingResult {
  pointsReceived: number;
  pointsAccepted: number;
  pointsRejected: number;
  duplicatesRemoved: number;
  sites: string[];
  equipmentCount: number;
  byEquipClass: Record<string, number>;
  byPointKind: Record<string, number>;
  issueCounts: Partial<Record<IssueCode, number>>;
  /** The first issues found (capped: a bad export must not make the result unbounded). */
  issues: ValidationIssue[];
  equipment: EquipmentModel[];
}
