import { getOnboardingConfig } from '../data/config.js';
import type { EquipmentModel, TaggedPoint } from './types.js';

/** Keeps the last occurrence of each canonical point id; returns the points and how many duplicates were dropped. */
export function deduplicate(points: readonly TaggedPoint[]): { points: TaggedPoint[]; removed: number } {
  const byId = new Map<string, TaggedPoint>();
  for (const p of points) byId.set(p.id, p);
  return { points: [...byId.values()], removed: points.length - byId.size };
}

/** Groups points into the equipment model: one entry per equipment, with its class tags and its points. */
export function assemble(points: readonly TaggedPoint[]): EquipmentModel[] {
  const config = getOnboardingConfig();
  const byRef = new Map<string, EquipmentModel>();
  for (const p of points) {
    let equip = byRef.get(p.equipRef);
    if (equip === undefined) {
      const template = p.equipClass === 'unknown' ? undefined : config.byClass.get(p.equipClass);
      equip = { id: p.equipRef, site: p.site, equipClass: p.equipClass, tags: [...(template?.tags ?? ['equip']), `siteRef:${p.site}`], points: [] };
      byRef.set(p.equipRef, equip);
    }
    equip.points.push({ id: p.id, kind: p.kind, tags: p.tags, value: p.value, unit: p.unit });
  }
  return [...byRef.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
