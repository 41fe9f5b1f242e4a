/**
 * Prometheus remote write 1.0, by hand: a protobuf `WriteRequest` (prompb/remote.proto, prompb/types.proto) in a
 * snappy block. No snappy package is a dependency, and none is needed: the snappy block format allows a stream of
 * literal elements only — uncompressed, but valid snappy that every decoder (Prometheus' Go one included) accepts.
 * Used to write the series k6's Prometheus output produces into a test's Prometheus (test/fixtures/
 * k6-remote-write-series.json), since k6 itself cannot run in the test.
 */

export interface RemoteWriteSample {
  value: number;
  /** Milliseconds since the Unix epoch. */
  timestampMs: number;
}

export interface RemoteWriteSeries {
  /** `__name__` and every other label. */
  labels: Readonly<Record<string, string>>;
  /** Oldest first: Prometheus rejects a sample older than the series' newest. */
  samples: readonly RemoteWriteSample[];
}

/** POSTs `series` to a Prometheus started with `--web.enable-remote-write-receiver`; throws on anything but 2xx. */
export async function remoteWrite(prometheusUrl: string, series: readonly RemoteWriteSeries[]): Promise<void> {
  const res = await fetch(`${prometheusUrl}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'User-Agent': 'memscope-test/remote-write',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: snappyBlockUncompressed(encodeWriteRequest(series)),
  });
  if (!res.ok) throw new Error(`remote write to ${prometheusUrl}: ${res.status} ${await res.text()}`);
}

// --- protobuf -------------------------------------------------------------------------------------------------

/** Wire types: 0 varint, 1 fixed 64-bit, 2 length-delimited. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

/**
 * `WriteRequest { repeated TimeSeries timeseries = 1 }`, `TimeSeries { repeated Label labels = 1; repeated Sample
 * samples = 2 }`, `Label { string name = 1; string value = 2 }`, `Sample { double value = 1; int64 timestamp = 2 }`.
 * Labels are sorted by name, as the remote-write spec requires (Prometheus hashes them as they come).
 */
export function encodeWriteRequest(series: readonly RemoteWriteSeries[]): Uint8Array {
  const out = new ProtoWriter();
  for (const s of series) {
    const ts = new ProtoWriter();
    for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const label = new ProtoWriter();
      label.string(1, name);
      label.string(2, value);
      ts.message(1, label);
    }
    for (const sample of s.samples) {
      const encoded = new ProtoWriter();
      encoded.double(1, sample.value);
      encoded.int64(2, sample.timestampMs);
      ts.message(2, encoded);
    }
    out.message(1, ts);
  }
  return out.finish();
}

class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    const buf = new Uint8Array(8);
    new DataView(buf.buffer).setFloat64(0, value, true);
    this.parts.push(buf);
  }

  /** int64 as a varint; timestamps are positive and below 2^53, so a number holds them exactly. */
  int64(field: number, value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`int64 field ${field}: ${value} is not a safe non-negative integer`);
    this.tag(field, VARINT);
    this.parts.push(varint(value));
  }

  message(field: number, inner: ProtoWriter): void {
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Buffer.concat(this.parts);
  }

  private bytes(field: number, data: Uint8Array): void {
    this.tag(field, LENGTH_DELIMITED);
    this.parts.push(varint(data.length), data);
  }

  private tag(field: number, wireType: number): void {
    this.parts.push(varint(field * 8 + wireType));
  }
}

/** Base-128 varint, least significant group first; arithmetic instead of bit operators, which stop at 32 bits. */
export function varint(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) + 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

// --- snappy ---------------------------------------------------------------------------------------------------

/** Literal elements of at most 64 KiB: a two-byte length (tag 61) covers them, the format allows longer ones too. */
const MAX_LITERAL = 65_536;

/**
 * A snappy block (not the framed stream format) holding `data` uncompressed: the uncompressed length as a varint,
 * then literal elements. A literal's tag byte is `(length - 1) << 2` (low bits 00 = literal) for lengths up to 60;
 * longer ones use tag 60, 61, 62 or 63 followed by `length - 1` in 1 to 4 little-endian bytes.
 */
export function snappyBlockUncompressed(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [varint(data.length)];
  for (let offset = 0; offset < data.length; offset += MAX_LITERAL) {
    const chunk = data.subarray(offset, Math.min(data.length, offset + MAX_LITERAL));
    const n = chunk.length - 1;
    if (n < 60) parts.push(Uint8Array.of(n << 2));
    else if (n < 0x100) parts.push(Uint8Array.of(60 << 2, n));
    else parts.push(Uint8Array.of(61 << 2, n & 0xff, n >> 8));
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

// --- the k6 fixture -------------------------------------------------------------------------------------------

/** One entry of test/fixtures/k6-remote-write-series.json. */
export interface K6FixtureSeries {
  name: string;
  k6Metric: string;
  k6Type: 'counter' | 'gauge' | 'rate' | 'trend';
  stat?: string;
  labels: Record<string, string>;
  /** The value at the end of the run (a counter's total). */
  value: number;
}

export interface K6SeriesOptions {
  /** Timestamp of the newest sample, ms. */
  endMs: number;
  /** How far back the first sample lies, seconds. */
  spanSeconds: number;
  /** Between samples, seconds: k6's push interval (K6_PROMETHEUS_RW_PUSH_INTERVAL, 5s in compose.yaml). */
  stepSeconds: number;
  /** Replaces every series' `testid` (k6's `--tag testid=...`). @default the fixture's own */
  testid?: string;
}

/**
 * The fixture's series as k6 would have pushed them over a run: a sample every `stepSeconds` across `spanSeconds`,
 * so range queries and `rate()` over a minute see many points. Counters climb evenly to their final value (k6 sends
 * running totals), gauges, rates and trend statistics hold theirs.
 */
export function k6FixtureSeries(fixture: { series: readonly K6FixtureSeries[] }, options: K6SeriesOptions): RemoteWriteSeries[] {
  const steps = Math.max(2, Math.floor(options.spanSeconds / options.stepSeconds) + 1);
  const start = options.endMs - (steps - 1) * options.stepSeconds * 1000;
  return fixture.series.map((s) => {
    const labels = { ...s.labels, __name__: s.name, ...(options.testid === undefined ? {} : { testid: options.testid }) };
    const samples = Array.from({ length: steps }, (_, i) => {
      const share = (i + 1) / steps;
      let value = s.value;
      if (s.k6Type === 'counter') value = Number.isInteger(s.value) ? Math.round(s.value * share) : s.value * share;
      return { value, timestampMs: Math.round(start + i * options.stepSeconds * 1000) };
    });
    return { labels, samples };
  });
}
