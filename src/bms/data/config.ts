import { EQUIPMENT, type EquipClass, type EquipTemplate, type PointTemplate } from './equipment.js';

/** How real BMS exports spell the same point: SITE1.AHU-01.SA-T, SITE1/B2/AHU_01/SAT, SITE1:L3:VAV-3-12:ZN-T ... */
export type NamingPattern = 'dotted' | 'slashed' | 'colon-floor' | 'underscored';

export interface OnboardingConfig {
  equipment: readonly EquipTemplate[];
  byClass: ReadonlyMap<EquipClass, EquipTemplate>;
  /** Upper-cased equipment prefix or alias -> template. */
  equipAliases: ReadonlyMap<string, EquipTemplate>;
  /** Per class: compact point code or alias (upper case, no - or _) -> template. */
  pointAliases: ReadonlyMap<EquipClass, ReadonlyMap<string, PointTemplate>>;
  /** Unit spellings seen in exports -> canonical unit. */
  unitAliases: ReadonlyMap<string, string>;
  defaultMix: Readonly<Record<EquipClass, number>>;
  namingPatterns: readonly NamingPattern[];
}

const UNIT_ALIASES: ReadonlyArray<[string, string]> = [
  ['°c', '°C'], ['degc', '°C'], ['deg c', '°C'], ['c', '°C'], ['celsius', '°C'],
  ['°f', '°F'], ['degf', '°F'], ['deg f', '°F'], ['f', '°F'],
  ['pa', 'Pa'], ['kpa', 'kPa'], ['inwc', 'inH₂O'], ['in wc', 'inH₂O'],
  ['%', '%'], ['pct', '%'], ['percent', '%'],
  ['l/s', 'L/s'], ['lps', 'L/s'], ['cfm', 'cfm'],
  ['kw', 'kW'], ['kwh', 'kWh'], ['v', 'V'], ['volts', 'V'], ['a', 'A'], ['amps', 'A'],
  ['m3/h', 'm³/h'], ['m³/h', 'm³/h'], ['', ''], ['on/off', ''], ['bool', ''],
];

let cached: OnboardingConfig | undefined;

/** The form point codes are compared in: SA-T, SA_T, sat and SAT are one point. */
export function compact(code: string): string {
  return code.toUpperCase().replace(/[-_ ]/g, '');
}

/**
 * The onboarding configuration: equipment templates and the lookup tables built from them. Built once and cached —
 * as the original framework cached its configuration — because every job and every generated point consults it.
 */
export function getOnboardingConfig(): OnboardingConfig {
  if (cached !== undefined) return cached;
  const equipAliases = new Map<string, EquipTemplate>();
  const pointAliases = new Map<EquipClass, Map<string, PointTemplate>>();
  for (const equip of EQUIPMENT) {
    for (const alias of [equip.prefix, ...equip.aliases]) equipAliases.set(alias.replace(/_$/, '').toUpperCase(), equip);
    const points = new Map<string, PointTemplate>();
    for (const point of equip.points) {
      for (const alias of [point.code, ...point.aliases]) points.set(compact(alias), point);
    }
    pointAliases.set(equip.cls, points);
  }
  cached = {
    equipment: EQUIPMENT,
    byClass: new Map(EQUIPMENT.map((e) => [e.cls, e])),
    equipAliases,
    pointAliases,
    unitAliases: new Map(UNIT_ALIASES),
    defaultMix: { ahu: 0.15, vav: 0.45, fcu: 0.2, chiller: 0.05, boiler: 0.05, meter: 0.1 },
    namingPatterns: ['dotted', 'slashed', 'colon-floor', 'underscored'],
  };
  return cached;
}
