/**
 * A minimal decoder of OTLP ExportMetricsServiceRequest protobuf payloads (the wire format, walked field by field
 * against opentelemetry-proto's metrics/v1 and common/v1 messages), and a normalizer of the JSON encoding into the
 * same shape — so a test can check what a real OTLP/HTTP exporter put on the wire without a Collector.
 */
export interface DecodedPoint {
  attributes: Record<string, string | number | boolean>;
  value?: number;
  count?: number;
  sum?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
}
export interface DecodedMetric {
  name: string;
  description: string;
  unit: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'other';
  monotonic?: boolean;
  points: DecodedPoint[];
}
export interface DecodedRequest {
  resource: Record<string, string | number | boolean>;
  metrics: DecodedMetric[];
}

type Field = { no: number; wire: number; varint?: bigint; bytes?: Uint8Array; fixed64?: DataView; fixed32?: DataView };

function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, varint: varint() };
    else if (wire === 1) {
      yield { no, wire, fixed64: new DataView(buf.buffer, buf.byteOffset + i, 8) };
      i += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      yield { no, wire, bytes: buf.subarray(i, i + len) };
      i += len;
    } else if (wire === 5) {
      yield { no, wire, fixed32: new DataView(buf.buffer, buf.byteOffset + i, 4) };
      i += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (b?: Uint8Array): string => new TextDecoder().decode(b);

function anyValue(buf: Uint8Array): string | number | boolean {
  for (const f of fields(buf)) {
    if (f.no === 1) return text(f.bytes);
    if (f.no === 2) return f.varint === 1n;
    if (f.no === 3) return Number(BigInt.asIntN(64, f.varint!));
    if (f.no === 4) return f.fixed64!.getFloat64(0, true);
  }
  return '';
}

function keyValues(target: Record<string, string | number | boolean>, buf: Uint8Array): void {
  let key = '';
  let value: string | number | boolean = '';
  for (const f of fields(buf)) {
    if (f.no === 1) key = text(f.bytes);
    if (f.no === 2) value = anyValue(f.bytes!);
  }
  target[key] = value;
}

function packedFixed64(buf: Uint8Array, float: boolean): number[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: number[] = [];
  for (let o = 0; o < buf.byteLength; o += 8) out.push(float ? view.getFloat64(o, true) : Number(view.getBigUint64(o, true)));
  return out;
}

function numberPoint(buf: Uint8Array): DecodedPoint {
  const p: DecodedPoint = { attributes: {} };
  for (const f of fields(buf)) {
    if (f.no === 7) keyValues(p.attributes, f.bytes!);
    if (f.no === 4) p.value = f.fixed64!.getFloat64(0, true);
    if (f.no === 6) p.value = Number(f.fixed64!.getBigInt64(0, true));
  }
  return p;
}

function histogramPoint(buf: Uint8Array): DecodedPoint {
  const p: DecodedPoint = { attributes: {}, bucketCounts: [], explicitBounds: [] };
  for (const f of fields(buf)) {
    if (f.no === 9) keyValues(p.attributes, f.bytes!);
    if (f.no === 4) p.count = Number(f.fixed64!.getBigUint64(0, true));
    if (f.no === 5) p.sum = f.fixed64!.getFloat64(0, true);
    if (f.no === 6) p.bucketCounts!.push(...(f.bytes ? packedFixed64(f.bytes, false) : [Number(f.fixed64!.getBigUint64(0, true))]));
    if (f.no === 7) p.explicitBounds!.push(...(f.bytes ? packedFixed64(f.bytes, true) : [f.fixed64!.getFloat64(0, true)]));
  }
  return p;
}

function metric(buf: Uint8Array): DecodedMetric {
  const m: DecodedMetric = { name: '', description: '', unit: '', kind: 'other', points: [] };
  for (const f of fields(buf)) {
    if (f.no === 1) m.name = text(f.bytes);
    else if (f.no === 2) m.description = text(f.bytes);
    else if (f.no === 3) m.unit = text(f.bytes);
    else if (f.no === 5 || f.no === 7) {
      m.kind = f.no === 5 ? 'gauge' : 'sum';
      for (const g of fields(f.bytes!)) {
        if (g.no === 1) m.points.push(numberPoint(g.bytes!));
        if (g.no === 3) m.monotonic = g.varint === 1n;
      }
    } else if (f.no === 9) {
      m.kind = 'histogram';
      for (const g of fields(f.bytes!)) if (g.no === 1) m.points.push(histogramPoint(g.bytes!));
    }
  }
  return m;
}

export function decodeProtobufRequest(buf: Uint8Array): DecodedRequest {
  const out: DecodedRequest = { resource: {}, metrics: [] };
  for (const rm of fields(buf)) {
    if (rm.no !== 1) continue;
    for (const f of fields(rm.bytes!)) {
      if (f.no === 1) for (const r of fields(f.bytes!)) if (r.no === 1) keyValues(out.resource, r.bytes!);
      if (f.no === 2) for (const s of fields(f.bytes!)) if (s.no === 2) out.metrics.push(metric(s.bytes!));
    }
  }
  return out;
}

interface JsonKeyValue { key: string; value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean } }
const jsonAttrs = (kvs: JsonKeyValue[] = []): Record<string, string | number | boolean> =>
  Object.fromEntries(kvs.map(({ key, value }) => [key, value.stringValue ?? (value.intValue === undefined ? undefined : Number(value.intValue)) ?? value.doubleValue ?? value.boolValue ?? '']));

/** Normalizes the OTLP/JSON encoding (opentelemetry-proto's JSON mapping) to the decoded shape. */
export function decodeJsonRequest(body: string): DecodedRequest {
  const json = JSON.parse(body) as {
    resourceMetrics: Array<{
      resource?: { attributes?: JsonKeyValue[] };
      scopeMetrics: Array<{ metrics: Array<Record<string, unknown> & { name: string; description?: string; unit?: string }> }>;
    }>;
  };
  const out: DecodedRequest = { resource: {}, metrics: [] };
  for (const rm of json.resourceMetrics) {
    Object.assign(out.resource, jsonAttrs(rm.resource?.attributes));
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        const kind = m.gauge ? 'gauge' : m.sum ? 'sum' : m.histogram ? 'histogram' : 'other';
        const data = (m.gauge ?? m.sum ?? m.histogram) as { dataPoints: Array<Record<string, unknown>>; isMonotonic?: boolean } | undefined;
        out.metrics.push({
          name: m.name,
          description: m.description ?? '',
          unit: m.unit ?? '',
          kind,
          ...(data?.isMonotonic === undefined ? {} : { monotonic: data.isMonotonic }),
          points: (data?.dataPoints ?? []).map((p) => ({
            attributes: jsonAttrs(p.attributes as JsonKeyValue[] | undefined),
            ...(p.asDouble !== undefined ? { value: Number(p.asDouble) } : {}),
            ...(p.asInt !== undefined ? { value: Number(p.asInt) } : {}),
            ...(p.count !== undefined ? { count: Number(p.count), sum: Number(p.sum), bucketCounts: (p.bucketCounts as string[]).map(Number), explicitBounds: p.explicitBounds as number[] } : {}),
          })),
        });
      }
    }
  }
  return out;
}
