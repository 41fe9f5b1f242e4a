import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { MetricDescriptor } from '@opentelemetry/sdk-metrics';

/**
 * OpenTelemetry → Prometheus names, built exactly the way Prometheus' own OTLP ingestion builds them by default
 * (translation strategy `UnderscoreEscapingWithSuffixes`, the pre-3.0 `BuildCompliantName` with suffixes), so that a
 * series scraped from memscope and the same series pushed over OTLP land under one name.
 *
 * Followed, rule for rule: github.com/prometheus/otlptranslator
 *   - `metric_namer.go`: `unitMap`, `perUnitMap`, `normalizeName`, `addUnitTokens`, `removeItem` and the validity
 *     check in `buildCompliantMetricName` (the `keepMultipleUnderscores = false` branch, the default);
 *   - `unit_namer.go`: `buildUnitSuffixes`, `cleanUpUnit`;
 *   - `label_namer.go` + `strconv.go`: `LabelNamer.Build`, `sanitizeLabelName`.
 * Quirks are kept on purpose (they are what Prometheus stores): every `total` token of a counter moves to the end,
 * a per-unit suffix such as `per_second` is never recognised as already present, and label names do not collapse
 * repeated underscores while metric names do.
 */

// Go maps, ported as Maps: an object literal would answer for 'constructor' and other prototype keys.
const UNIT_MAP: ReadonlyMap<string, string> = new Map([
  ['d', 'days'], ['h', 'hours'], ['min', 'minutes'], ['s', 'seconds'], ['ms', 'milliseconds'],
  ['us', 'microseconds'], ['ns', 'nanoseconds'],
  ['By', 'bytes'], ['KiBy', 'kibibytes'], ['MiBy', 'mebibytes'], ['GiBy', 'gibibytes'], ['TiBy', 'tibibytes'],
  ['KBy', 'kilobytes'], ['MBy', 'megabytes'], ['GBy', 'gigabytes'], ['TBy', 'terabytes'],
  ['m', 'meters'], ['V', 'volts'], ['A', 'amperes'], ['J', 'joules'], ['W', 'watts'], ['g', 'grams'],
  ['Cel', 'celsius'], ['Hz', 'hertz'], ['1', ''], ['%', 'percent'],
]);

const PER_UNIT_MAP: ReadonlyMap<string, string> = new Map([
  ['s', 'second'], ['m', 'minute'], ['h', 'hour'], ['d', 'day'], ['w', 'week'], ['mo', 'month'], ['y', 'year'],
]);

const INVALID_METRIC_CHARS = /[^a-zA-Z0-9:]+/u;
const INVALID_UNIT_CHARS = /[^a-zA-Z0-9:]/gu;
const INVALID_LABEL_CHARS = /[^a-zA-Z0-9_]/gu;
const MULTIPLE_UNDERSCORES = /__+/g;
const ONLY_UNDERSCORES = /^_+$/;
const BRACES = /[{}]/;

/**
 * The Prometheus name of an OpenTelemetry metric: invalid characters become `_` (runs collapse), the unit becomes a
 * suffix unless the name already holds it as a token, monotonic sums end in `_total` and gauges of unit `1` in
 * `_ratio`. Returns `''` when nothing valid is left (Prometheus rejects such a metric).
 *
 * @example toPrometheusMetricName('process.memory.usage', 'By', DataPointType.GAUGE) // 'process_memory_usage_bytes'
 */
export function toPrometheusMetricName(name: string, unit: string, type: DataPointType, monotonic = false): string {
  // strings.FieldsFunc: split on every rune outside [a-zA-Z0-9:] and drop the empty fields, which also collapses `__`.
  let tokens = name.split(INVALID_METRIC_CHARS).filter((token) => token !== '');
  const [mainUnit, perUnit] = buildUnitSuffixes(unit);
  tokens = addUnitTokens(tokens, cleanUpUnit(mainUnit), cleanUpUnit(perUnit));
  if (type === DataPointType.SUM && monotonic) tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  // Gauges only: some receivers put unit "1" on counts of things (the comment in metric_namer.go explains why).
  if (unit === '1' && type === DataPointType.GAUGE) tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  let normalized = tokens.join('_');
  if (isDigit(normalized.charCodeAt(0))) normalized = `_${normalized}`;
  if (normalized === '' || (normalized !== name && ONLY_UNDERSCORES.test(normalized))) return '';
  return normalized;
}

/**
 * The Prometheus label name of an attribute key: characters outside `[a-zA-Z0-9_]` become `_`, a leading digit gets
 * `key_` and a single leading underscore `key` (a `__` prefix is kept). Returns `''` when nothing valid is left.
 *
 * @example toPrometheusLabelName('v8js.heap.space.name') // 'v8js_heap_space_name'
 */
export function toPrometheusLabelName(key: string): string {
  if (key === '') return '';
  let normalized = key.replace(INVALID_LABEL_CHARS, '_');
  if (isDigit(normalized.charCodeAt(0))) normalized = `key_${normalized}`;
  else if (normalized.startsWith('_') && !normalized.startsWith('__')) normalized = `key${normalized}`;
  if (normalized !== key && ONLY_UNDERSCORES.test(normalized)) return '';
  return normalized;
}

/** Bound on cached attribute keys: keys come from code, but a bug that puts data into keys must not grow memory. */
const MAX_CACHED_LABEL_NAMES = 4096;

interface CachedMetricName {
  readonly type: DataPointType;
  readonly monotonic: boolean;
  readonly name: string;
}

/**
 * Translations cached for the scrape path: metric names per descriptor object (the SDK keeps one descriptor per
 * instrument, so a WeakMap lets them go with their instruments) and label names per attribute key (bounded).
 * Each serializer owns one; nothing is shared between instances.
 */
export class PrometheusNamer {
  private readonly metricNames = new WeakMap<MetricDescriptor, CachedMetricName>();
  private readonly labelNames = new Map<string, string>();

  /** {@link toPrometheusMetricName} for a descriptor, computed once per descriptor and kind. */
  metricName(descriptor: MetricDescriptor, type: DataPointType, monotonic: boolean): string {
    const cached = this.metricNames.get(descriptor);
    if (cached !== undefined && cached.type === type && cached.monotonic === monotonic) return cached.name;
    const name = toPrometheusMetricName(descriptor.name, descriptor.unit, type, monotonic);
    this.metricNames.set(descriptor, { type, monotonic, name });
    return name;
  }

  /** {@link toPrometheusLabelName}, computed once per key. */
  labelName(key: string): string {
    let name = this.labelNames.get(key);
    if (name === undefined) {
      if (this.labelNames.size >= MAX_CACHED_LABEL_NAMES) this.labelNames.clear();
      name = toPrometheusLabelName(key);
      this.labelNames.set(key, name);
    }
    return name;
  }
}

function buildUnitSuffixes(unit: string): [main: string, per: string] {
  const slash = unit.indexOf('/');
  const mainOtel = (slash === -1 ? unit : unit.slice(0, slash)).trim();
  let main = '';
  if (mainOtel !== '' && !BRACES.test(mainOtel)) main = UNIT_MAP.get(mainOtel) ?? mainOtel;
  let per = '';
  if (slash !== -1) {
    const perOtel = unit.slice(slash + 1).trim();
    if (perOtel !== '' && !BRACES.test(perOtel)) per = `per_${PER_UNIT_MAP.get(perOtel) ?? perOtel}`;
  }
  return [main, per];
}

function cleanUpUnit(unit: string): string {
  const cleaned = unit.replace(INVALID_UNIT_CHARS, '_').replace(MULTIPLE_UNDERSCORES, '_');
  return cleaned.startsWith('_') ? cleaned.slice(1) : cleaned;
}

function addUnitTokens(tokens: string[], mainUnit: string, perUnit: string): string[] {
  let main = tokens.includes(mainUnit) ? '' : mainUnit;
  let per = '';
  if (perUnit !== 'per_') {
    per = perUnit.endsWith('_') ? perUnit.slice(0, -1) : perUnit;
    if (tokens.includes(per)) per = '';
  }
  if (per !== '' && main.endsWith('_')) main = main.slice(0, -1);
  const out = tokens.slice();
  if (main !== '') out.push(main);
  if (per !== '') out.push(per);
  return out;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
