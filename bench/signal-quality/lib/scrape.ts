// Reading a /metrics scrape as a user's Prometheus would, and judging it. The one module to adapt when series are
// renamed or added (e.g. memscope_leak_verdict{memscope_leak_status=...}): KEEP decides what is stored per scrape,
// `flaggedKinds` what counts as a flag.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the Prometheus text exposition format (0.0.4): comments and blank lines skipped, label values unescaped,
 * `NaN`/`+Inf`/`-Inf` understood, an optional timestamp ignored. Lines that do not parse are skipped.
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const nameEnd = line.search(/[{\s]/);
    if (nameEnd <= 0) continue;
    const name = line.slice(0, nameEnd);
    let rest = line.slice(nameEnd);
    const labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest);
      if (parsed === undefined) continue;
      Object.assign(labels, parsed.labels);
      rest = rest.slice(parsed.end);
    }
    const value = parseValue(rest.trim().split(/\s+/)[0] ?? '');
    if (value === undefined) continue;
    samples.push({ name, labels, value });
  }
  return samples;
}

function parseLabels(text: string): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const eq = text.indexOf('=', i);
    if (eq < 0 || text[eq + 1] !== '"') return undefined;
    const key = text.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        value += next === 'n' ? '\n' : (next ?? '');
      } else {
        value += text[j]!;
      }
    }
    if (j >= text.length) return undefined;
    labels[key] = value;
    i = j + 1;
  }
}

function parseValue(text: string): number | undefined {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}

/**
 * What is kept of each scrape: families by name (or name prefix ending in `*`), one column per label set, or one
 * column summed over every label set (`sum`), renamed with `as`.
 */
const KEEP: ReadonlyArray<{ name: string; sum?: boolean; as?: string }> = [
  { name: 'memscope_leak_*' },
  { name: 'memscope_memory_post_gc_bytes' },
  { name: 'v8js_gc_duration_seconds_count' },
  { name: 'v8js_memory_heap_used_bytes', sum: true, as: 'heap_used_bytes' },
  { name: 'process_memory_usage_bytes', as: 'rss_bytes' },
  { name: 'memscope_memory_external_bytes', as: 'external_bytes' },
  { name: 'memscope_container_memory_limit_bytes' },
  { name: 'memscope_v8js_memory_heap_limit_bytes' },
];

/** The column of a sample: `name{k="v",...}` with labels sorted, `target_info`'s resource labels never included. */
export function columnName(name: string, labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? name : `${name}{${keys.map((k) => `${k}="${labels[k]}"`).join(',')}}`;
}

export type ScrapeRow = Record<string, number>;

/** The kept series of one scrape, as columns. */
export function toRow(samples: readonly Sample[]): ScrapeRow {
  const row: ScrapeRow = {};
  for (const sample of samples) {
    const rule = KEEP.find((k) => (k.name.endsWith('*') ? sample.name.startsWith(k.name.slice(0, -1)) : sample.name === k.name));
    if (rule === undefined) continue;
    if (rule.sum === true) {
      const column = rule.as ?? sample.name;
      row[column] = (row[column] ?? 0) + sample.value;
    } else {
      row[rule.as ?? columnName(sample.name, sample.labels)] = sample.value;
    }
  }
  return row;
}

/**
 * The kinds of memory flagged in a scrape: every `memscope_leak_suspected{memscope_memory_type=K}` at 1, and — for
 * the verdict series the lead is adding — every `memscope_leak_verdict{memscope_leak_status="suspected",...}` at 1
 * (its memory type, or `any`). Empty when nothing is flagged.
 */
export function flaggedKinds(row: ScrapeRow): string[] {
  const kinds: string[] = [];
  for (const [column, value] of Object.entries(row)) {
    if (value !== 1) continue;
    let match = /^memscope_leak_suspected\{.*memscope_memory_type="([^"]*)"/.exec(column);
    if (match !== null) {
      kinds.push(match[1]!);
      continue;
    }
    match = /^memscope_leak_verdict\{(.*)\}$/.exec(column);
    if (match !== null && /memscope_leak_status="suspected"/.test(match[1]!)) {
      kinds.push(/memscope_memory_type="([^"]*)"/.exec(match[1]!)?.[1] ?? 'any');
    }
  }
  return kinds;
}

export const isFlagged = (row: ScrapeRow): boolean => flaggedKinds(row).length > 0;

/** Rounds a figure for storage: bytes and counts to integers, ratios to 4 significant digits. */
export function compactNumber(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(4));
}

/** Columns (in first-seen order) and rows of values aligned with them (null where a scrape lacked the series). */
export function toTable(rows: ReadonlyArray<{ t: number; up: boolean; row: ScrapeRow }>): { columns: string[]; rows: Array<Array<number | null>> } {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const { row } of rows) {
    for (const column of Object.keys(row)) {
      if (!seen.has(column)) {
        seen.add(column);
        columns.push(column);
      }
    }
  }
  return {
    columns: ['t', 'up', ...columns],
    rows: rows.map(({ t, up, row }) => [t, up ? 1 : 0, ...columns.map((c) => (c in row ? compactNumber(row[c]!) : null))]),
  };
}

/** The inverse of toTable, for re-analysis: one row object per scrape (null values left out). */
export function fromTable(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<number | null>>): Array<{ t: number; up: boolean; row: ScrapeRow }> {
  return rows.map((values) => {
    const row: ScrapeRow = {};
    for (let c = 2; c < columns.length; c++) {
      const v = values[c];
      if (v !== null && v !== undefined) row[columns[c]!] = v;
    }
    return { t: values[0] ?? 0, up: values[1] === 1, row };
  });
}
