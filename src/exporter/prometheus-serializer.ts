import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData, MetricDescriptor, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { invalidOption } from '../internal/errors.js';
import { boolOption } from '../internal/validate.js';
import { PrometheusNamer } from './prometheus-names.js';

/** The Content-Type of what {@link PrometheusSerializer.serialize} returns: text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Why data was left out of an exposition to keep it valid:
 * - `type-mismatch`: another metric already owns the name with a different Prometheus type (the later one is dropped);
 * - `name-collision`: the name or one of its series names (`_bucket`, `_sum`, `_count`, `target_info`) is taken;
 * - `duplicate-series`: a merged metric repeats a label set an earlier scope already wrote;
 * - `invalid-name`: nothing of the name survives translation;
 * - `unsupported-type`: exponential histograms, which the 0.0.4 text format cannot carry;
 * - `internal-error`: the data could not be read (a malformed producer); the family is skipped.
 */
export type PrometheusDropReason =
  'type-mismatch' | 'name-collision' | 'duplicate-series' | 'invalid-name' | 'unsupported-type' | 'internal-error';

export interface PrometheusSerializerOptions {
  /**
   * Write a `target_info` gauge (value 1) whose labels are the resource attributes, as Prometheus' OTLP ingestion and
   * the OpenTelemetry Prometheus exporter do. Skipped when the resource has no attributes.
   * @default true
   */
  targetInfo?: boolean;
  /**
   * Called when data is dropped to keep the exposition valid, with the Prometheus name (or the OpenTelemetry name when
   * no valid one exists) and the reason. Called once per name and reason for the life of the serializer; an exception
   * it throws is swallowed (the scrape goes on).
   * @default undefined (drops are silent)
   */
  onConflict?: (name: string, reason: PrometheusDropReason) => void;
}

type PrometheusType = 'counter' | 'gauge' | 'histogram';

/** Everything about one descriptor that does not change between scrapes. */
interface Family {
  readonly dataPointType: DataPointType;
  readonly monotonic: boolean;
  readonly name: string;
  readonly type: PrometheusType | undefined;
  readonly header: string;
  /** Sample names this family writes: its own, plus `_bucket`, `_sum`, `_count` for a histogram. */
  readonly claims: readonly string[];
  readonly plain: string;
  readonly open: string;
  readonly bucketOpen: string;
  readonly sum: string;
  readonly count: string;
  /** The last bucket boundaries seen and their `le="…"} ` parts. */
  boundaries: readonly number[] | undefined;
  le: readonly string[];
}

interface Group {
  readonly family: Family;
  readonly metrics: MetricData[];
}

const TARGET_INFO = 'target_info';
const TARGET_INFO_HEADER = `# HELP ${TARGET_INFO} Target metadata\n# TYPE ${TARGET_INFO} gauge\n`;
const LE_PART = 'le="';
const INF_BUCKET = 'le="+Inf"} ';
const NEEDS_ESCAPE = /[\\\n"]/;
const MAX_EXACT_INTEGER = 2 ** 53;
const MAX_CACHED_LABEL_PARTS = 4096; // bounded for the reason given at MAX_CACHED_LABEL_NAMES

/**
 * Serializes collected OpenTelemetry metrics into the Prometheus text exposition format 0.0.4, with the names
 * Prometheus' own OTLP ingestion would give them. Built for the scrape path: per-descriptor headers and per-key label
 * parts are cached, lines are built by concatenation, and nothing here throws into the host at run time.
 */
export class PrometheusSerializer {
  private readonly targetInfo: boolean;
  private readonly onConflict: ((name: string, reason: PrometheusDropReason) => void) | undefined;
  private readonly namer = new PrometheusNamer();
  private readonly families = new WeakMap<MetricDescriptor, Family>();
  private readonly labelParts = new Map<string, string>();
  private readonly reported = new Set<string>();
  private readonly scratch: string[] = [];

  constructor(options: PrometheusSerializerOptions = {}) {
    this.targetInfo = boolOption('targetInfo', options.targetInfo, true);
    if (options.onConflict !== undefined && typeof options.onConflict !== 'function') {
      throw invalidOption('onConflict', 'a function', options.onConflict);
    }
    this.onConflict = options.onConflict;
  }

  /** The exposition of one collection: `target_info`, then one HELP/TYPE block per Prometheus name. */
  serialize(resourceMetrics: ResourceMetrics): string {
    let out = '';
    for (const chunk of this.chunks(resourceMetrics)) out += chunk;
    return out;
  }

  /**
   * The same exposition as {@link serialize}, in pieces of about `pointsPerChunk` data points, so that a caller can
   * yield to the event loop between them: a render of thousands of histogram series is then many short tasks instead
   * of one long one. A family whose data fails to read after some of its pieces went out keeps those (each piece holds
   * whole samples, so the text stays valid); with one piece per family, as serialize() does, it is dropped whole.
   */
  *chunks(resourceMetrics: ResourceMetrics, pointsPerChunk = Number.POSITIVE_INFINITY): Generator<string, void, undefined> {
    const claimed = new Set<string>();
    if (this.targetInfo) {
      const labels = this.guarded(TARGET_INFO, () => this.labels(resourceMetrics.resource.attributes, false), '');
      if (labels !== '') {
        yield `${TARGET_INFO_HEADER}${TARGET_INFO}{${labels}} 1\n`;
        claimed.add(TARGET_INFO);
      }
    }
    // First group by Prometheus name, so that merged metrics land under one HELP/TYPE (a second HELP is a parse error).
    const groups = new Map<string, Group>();
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      for (const metric of scopeMetrics.metrics) {
        try {
          this.group(metric, groups, claimed);
        } catch {
          this.report(nameOf(metric), 'internal-error');
        }
      }
    }
    for (const group of groups.values()) yield* this.familyChunks(group, pointsPerChunk);
  }

  private group(metric: MetricData, groups: Map<string, Group>, claimed: Set<string>): void {
    const family = this.family(metric);
    if (family.type === undefined) {
      this.report(metric.descriptor.name, 'unsupported-type');
    } else if (family.name === '') {
      this.report(metric.descriptor.name, 'invalid-name');
    } else {
      const existing = groups.get(family.name);
      if (existing?.family.type === family.type) {
        existing.metrics.push(metric);
      } else if (existing !== undefined) {
        this.report(family.name, 'type-mismatch');
      } else if (family.claims.some((claim) => claimed.has(claim))) {
        this.report(family.name, 'name-collision');
      } else {
        for (const claim of family.claims) claimed.add(claim);
        groups.set(family.name, { family, metrics: [metric] });
      }
    }
  }

  private *familyChunks(group: Group, pointsPerChunk: number): Generator<string, void, undefined> {
    const { family, metrics } = group;
    // Merged: label sets in a canonical (sorted) form, so a series repeated by a later scope is recognised.
    const seen = metrics.length === 1 ? undefined : new Set<string>();
    let body = '';
    let points = 0;
    let started = false;
    try {
      for (const metric of metrics) {
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          for (const point of metric.dataPoints) {
            body += this.histogramSamples(family, point, seen);
            if (++points >= pointsPerChunk && body !== '') {
              yield started ? body : family.header + body;
              started = true;
              body = '';
              points = 0;
            }
          }
        } else if (metric.dataPointType !== DataPointType.EXPONENTIAL_HISTOGRAM) {
          for (const point of metric.dataPoints) {
            body += this.sample(family, point, seen);
            if (++points >= pointsPerChunk && body !== '') {
              yield started ? body : family.header + body;
              started = true;
              body = '';
              points = 0;
            }
          }
        }
      }
    } catch {
      this.report(family.name, 'internal-error');
      return;
    }
    if (body !== '') yield started ? body : family.header + body;
  }

  private sample(family: Family, point: DataPoint<number>, seen: Set<string> | undefined): string {
    const labels = seen === undefined ? this.labels(point.attributes, false) : this.sortedLabels(point.attributes, false);
    if (seen !== undefined && this.isDuplicate(family, labels, seen)) return '';
    return (labels === '' ? family.plain : family.open + labels + '} ') + formatPrometheusNumber(point.value) + '\n';
  }

  private histogramSamples(family: Family, point: DataPoint<Histogram>, seen: Set<string> | undefined): string {
    const labels = seen === undefined ? this.labels(point.attributes, true) : this.sortedLabels(point.attributes, true);
    if (seen !== undefined && this.isDuplicate(family, labels, seen)) return '';
    const histogram = point.value;
    const le = this.leParts(family, histogram.buckets.boundaries);
    const counts = histogram.buckets.counts;
    const bucket = labels === '' ? family.bucketOpen : family.bucketOpen + labels + ',';
    let out = '';
    let cumulative = 0;
    let i = 0;
    for (const part of le) {
      cumulative += counts[i++] ?? 0;
      out += bucket + part + formatPrometheusNumber(cumulative) + '\n';
    }
    // +Inf is the count, as in Prometheus' OTLP ingestion: it must equal _count whatever the finite buckets hold.
    const count = formatPrometheusNumber(histogram.count);
    out += bucket + INF_BUCKET + count + '\n';
    const tail = labels === '' ? ' ' : `{${labels}} `;
    if (histogram.sum !== undefined) out += family.sum + tail + formatPrometheusNumber(histogram.sum) + '\n';
    return out + family.count + tail + count + '\n';
  }

  /** `a="x",b="y"` in attribute order; falls back to {@link sortedLabels} when two keys translate to one name. */
  private labels(attributes: Attributes, histogram: boolean): string {
    const parts = this.scratch;
    let n = 0;
    let out = '';
    for (const key in attributes) {
      const part = this.labelParts.get(key) ?? this.labelPart(key);
      if (part === '' || (histogram && part === LE_PART)) continue;
      out += (n === 0 ? part : ',' + part) + escapeLabelValue(attributeText(attributes[key])) + '"';
      parts[n++] = part;
    }
    return n > 1 && hasDuplicate(parts, n) ? this.sortedLabels(attributes, histogram) : out;
  }

  /**
   * Labels sorted by name, with the distinct values of keys that translate to the same name joined by `;` in key
   * order — what Prometheus' OTLP ingestion does (`createAttributes` in prometheusremotewrite/helper.go) — instead of
   * a duplicate label name, which is a parse error.
   */
  private sortedLabels(attributes: Attributes, histogram: boolean): string {
    const values = new Map<string, string>();
    for (const key of Object.keys(attributes).sort()) {
      const name = this.namer.labelName(key);
      if (!keepLabel(name, histogram)) continue;
      const text = attributeText(attributes[key]);
      const previous = values.get(name);
      if (previous !== text) values.set(name, previous === undefined ? text : `${previous};${text}`);
    }
    let out = '';
    for (const name of [...values.keys()].sort()) {
      out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(values.get(name) ?? '')}"`;
    }
    return out;
  }

  /** The cached `name="` of an attribute key, or '' when the key yields no usable label name. */
  private labelPart(key: string): string {
    const name = this.namer.labelName(key);
    const part = keepLabel(name, false) ? `${name}="` : '';
    if (this.labelParts.size >= MAX_CACHED_LABEL_PARTS) this.labelParts.clear();
    this.labelParts.set(key, part);
    return part;
  }

  private isDuplicate(family: Family, labels: string, seen: Set<string>): boolean {
    const duplicate = seen.has(labels);
    if (duplicate) this.report(family.name, 'duplicate-series');
    else seen.add(labels);
    return duplicate;
  }

  private leParts(family: Family, boundaries: readonly number[]): readonly string[] {
    if (family.boundaries === boundaries) return family.le;
    if (family.boundaries === undefined || !sameNumbers(family.boundaries, boundaries)) {
      const le: string[] = [];
      for (const bound of boundaries) {
        // The +Inf bucket is always written from the count; a non-finite boundary ends the finite ones.
        if (!Number.isFinite(bound)) break;
        le.push(`${LE_PART}${formatPrometheusBound(bound)}"} `);
      }
      family.le = le;
    }
    family.boundaries = boundaries;
    return family.le;
  }

  private family(metric: MetricData): Family {
    const descriptor = metric.descriptor;
    const monotonic = metric.dataPointType === DataPointType.SUM && metric.isMonotonic;
    const cached = this.families.get(descriptor);
    if (cached !== undefined && cached.dataPointType === metric.dataPointType && cached.monotonic === monotonic) {
      return cached;
    }
    const name = this.namer.metricName(descriptor, metric.dataPointType, monotonic);
    const type = prometheusType(metric.dataPointType, monotonic);
    const help = descriptor.description !== '' ? descriptor.description : `OpenTelemetry metric ${descriptor.name}`;
    const family: Family = {
      dataPointType: metric.dataPointType,
      monotonic,
      name,
      type,
      header: `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type ?? 'untyped'}\n`,
      claims: type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
      plain: `${name} `,
      open: `${name}{`,
      bucketOpen: `${name}_bucket{`,
      sum: `${name}_sum`,
      count: `${name}_count`,
      boundaries: undefined,
      le: [],
    };
    this.families.set(descriptor, family);
    return family;
  }

  private guarded<T>(name: string, work: () => T, fallback: T): T {
    try {
      return work();
    } catch {
      this.report(name, 'internal-error');
      return fallback;
    }
  }

  private report(name: string, reason: PrometheusDropReason): void {
    const key = `${reason}\u0000${name}`;
    if (this.onConflict === undefined || this.reported.has(key)) return;
    this.reported.add(key);
    try {
      this.onConflict(name, reason);
    } catch {
      // The callback belongs to the host; its failure must not cost the scrape.
    }
  }
}

/**
 * A sample value or `le` bound as Prometheus' Go client writes it (`strconv.FormatFloat(v, 'g', -1, 64)`: shortest
 * round-trip digits, `+Inf`, `-Inf`, `NaN`, exponent below 1e-4 and from 1e6 on, two-digit exponents such as `1e-05`)
 * — except that integers up to 2^53 are written in full (`52428800`, where Go writes `5.24288e+07`): byte counts stay
 * readable in a raw scrape, and both spellings parse to the same float64.
 */
export function formatPrometheusNumber(value: number): string {
  if (Number.isInteger(value) && value <= MAX_EXACT_INTEGER && value >= -MAX_EXACT_INTEGER) return String(value);
  if (value !== value) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const magnitude = value < 0 ? -value : value;
  // In this range JavaScript and Go both write the shortest digits in fixed notation.
  if (magnitude >= 1e-4 && magnitude < 1e6) return String(value);
  const text = value.toExponential();
  const e = text.indexOf('e');
  const exponent = text.slice(e + 2);
  return text.slice(0, e + 2) + (exponent.length === 1 ? `0${exponent}` : exponent);
}

/** The OpenTelemetry name for a report, read defensively: this runs when the metric could not be read. */
function nameOf(metric: MetricData): string {
  try {
    return metric.descriptor.name;
  } catch {
    return '(unreadable metric)';
  }
}

/**
 * A bucket bound for `le`, in fixed notation with the shortest round-trip digits (`0.00001`, never `1e-05`): that is
 * `strconv.FormatFloat(bound, 'f', -1, 64)` in Prometheus' OTLP ingestion (`addHistogramDataPoints`), and `le` is
 * part of the series identity, so it must match what an OTLP push of the same histogram stores.
 */
export function formatPrometheusBound(bound: number): string {
  const text = formatPrometheusNumber(bound);
  if (!Number.isFinite(bound) || !text.includes('e')) return text;
  const [mantissa = '', exponentText = '0'] = bound.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const exponent = Number(exponentText);
  let fixed: string;
  if (exponent < 0) fixed = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  else if (digits.length <= exponent + 1) fixed = digits + '0'.repeat(exponent + 1 - digits.length);
  else fixed = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return negative ? `-${fixed}` : fixed;
}

function prometheusType(type: DataPointType, monotonic: boolean): PrometheusType | undefined {
  if (type === DataPointType.SUM) return monotonic ? 'counter' : 'gauge';
  if (type === DataPointType.GAUGE) return 'gauge';
  return type === DataPointType.HISTOGRAM ? 'histogram' : undefined;
}

/**
 * Label names Prometheus would drop or misread are left out: untranslatable keys, `__`-prefixed names (reserved for
 * Prometheus' internal labels such as `__name__`) and, on histograms, `le`, which the buckets own.
 */
function keepLabel(name: string, histogram: boolean): boolean {
  return name !== '' && !name.startsWith('__') && !(histogram && name === 'le');
}

/** Non-string attribute values are JSON-encoded, as the OpenTelemetry Prometheus exporter does. */
function attributeText(value: AttributeValue | undefined): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

function escapeLabelValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function hasDuplicate(parts: readonly string[], n: number): boolean {
  if (n > 16) return new Set(parts.slice(0, n)).size !== n;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) if (parts[i] === parts[j]) return true;
  }
  return false;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
