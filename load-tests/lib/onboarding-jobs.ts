/**
 * Realistic onboarding jobs for the BMS service: the point lists a building-management system exports when a site is
 * brought onto a platform — air-handling units, VAV boxes, chillers, boilers and meters, with the inconsistent naming
 * real sites have (a share of points use another separator, case or abbreviation, which is what the service's
 * classifier is for). Deterministic for a seed, so a failing run can be replayed. No k6 imports: Node loads it too.
 */

export interface OnboardingPoint {
  readonly name: string;
  readonly value: number;
  readonly units: string;
  readonly description: string;
}

export interface OnboardingJob {
  readonly site: string;
  readonly points: readonly OnboardingPoint[];
}

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

const ON_OFF = 'On/Off';

const EQUIPMENT: ReadonlyArray<{ readonly prefix: string; readonly count: number; readonly points: readonly PointTemplate[] }> = [
  {
    prefix: 'AHU',
    count: 4,
    points: [
      t('SA-T', 'Supply Air Temp', '°C', 12, 18, 'SAT', 'Sup Air Tmp'),
      t('RA-T', 'Return Air Temp', '°C', 20, 25, 'RAT', 'Ret Air Tmp'),
      t('MA-T', 'Mixed Air Temp', '°C', 14, 22, 'MAT', 'Mix Air Tmp'),
      t('SA-SP', 'Supply Air Static Pressure', 'Pa', 200, 500, 'SASP', 'Duct Static'),
      t('SF-SPD', 'Supply Fan Speed', '%', 30, 100, 'SFVFD', 'SF VFD Output'),
      t('CHW-VLV', 'Chilled Water Valve Position', '%', 0, 100, 'CLGVLV', 'Clg Vlv'),
      t('HW-VLV', 'Hot Water Valve Position', '%', 0, 100, 'HTGVLV', 'Htg Vlv'),
      t('OA-DMPR', 'Outside Air Damper Position', '%', 10, 100, 'OAD', 'OA Dmpr Cmd'),
      t('SF-STS', 'Supply Fan Status', ON_OFF, 0, 1, 'SFS', 'SF Run Sts'),
      t('FLT-DP', 'Filter Differential Pressure', 'Pa', 50, 250, 'FILTDP', 'Filter DP'),
    ],
  },
  {
    prefix: 'VAV',
    count: 64,
    points: [
      t('ZN-T', 'Zone Temp', '°C', 19, 26, 'ZNT', 'Space Temp'),
      t('ZN-SP', 'Zone Temp Setpoint', '°C', 20, 24, 'ZNSP', 'Space Tmp Stpt'),
      t('DMPR-POS', 'Damper Position', '%', 0, 100, 'DPR', 'Dmpr Pos'),
      t('AIRFLOW', 'Discharge Airflow', 'L/s', 40, 600, 'FLOW', 'Air Flow'),
      t('RH-VLV', 'Reheat Valve Position', '%', 0, 100, 'RHV', 'Reheat Vlv'),
      t('OCC', 'Occupancy', ON_OFF, 0, 1, 'OCC-STS', 'Occ Sts'),
      t('CO2', 'Zone CO2', 'ppm', 400, 1400, 'ZNCO2', 'Space CO2'),
    ],
  },
  {
    prefix: 'CH',
    count: 2,
    points: [
      t('CHWS-T', 'Chilled Water Supply Temp', '°C', 5, 8, 'CHWST', 'CHW Sup Tmp'),
      t('CHWR-T', 'Chilled Water Return Temp', '°C', 10, 14, 'CHWRT', 'CHW Ret Tmp'),
      t('CDWS-T', 'Condenser Water Supply Temp', '°C', 24, 32, 'CWST', 'Cond Wtr Sup'),
      t('KW', 'Chiller Power', 'kW', 50, 400, 'PWR', 'Chlr kW'),
      t('LOAD', 'Chiller Load', '%', 10, 100, 'PCTLOAD', 'Pct Load'),
      t('STS', 'Chiller Status', ON_OFF, 0, 1, 'RUN', 'Chlr Run'),
    ],
  },
  {
    prefix: 'BLR',
    count: 2,
    points: [
      t('HWS-T', 'Hot Water Supply Temp', '°C', 60, 82, 'HWST', 'HW Sup Tmp'),
      t('HWR-T', 'Hot Water Return Temp', '°C', 45, 70, 'HWRT', 'HW Ret Tmp'),
      t('FIRING', 'Firing Rate', '%', 0, 100, 'FR', 'Burner Fire Rate'),
      t('STS', 'Boiler Status', ON_OFF, 0, 1, 'RUN', 'Blr Run'),
    ],
  },
  {
    prefix: 'MTR',
    count: 3,
    points: [
      t('KW', 'Active Power', 'kW', 20, 900, 'DEMAND', 'Demand kW'),
      t('KWH', 'Active Energy', 'kWh', 1e5, 9e6, 'ENERGY', 'kWh Total'),
      t('V-LL', 'Line-to-Line Voltage', 'V', 390, 420, 'VOLTS', 'Volts L-L'),
      t('PF', 'Power Factor', 'PF', 0.8, 1, 'PWRFCTR', 'P.F.'),
    ],
  },
];

/** Share of points written the way a site with its own conventions writes them. */
const ALIAS_SHARE = 0.2;

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

/** One site's export: `count` points (clamped to what the site has) drawn from its equipment. */
export function createOnboardingJob(seed: number, count: number): OnboardingJob {
  const random = seededRandom(seed);
  const site = `SITE${1 + Math.floor(random() * 9)}`;
  const all: OnboardingPoint[] = [];
  for (const equipment of EQUIPMENT) {
    for (let n = 1; n <= equipment.count; n++) {
      const unit = equipment.prefix === 'VAV' ? `VAV-${1 + Math.floor((n - 1) / 8)}-${pad(((n - 1) % 8) + 1)}` : `${equipment.prefix}-${pad(n)}`;
      for (const template of equipment.points) all.push(point(random, site, unit, template));
    }
  }
  // A partial export, as sites send them in batches: a random window of the site's points.
  const size = Math.max(1, Math.min(all.length, Math.floor(count)));
  const start = Math.floor(random() * (all.length - size + 1));
  return { site, points: all.slice(start, start + size) };
}

function point(random: () => number, site: string, unit: string, template: PointTemplate): OnboardingPoint {
  const raw = template.units === ON_OFF ? Math.round(random()) : template.min + random() * (template.max - template.min);
  const value = Math.round(raw * 100) / 100;
  if (random() >= ALIAS_SHARE) return { name: `${site}.${unit}.${template.code}`, value, units: template.units, description: template.description };
  return { name: `${site}_${unit.replace(/-/g, '')}_${template.alias}`, value, units: template.units, description: template.aliasDescription };
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
