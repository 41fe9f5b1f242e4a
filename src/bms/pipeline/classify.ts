import { compact, getOnboardingConfig } from '../data/config.js';
import type { PointKind } from '../data/equipment.js';
import type { NormalizedPoint, TaggedPoint } from './types.js';

/** Heuristics for points no template knows, in the order they are tried (first match wins). */
const HEURISTICS: ReadonlyArray<{ pattern: RegExp; kind: PointKind; tags: string[] }> = [
  { pattern: /(^|-)(T|TEMP)-?SP$|TSP$/, kind: 'sp', tags: ['temp'] },
  { pattern: /(^|-)SP$|SETPOINT/, kind: 'sp', tags: [] },
  { pattern: /(^|-)(T|TEMP)$/, kind: 'sensor', tags: ['temp'] },
  { pattern: /HUM|RH$/, kind: 'sensor', tags: ['humidity'] },
  { pattern: /CO2/, kind: 'sensor', tags: ['co2'] },
  { pattern: /(^|-)(P|PRESS)$/, kind: 'sensor', tags: ['pressure'] },
  { pattern: /(^|-)(C|CMD)$|POS$/, kind: 'cmd', tags: [] },
  { pattern: /(^|-)(S|STS|STATUS)$/, kind: 'sensor', tags: ['run'] },
  { pattern: /FLOW|(^|-)F$/, kind: 'sensor', tags: ['flow'] },
  { pattern: /KWH|ENERGY/, kind: 'sensor', tags: ['elec', 'energy'] },
  { pattern: /KW|PWR|POWER/, kind: 'sensor', tags: ['elec', 'power'] },
];

/** Haystack-style tagging: the point's kind and marker tags, its equipment class, and the refs. */
export function classifyPoint(p: NormalizedPoint): TaggedPoint {
  const config = getOnboardingConfig();
  const equip = config.equipAliases.get(p.equipPrefix);
  const template = equip === undefined ? undefined : config.pointAliases.get(equip.cls)?.get(compact(p.pointCode));
  let kind: TaggedPoint['kind'] = 'unknown';
  const tags = new Set<string>(['point']);
  if (template !== undefined) {
    kind = template.kind;
    for (const t of template.tags) tags.add(t);
  } else {
    for (const h of HEURISTICS) {
      if (h.pattern.test(p.pointCode)) {
        kind = h.kind;
        for (const t of h.tags) tags.add(t);
        break;
      }
    }
  }
  if (kind !== 'unknown') tags.add(kind);
  if (p.unit === '°C' || p.unit === '°F') tags.add('temp');
  if (p.value !== null) tags.add('cur');
  tags.add(`siteRef:${p.site}`);
  tags.add(`equipRef:${p.equipRef}`);
  return { ...p, equipClass: equip?.cls ?? 'unknown', kind, tags: [...tags], template };
}

export function classifyBatch(batch: readonly NormalizedPoint[]): TaggedPoint[] {
  return batch.map(classifyPoint);
}
