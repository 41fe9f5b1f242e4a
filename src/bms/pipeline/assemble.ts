import { getOnboardingConfig } from '../data/config.js';
import type { EquipmentModel, TaggedPoint } from './types.js';

/** Lets a long loop give the event loop a turn now and then; the default never does. */
export type Pause = () => Promise<void>;
const NO_PAUSE: Pause = () => Promise.resolve();
/** Points handled between two calls of `pause`: a fraction of a millisecond of work. */
const SLICE = 2048;

/** Keeps the last occurrence of each canonical point id; returns the points and how many duplicates were dropped. */
export async function deduplicate(points: readonly TaggedPoint[], pause: Pause = NO_PAUSE): Promise<{ points: TaggedPoint[]; removed: number }> {
  const byId = new Map<string, TaggedPoint>();
  let i = 0;
  for (const p of points) {
    byId.set(p.id, p);
    if (++i % SLICE === 0) await pause();
  }
  return { points: [...byId.values()], removed: points.length - byId.size };
}

/** Groups points into the equipment model: one entry per equipment, with its class tags and its points. */
export async function assemble(points: readonly TaggedPoint[], pause: Pause = NO_PAUSE): Promise<EquipmentModel[]> {
  const config = getOnboardingConfig();
  const byRef = new Map<string, EquipmentModel>();
  let i = 0;
  for (const p of points) {
    let equip = byRef.get(p.equipRef);
    if (equip === undefined) {
      const template = p.equipClass === 'unknown' ? undefined : config.byClass.get(p.equipClass);
      equip = { id: p.equipRef, site: p.site, equipClass: p.equipClass, tags: [...(template?.tags ?? ['equip']), `siteRef:${p.site}`], points: [] };
      byRef.set(p.equipRef, equip);
    }
    equip.points.push({ id: p.id, kind: p.kind, tags: p.tags, value: p.value, unit: p.unit });
    if (++i % SLICE === 0) await pause();
  }
  return [...byRef.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
