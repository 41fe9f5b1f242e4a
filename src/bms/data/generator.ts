import { intOption, numberOption } from '../../internal/validate.js';
import { invalidOption } from '../../internal/errors.js';
import { getOnboardingConfig, type NamingPattern } from './config.js';
import type { EquipClass, EquipTemplate, PointTemplate } from './equipment.js';
import { Random } from './random.js';

/** A point as a BMS export lists it: a name, a present value, units and a description. */
export interface RawPoint {
  name: string;
  value: number | string | null;
  units: string;
  description: string;
}

export interface GeneratorOptions {
  /** Points to generate. @default 500 */
  points?: number;
  /** Points per batch yielded by generatePointBatches(). @default 100 */
  batchSize?: number;
  /** PRNG seed: the same seed gives the same points. @default 42 */
  seed?: number;
  /** Relative weights of equipment classes. @default the configuration's mix (VAV-heavy, like real buildings) */
  mix?: Partial<Record<EquipClass, number>>;
  /** Sites the points are spread over. @default 3 */
  sites?: number;
  /** Share of points repeated (exports often list a point twice). @default 0.02 */
  duplicateRate?: number;
  /** Share of points with a bad value or unit (to exercise validation). @default 0.01 */
  invalidRate?: number;
}

interface Resolved {
  points: number;
  batchSize: number;
  seed: number;
  mix: Record<EquipClass, number>;
  sites: number;
  duplicateRate: number;
  invalidRate: number;
}

export function resolveGeneratorOptions(options: GeneratorOptions = {}): Resolved {
  const config = getOnboardingConfig();
  const mix = { ...config.defaultMix, ...(options.mix ?? {}) };
  for (const [cls, weight] of Object.entries(mix)) {
    if (!config.byClass.has(cls as EquipClass)) throw invalidOption(`mix.${cls}`, `one of ${[...config.byClass.keys()].join(', ')}`, cls);
    numberOption(`mix.${cls}`, weight, 0, 0, 1e6);
  }
  if (Object.values(mix).every((w) => w === 0)) throw invalidOption('mix', 'weights with at least one above 0', 'all zero');
  return {
    points: intOption('points', options.points, 500, 1, 50_000_000),
    batchSize: intOption('batchSize', options.batchSize, 100, 1, 1_000_000),
    seed: intOption('seed', options.seed, 42, 0, 2 ** 32 - 1),
    mix,
    sites: intOption('sites', options.sites, 3, 1, 999),
    duplicateRate: numberOption('duplicateRate', options.duplicateRate, 0.02, 0, 0.5),
    invalidRate: numberOption('invalidRate', options.invalidRate, 0.01, 0, 0.5),
  };
}

/** Equipment instance numbers per class and site grow as points are generated, like a real building list. */
class PointFactory {
  private readonly config = getOnboardingConfig();
  private readonly random: Random;
  private readonly sitePatterns: NamingPattern[];
  private current: { equip: EquipTemplate; site: number; building: number; floor: number; number: number; remaining: PointTemplate[] } | undefined;
  private readonly counters = new Map<string, number>();
  private recent: RawPoint[] = [];

  constructor(private readonly o: Resolved) {
    this.random = new Random(o.seed);
    this.sitePatterns = Array.from({ length: o.sites }, (_, i) => this.random.pickAt(this.config.namingPatterns, i));
  }

  next(): RawPoint {
    const r = this.random;
    if (this.recent.length > 0 && r.chance(this.o.duplicateRate)) return { ...r.pick(this.recent) };
    let c = this.current;
    let template = c?.remaining.shift();
    while (c === undefined || template === undefined) {
      c = this.current = this.newEquipment();
      template = c.remaining.shift();
    }
    const point: RawPoint = {
      name: this.name(c.site, c.building, c.floor, c.equip, c.number, template),
      value: this.value(template),
      units: this.units(template),
      description: `${c.equip.description} ${String(c.number).padStart(2, '0')} ${template.description}`,
    };
    if (r.chance(this.o.invalidRate)) this.corrupt(point, template);
    if (this.recent.length >= 64) this.recent = this.recent.slice(32);
    this.recent.push(point);
    return point;
  }

  private newEquipment() {
    const r = this.random;
    const equip = this.config.byClass.get(r.weighted(this.o.mix)) ?? r.pickAt(this.config.equipment, 0);
    const site = r.int(1, this.o.sites);
    const key = `${site}:${equip.cls}`;
    const number = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, number);
    // Terminal units carry every point; plant and AHUs sometimes export a subset.
    const remaining = equip.points.filter((_, i) => i < 2 || equip.cls === 'vav' || equip.cls === 'fcu' || r.chance(0.85));
    return { equip, site, building: r.int(1, 3), floor: r.int(1, 12), number, remaining };
  }

  private name(site: number, building: number, floor: number, equip: EquipTemplate, n: number, point: PointTemplate): string {
    const r = this.random;
    const code = r.chance(0.7) ? point.code : r.pick(point.aliases);
    const nn = String(n).padStart(2, '0');
    switch (this.sitePatterns[site - 1]) {
      case 'slashed':
        return `SITE${site}/B${building}/${r.pick([equip.prefix, ...equip.aliases]).replace(/_$/, '')}_${nn}/${code.replace(/-/g, '')}`;
      case 'colon-floor':
        return `SITE${site}:L${floor}:${equip.prefix}-${floor}-${nn}:${code}`;
      case 'underscored':
        return `site${site}_${equip.prefix.toLowerCase()}${nn}_${code.toLowerCase().replace(/-/g, '_')}`;
      default:
        return `SITE${site}.${equip.prefix}-${nn}.${code}`;
    }
  }

  private value(t: PointTemplate): number {
    const v = t.min + this.random.next() * (t.max - t.min);
    return t.max === 1 && t.min === 0 ? Math.round(v) : Math.round(v * 100) / 100;
  }

  private units(t: PointTemplate): string {
    if (t.unit !== '°C' || this.random.chance(0.6)) return t.unit;
    return this.random.pick(['degC', 'DEG C', '°c']);
  }

  private corrupt(point: RawPoint, t: PointTemplate): void {
    switch (this.random.int(0, 2)) {
      case 0:
        point.value = this.random.pick(['n/a', '', '#ERR']);
        break;
      case 1:
        point.value = t.max * 10 + 1; // out of range
        break;
      default:
        point.units = 'furlongs';
    }
  }
}

/**
 * Generates realistic BMS points in batches through an async generator, so a consumer can process a batch and let it
 * go before the next is made — the memory benefit the batched-generation test measures. Deterministic for a seed.
 */
export async function* generatePointBatches(options: GeneratorOptions = {}): AsyncGenerator<RawPoint[]> {
  const o = resolveGeneratorOptions(options);
  const factory = new PointFactory(o);
  for (let produced = 0; produced < o.points; produced += o.batchSize) {
    const size = Math.min(o.batchSize, o.points - produced);
    const batch = new Array<RawPoint>(size);
    for (let i = 0; i < size; i++) batch[i] = factory.next();
    yield batch;
    // Let timers (sampling, I/O) run between batches, as a real producer reading a file or a socket would.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** All points at once (the unbatched way). */
export function generatePoints(options: GeneratorOptions = {}): RawPoint[] {
  const o = resolveGeneratorOptions(options);
  const factory = new PointFactory(o);
  return Array.from({ length: o.points }, () => factory.next());
}
