/**
 * Realistic onboarding jobs for the BMS service: the point lists a building-management system exports when a site is
 * brought onto a platform — air-handling units, VAV boxes, fan coils, chillers, boilers and meters — written the ways
 * real exports write them. Each site follows one naming convention (SITE1.AHU-01.SA-T, SITE1/B1/AHU_01/SAT,
 * SITE1:L3:VAV-3-01:ZN-T, site1_ahu01_sa_t); a share of its points use another spelling of the point or the unit,
 * some are listed twice and a few carry an unreadable value: what the service's parser, classifier and validator
 * are for. Deterministic for a seed, so a failing run can be replayed.
 *
 * Self-contained (no imports): the k6 scripts bundle it and `memscope stress` loads it from dist/, so both send the
 * very same jobs for the same seeds.
 */

export interface OnboardingPoint {
  readonly name: string;
  /** A number, or the text an export shows for a point it could not read ("n/a", "#ERR"). */
  readonly value: number | string;
  readonly units: string;
  readonly description: string;
}

export interface OnboardingJob {
  readonly site: string;
  readonly points: readonly OnboardingPoint[];
}

export type NamingConvention = 'dotted' | 'slashed' | 'colon-floor' | 'underscored';

interface PointTemplate {
  readonly code: string;
  readonly description: string;
  readonly units: string;
  readonly min: number;
  readonly max: number;
  /** Another way sites spell the same point ("SAT" for SA-T, "Sup Air Tmp"). */
  readonly alias: string;
  readonly aliasDescription: string;
}

const t = (code: string, description: string, units: string, min: number, max: number, alias: string, aliasDescription: string): PointTemplate =>
  ({ code, description, units, min, max, alias, aliasDescription });

/** Binary points (status, command): 0 or 1. */
const ON_OFF = 'On/Off';
const C = '°C';

interface EquipmentType {
  readonly prefix: string;
  /** Per building. */
  readonly count: number;
  /** VAV boxes and fan coils are numbered per floor (VAV-3-01), eight to a floor. */
  readonly perFloor: boolean;
  readonly points: readonly PointTemplate[];
}

/** One building: 4 AHUs, 64 VAV boxes, 16 fan coils, 2 chillers, 2 boilers, 3 meters — about 600 points. */
const BUILDING: readonly EquipmentType[] = [
  {
    prefix: 'AHU', count: 4, perFloor: false, points: [
      t('SA-T', 'Supply Air Temperature', C, 12, 18, 'SAT', 'Sup Air Tmp'),
      t('RA-T', 'Return Air Temperature', C, 20, 25, 'RAT', 'Ret Air Tmp'),
      t('MA-T', 'Mixed Air Temperature', C, 14, 22, 'MAT', 'Mix Air Tmp'),
      t('OA-T', 'Outside Air Temperature', C, -5, 35, 'OAT', 'OA Tmp'),
      t('SA-P', 'Duct Static Pressure', 'Pa', 200, 500, 'DSP', 'Duct Static'),
      t('SF-S', 'Supply Fan Status', ON_OFF, 0, 1, 'SFS', 'SF Run Sts'),
      t('SF-C', 'Supply Fan Command', ON_OFF, 0, 1, 'SFC', 'SF Cmd'),
      t('CHW-V', 'Chilled Water Valve Command', '%', 0, 100, 'CLG-VLV', 'Clg Vlv'),
      t('OAD-C', 'Outside Air Damper Command', '%', 10, 100, 'OA-DMPR', 'OA Dmpr Cmd'),
      t('SA-F', 'Supply Airflow', 'L/s', 2000, 15000, 'SAF', 'SA Flow'),
    ],
  },
  {
    prefix: 'VAV', count: 64, perFloor: true, points: [
      t('ZN-T', 'Zone Temperature', C, 19, 26, 'ZNT', 'Space Temp'),
      t('ZN-TSP', 'Zone Temperature Setpoint', C, 20, 24, 'RM-SP', 'Space Tmp Stpt'),
      t('DMP-C', 'Damper Command', '%', 0, 100, 'DPR-CMD', 'Dmpr Pos'),
      t('AF', 'Airflow', 'L/s', 40, 600, 'FLOW', 'Air Flow'),
      t('RH-V', 'Reheat Valve Command', '%', 0, 100, 'HTG-VLV', 'Reheat Vlv'),
    ],
  },
  {
    prefix: 'FCU', count: 16, perFloor: true, points: [
      t('ZN-T', 'Zone Temperature', C, 19, 26, 'RM-T', 'Room Temp'),
      t('FAN-S', 'Fan Status', ON_OFF, 0, 1, 'FANS', 'Fan Sts'),
      t('CHW-V', 'Chilled Water Valve Command', '%', 0, 100, 'CHWV', 'Clg Vlv'),
    ],
  },
  {
    prefix: 'CH', count: 2, perFloor: false, points: [
      t('CHWS-T', 'Chilled Water Supply Temperature', C, 5, 8, 'CHWST', 'CHW Sup Tmp'),
      t('CHWR-T', 'Chilled Water Return Temperature', C, 10, 14, 'CHWRT', 'CHW Ret Tmp'),
      t('KW', 'Chiller Power', 'kW', 50, 400, 'PWR', 'Chlr kW'),
      t('LOAD', 'Chiller Load', '%', 10, 100, 'PCT-LOAD', 'Pct Load'),
      t('STS', 'Chiller Run Status', ON_OFF, 0, 1, 'RUN-STS', 'Chlr Run'),
    ],
  },
  {
    prefix: 'BLR', count: 2, perFloor: false, points: [
      t('HWS-T', 'Hot Water Supply Temperature', C, 60, 82, 'HWST', 'HW Sup Tmp'),
      t('HWR-T', 'Hot Water Return Temperature', C, 45, 70, 'HWRT', 'HW Ret Tmp'),
      t('STS', 'Boiler Firing Status', ON_OFF, 0, 1, 'FIRE-STS', 'Blr Run'),
    ],
  },
  {
    prefix: 'MTR', count: 3, perFloor: false, points: [
      t('KW', 'Active Power', 'kW', 20, 900, 'KW-DEMAND', 'Demand kW'),
      t('KWH', 'Active Energy', 'kWh', 1e5, 9e6, 'ENERGY', 'kWh Total'),
      t('V', 'Voltage', 'V', 220, 245, 'VOLTS', 'Volts L-N'),
      t('PF', 'Power Factor', '', 0.8, 1, 'POWER-FACTOR', 'P.F.'),
    ],
  },
];

const PER_FLOOR = 8;
const FLOORS_PER_BUILDING = Math.max(...BUILDING.map((e) => (e.perFloor ? Math.ceil(e.count / PER_FLOOR) : 1)));

/** Equipment slots of one building, in export order. */
const SLOTS: ReadonlyArray<{ readonly type: EquipmentType; readonly n: number }> = BUILDING.flatMap((type) =>
  Array.from({ length: type.count }, (_, i) => ({ type, n: i + 1 })),
);

/** How often each convention is met: most exports are dotted, the rest split between the other three. */
const CONVENTIONS: ReadonlyArray<readonly [NamingConvention, number]> = [['dotted', 0.55], ['slashed', 0.15], ['colon-floor', 0.15], ['underscored', 0.15]];
/** Share of points written with the site's own spelling of the point code. */
const ALIAS_SHARE = 0.2;
/** Share of temperatures whose unit is spelled `degC` or `DEG C` rather than `°C`. */
const UNIT_VARIANT_SHARE = 0.3;
/** Share of points listed twice (exports often repeat a point). */
const DUPLICATE_SHARE = 0.02;
/** Share of points whose value the export could not read. */
const UNREADABLE_SHARE = 0.01;

/** mulberry32: a small, fast, seedable PRNG; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** The naming convention of the site a job with this seed comes from. */
export function namingConventionOf(seed: number): NamingConvention {
  let r = seededRandom(seed ^ 0x5bd1e995)();
  for (const [convention, share] of CONVENTIONS) {
    r -= share;
    if (r < 0) return convention;
  }
  return 'dotted';
}

/**
 * One site's export: `count` points (at least 1), starting at a random piece of equipment, as sites send their
 * points in batches; past one building's worth the export continues into the next building.
 */
export function createOnboardingJob(seed: number, count: number): OnboardingJob {
  const random = seededRandom(seed);
  const siteNumber = 1 + Math.floor(random() * 9);
  const convention = namingConventionOf(seed);
  const size = Math.max(1, Math.floor(count));
  const points: OnboardingPoint[] = [];
  for (let slot = Math.floor(random() * SLOTS.length); points.length < size; slot++) {
    const { type, n } = SLOTS[slot % SLOTS.length] as (typeof SLOTS)[number];
    const building = 1 + Math.floor(slot / SLOTS.length);
    const equipment = equipmentName(type, n, building);
    for (const template of type.points) {
      if (points.length >= size) break;
      const repeated = points.length > 0 && random() < DUPLICATE_SHARE ? points[Math.floor(random() * points.length)] : undefined;
      points.push(repeated ?? point(random, convention, siteNumber, equipment, template));
    }
  }
  return { site: `SITE${siteNumber}`, points };
}

interface EquipmentName {
  readonly prefix: string;
  /** `01`, or `3-01` for per-floor equipment. */
  readonly number: string;
  readonly building: number;
  readonly floor: number;
}

function equipmentName(type: EquipmentType, n: number, building: number): EquipmentName {
  if (!type.perFloor) {
    const number = (building - 1) * type.count + n;
    return { prefix: type.prefix, number: pad(number), building, floor: 1 };
  }
  const floor = (building - 1) * FLOORS_PER_BUILDING + 1 + Math.floor((n - 1) / PER_FLOOR);
  return { prefix: type.prefix, number: `${floor}-${pad(((n - 1) % PER_FLOOR) + 1)}`, building, floor };
}

function point(random: () => number, convention: NamingConvention, site: number, equipment: EquipmentName, template: PointTemplate): OnboardingPoint {
  const alias = random() < ALIAS_SHARE;
  const raw = template.units === ON_OFF ? Math.round(random()) : template.min + random() * (template.max - template.min);
  const value = random() < UNREADABLE_SHARE ? (random() < 0.5 ? 'n/a' : '#ERR') : Math.round(raw * 100) / 100;
  const units = template.units === C && random() < UNIT_VARIANT_SHARE ? (random() < 0.5 ? 'degC' : 'DEG C') : template.units;
  return {
    name: pointName(convention, site, equipment, alias ? template.alias : template.code),
    value,
    units,
    description: alias ? template.aliasDescription : template.description,
  };
}

/** The four conventions the service's parser knows (src/bms/pipeline/parse.ts). */
function pointName(convention: NamingConvention, site: number, equipment: EquipmentName, code: string): string {
  const { prefix, number, building, floor } = equipment;
  switch (convention) {
    case 'slashed':
      return `SITE${site}/B${building}/${prefix}_${number}/${code.replace(/-/g, '')}`;
    case 'colon-floor':
      return `SITE${site}:L${floor}:${prefix}-${number}:${code}`;
    case 'underscored':
      return `site${site}_${prefix.toLowerCase()}${number}_${code.toLowerCase().replace(/-/g, '_')}`;
    default:
      return `SITE${site}.${prefix}-${number}.${code}`;
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

export type JobFormat = 'json' | 'csv';

/** The request body and content type for submitting a job as JSON (`{ site, points }`) or as CSV. */
export function encodeJob(job: OnboardingJob, format: JobFormat): { body: string; contentType: string } {
  return format === 'csv'
    ? { body: toCsv(job.points), contentType: 'text/csv' }
    : { body: JSON.stringify({ site: job.site, points: job.points }), contentType: 'application/json' };
}

/** The same points as the CSV body the service also accepts (`text/csv`, header `name,value,units,description`). */
export function toCsv(points: readonly OnboardingPoint[]): string {
  const field = (text: string): string => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const rows = points.map((p) => [p.name, String(p.value), p.units, p.description].map(field).join(','));
  return `name,value,units,description\n${rows.join('\n')}\n`;
}
