// One run of one shape in one setting: a fresh service, its load, a scrape of /metrics every 5 s judged as a user's
// Prometheus would see it, a forced-GC probe at the load's start and after the last scrape (the effective leak rate,
// measured independently of the detector), and everything stopped and removed at the end.
import { cpus, loadavg, totalmem } from 'node:os';
import { probe, startLoad, startService, type LoadHandle, type LoadStats, type Probe, type ServiceHandle } from './launch.js';
import { flaggedKinds, parseExposition, toRow, toTable, type ScrapeRow } from './scrape.js';
import type { Setting, ShapeSpec } from './shapes.js';

export const SCRAPE_INTERVAL_MS = 5000;
/** A leak run goes on this long after its first flag, to see whether the flag stays up. */
export const CONFIRM_S = 30;
const SCRAPE_TIMEOUT_MS = 4000;

export interface Build {
  dist: string;
  /** The commit of the checkout the build lives in, when it is one (`+dirty` when it has uncommitted changes). */
  commit: string | null;
  /** mtime of the build's index.js, ISO. */
  builtAt: string;
}

export interface RunResult {
  v: 1;
  key: string;
  shape: string;
  setting: Setting;
  run: number;
  kind: 'leak' | 'healthy';
  nominalBytesPerSec: number | null;
  targetS: number | null;
  durationS: number;
  leakStart: 'load' | 'service';
  build: Build;
  startedAt: string;
  /** The run's wall time, seconds, start-up and clean-up included. */
  wallS: number;
  /** The machine's 1-minute load average at the start and at the end (2 cores shared with other work here). */
  loadAvg1m: [number, number];
  machine: { cpu: string; cores: number; memGiB: number; node: string };
  /** Seconds from the service's spawn to the load's start. */
  loadStartOffsetS: number;
  /** Seconds from the leak's start (load start, or service spawn for time-driven leaks) to the first flagged scrape. */
  firstFlagS: number | null;
  firstFlagKinds: string[];
  flaggedScrapes: number;
  scrapes: number;
  /** Leaks: whether every scrape after the first flag was flagged too. */
  stayedFlagged: boolean | null;
  endReason: 'confirmed' | 'timeout' | 'fixed' | 'exited';
  /** The last scrape's time, seconds from the leak's start. */
  lastS: number;
  exit: { code: number | null; signal: string | null; early: boolean; outOfMemory: boolean };
  load: LoadStats | null;
  probes: Array<Probe | null>;
  /** Post-forced-GC growth between the probes, bytes per second; `total` is heap + external. */
  effective: EffectiveRates | null;
  containerLimitBytes: number | null;
  heapLimitBytes: number | null;
  /** Every scrape, columnar: `t` (seconds from the leak's start), `up`, then the kept series (lib/scrape.ts). */
  columns: string[];
  rows: Array<Array<number | null>>;
}

export interface EffectiveRates {
  heap: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  total: number;
  overS: number;
}

export function effectiveRates(first: Probe, last: Probe): EffectiveRates {
  const s = (last.time - first.time) / 1000;
  const rate = (a: number, b: number): number => Math.round((b - a) / s);
  return {
    heap: rate(first.heapUsed, last.heapUsed),
    external: rate(first.external, last.external),
    arrayBuffers: rate(first.arrayBuffers, last.arrayBuffers),
    rss: rate(first.rss, last.rss),
    total: rate(first.heapUsed + first.external, last.heapUsed + last.external),
    overS: Math.round(s * 10) / 10,
  };
}

export const runKey = (shape: string, setting: Setting, run: number): string => `${shape}|${setting}|${run}`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function scrape(url: string): Promise<ScrapeRow | undefined> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    if (!res.ok) return undefined;
    return toRow(parseExposition(await res.text()));
  } catch {
    return undefined;
  }
}

interface Watched {
  rows: Array<{ t: number; up: boolean; row: ScrapeRow }>;
  firstFlagS: number | null;
  firstFlagKinds: string[];
  flagged: number;
  stayed: boolean;
  endReason: RunResult['endReason'];
}

/** Scrapes every 5 s from the load's start until the run is over (see ShapeSpec.durationS and CONFIRM_S). */
async function watch(shape: ShapeSpec, service: ServiceHandle, load: LoadHandle, leakStart: number): Promise<Watched> {
  const w: Watched = { rows: [], firstFlagS: null, firstFlagKinds: [], flagged: 0, stayed: true, endReason: shape.kind === 'leak' ? 'timeout' : 'fixed' };
  const deadline = (shape.kind === 'leak' ? leakStart : load.startedAt) + shape.durationS * 1000;
  for (let k = 1; ; k++) {
    await sleep(load.startedAt + k * SCRAPE_INTERVAL_MS - Date.now());
    if (service.child.process.exitCode !== null || service.child.process.signalCode !== null) {
      w.endReason = 'exited';
      return w;
    }
    const at = Date.now();
    const row = await scrape(service.url);
    const t = Math.round((at - leakStart) / 100) / 10;
    w.rows.push({ t, up: row !== undefined, row: row ?? {} });
    const kinds = row === undefined ? [] : flaggedKinds(row);
    if (kinds.length > 0) {
      w.flagged++;
      if (w.firstFlagS === null) {
        w.firstFlagS = t;
        w.firstFlagKinds = kinds;
      }
    } else if (w.firstFlagS !== null && row !== undefined) {
      w.stayed = false;
    }
    if (shape.kind === 'leak' && w.firstFlagS !== null && t >= w.firstFlagS + CONFIRM_S) {
      w.endReason = 'confirmed';
      return w;
    }
    if (at >= deadline) return w;
  }
}

export async function runOne(shape: ShapeSpec, setting: Setting, run: number, context: { dist: string; build: Build; id: string }): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const wall0 = Date.now();
  const loadAtStart = loadavg()[0]!;
  const service = await startService(shape, { dist: context.dist, setting, id: context.id, seed: run });
  let load: LoadHandle | undefined;
  try {
    load = await startLoad(shape, service.url, run);
    const first = await probe(service);
    const leakStart = shape.leakStart === 'service' ? service.spawnedAt : load.startedAt;
    const { rows, firstFlagS, firstFlagKinds, flagged, stayed, endReason } = await watch(shape, service, load, leakStart);
    const last = endReason === 'exited' ? undefined : await probe(service);
    const loadStats = (await load.stop()) ?? null;
    const early = endReason === 'exited';
    const exit = await service.stop();
    const output = service.child.output.join('\n');
    const seen = (column: string): number | null => rows.find((r) => column in r.row)?.row[column] ?? null;
    const table = toTable(rows);
    return {
      v: 1,
      key: runKey(shape.name, setting, run),
      shape: shape.name,
      setting,
      run,
      kind: shape.kind,
      nominalBytesPerSec: shape.nominalBytesPerSec ?? null,
      targetS: shape.targetS ?? null,
      durationS: shape.durationS,
      leakStart: shape.leakStart,
      build: context.build,
      startedAt,
      wallS: Math.round((Date.now() - wall0) / 1000),
      loadAvg1m: [Math.round(loadAtStart * 10) / 10, Math.round(loadavg()[0]! * 10) / 10],
      machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      loadStartOffsetS: Math.round((load.startedAt - service.spawnedAt) / 100) / 10,
      firstFlagS,
      firstFlagKinds,
      flaggedScrapes: flagged,
      scrapes: rows.length,
      stayedFlagged: shape.kind === 'leak' && firstFlagS !== null ? stayed : null,
      endReason,
      lastS: rows.at(-1)?.t ?? 0,
      exit: {
        code: exit.code,
        signal: exit.signal,
        early,
        // V8's own heap-limit death, or the cgroup's OOM killer (SIGKILL we did not send: we send SIGTERM first).
        outOfMemory: /heap out of memory|Reached heap limit/i.test(output) || (early && exit.signal === 'SIGKILL'),
      },
      load: loadStats,
      probes: [first ?? null, last ?? null],
      effective: first !== undefined && last !== undefined ? effectiveRates(first, last) : null,
      containerLimitBytes: seen('memscope_container_memory_limit_bytes'),
      heapLimitBytes: seen('memscope_v8js_memory_heap_limit_bytes'),
      columns: table.columns,
      rows: table.rows,
    };
  } finally {
    // Whatever happened on the way, nothing stays behind: both stops are harmless once the process has exited.
    await load?.stop();
    await service.stop();
  }
}
