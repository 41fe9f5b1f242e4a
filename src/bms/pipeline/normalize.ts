import { compact, getOnboardingConfig } from '../data/config.js';
import type { NormalizedPoint, ParsedPoint } from './types.js';

const EQUIP_PARTS = /^([A-Za-z]+)[-_]?(\d+(?:-\d+)*)$/;

/** Canonical names (SITE1.AHU-01.SA-T), numbers for values, canonical units. */
export function normalizePoint(p: ParsedPoint): NormalizedPoint {
  const config = getOnboardingConfig();
  const site = p.site.toUpperCase();
  // parse() only passes equipment tokens this pattern matches; the fallbacks keep a surprise from throwing.
  const m = EQUIP_PARTS.exec(p.equip);
  const prefixToken = (m?.[1] ?? p.equip).toUpperCase();
  const equip = config.equipAliases.get(prefixToken);
  const equipPrefix = equip?.prefix ?? prefixToken;
  const number = (m?.[2] ?? '0').split('-').map((n) => n.padStart(2, '0')).join('-');
  const equipRef = `${site}.${equipPrefix}-${number}`;
  const pointToken = p.point.toUpperCase().replace(/_/g, '-');
  const template = equip === undefined ? undefined : config.pointAliases.get(equip.cls)?.get(compact(pointToken));
  const pointCode = template?.code ?? pointToken;
  const unitKey = p.raw.units.trim().toLowerCase();
  const unit = config.unitAliases.get(unitKey);
  return {
    id: `${equipRef}.${pointCode}`,
    sourceName: p.raw.name,
    site,
    equipRef,
    equipPrefix,
    pointCode,
    value: toNumber(p.raw.value),
    unit: unit ?? p.raw.units.trim(),
    unitKnown: unit !== undefined,
    description: p.raw.description.trim(),
  };
}

function toNumber(value: number | string | null): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null) return null;
  const text = value.trim().toLowerCase();
  if (text === 'on' || text === 'true' || text === 'active') return 1;
  if (text === 'off' || text === 'false' || text === 'inactive') return 0;
  const n = Number(text.replace(',', '.'));
  return text === '' || !Number.isFinite(n) ? null : n;
}

export function normalizeBatch(batch: readonly ParsedPoint[]): NormalizedPoint[] {
  return batch.map(normalizePoint);
}
