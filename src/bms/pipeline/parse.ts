import type { RawPoint } from '../data/generator.js';
import type { ParsedPoint } from './types.js';

const EQUIP_TOKEN = /^[A-Za-z]+[-_]?\d+(?:-\d+)*$/;

/**
 * Splits each point name into site, equipment and point parts, whichever of the export conventions it follows:
 * SITE1.AHU-01.SA-T, SITE1/B2/AHU_01/SAT, SITE1:L3:VAV-3-12:ZN-T, site1_ahu01_sa_t. Names that fit none come back
 * as null and are reported by validation.
 */
export function parsePoint(raw: RawPoint): ParsedPoint | null {
  const name = raw.name.trim();
  let parts: string[];
  if (name.includes('/')) parts = name.split('/');
  else if (name.includes(':')) parts = name.split(':');
  else if (name.includes('.')) parts = name.split('.');
  else {
    // underscored: site_equip_point_with_underscores
    const [site, equip, ...rest] = name.split('_');
    if (site === undefined || equip === undefined || rest.length === 0) return null;
    parts = [site, equip, rest.join('-')];
  }
  const site = parts[0];
  const point = parts.at(-1);
  if (parts.length < 3 || parts.some((p) => p === '') || site === undefined || point === undefined) return null;
  // The equipment is the last middle segment that looks like PREFIX-NN (buildings and floors come before it).
  const equip = parts.slice(1, -1).findLast((part) => EQUIP_TOKEN.test(part));
  if (equip === undefined) return null;
  return { raw, site, equip, point };
}

export function parseBatch(batch: readonly RawPoint[], onUnparseable: (raw: RawPoint) => void): ParsedPoint[] {
  const out: ParsedPoint[] = [];
  for (const raw of batch) {
    const parsed = parsePoint(raw);
    if (parsed === null) onUnparseable(raw);
    else out.push(parsed);
  }
  return out;
}
