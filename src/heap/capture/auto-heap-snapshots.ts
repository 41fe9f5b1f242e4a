import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { freemem, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../../internal/errors.js';
import { formatBytes } from '../../internal/units.js';
import { WarnOnce } from '../../internal/warnings.js';
import type { LeakVerdict } from '../../sdk/leak/leak-detector.js';
import { readContainerMemoryLimit } from '../../sdk/probes/container-memory.js';
import { HeapSnapshotCapture, type CaptureStats } from './heap-capture.js';
import { CAPTURE_OPTION_KEYS, type CaptureEvent, type CaptureReason, type HeapCaptureOptions } from './capture-options.js';
import { boolOption, intOption, objectOption, rejectUnknownKeys } from '../../internal/validate.js';

/** Heap snapshots on anomaly: HeapCaptureOptions plus what makes the profiler start a pair on its own. */
export interface HeapSnapshotOptions extends Omit<HeapCaptureOptions, 'autoTrigger'> {
  /** Start a pair when the leak verdict turns to suspected. @default true */
  onLeakSuspected?: boolean;
  /**
   * Start a pair when the exhaustion forecast (heap or container limit) falls under this many ms; null turns it off.
   * @default 14_400_000 (4 hours, the warning level of MemscopeMemoryExhaustionForecast)
   */
  forecastHorizonMs?: number | null;
  /**
   * Diff each completed pair in a separate, low-priority process (`memscope heap-diff --json`), write the diff
   * beside the pair (`<second>.diff.json`) and expose its top growing constructor (`memscope_heap_snapshot_info`).
   * Skipped, with a warning, when the memory it needs (~1.7x the larger snapshot file) would not fit beside the
   * process's RSS under the container limit or in what the system has available.
   * @default true
   */
  analyse?: boolean;
}

/** The newest pair and, once analysed, what grew most between its snapshots. */
export interface HeapSnapshotPair {
  before: string;
  after: string;
  reason: CaptureReason;
  /** The constructor (or closure) whose new objects retain the most, once the pair is analysed. */
  topConstructor: string | null;
  /** The diff's JSON file, once written. */
  diffFile: string | null;
}

const SNAPSHOT_OPTION_KEYS = [...CAPTURE_OPTION_KEYS.filter((k) => k !== 'autoTrigger'), 'onLeakSuspected', 'forecastHorizonMs', 'analyse'];

/** Memory an analysis of a snapshot file needs, as a multiple of the file's size (measured: docs/heap-snapshots.md). */
const ANALYSIS_MEMORY_FACTOR = 1.7;

/**
 * The profiler's heap snapshots: a HeapSnapshotCapture whose check (every `checkIntervalMs`) also starts a pair when
 * the leak verdict turns to suspected or the exhaustion forecast falls under its horizon — on the transition, not
 * for as long as it lasts, so the rate limit is not hammered — and an analysis of each completed pair in a separate
 * process, so the service never parses a snapshot on its own event loop or heap. Never throws at run time; stop()
 * ends the timer, the signal handler and a running analysis.
 */
export class AutoHeapSnapshots {
  readonly capture: HeapSnapshotCapture;
  private readonly warnings = new WarnOnce();
  private readonly onLeak: boolean;
  private readonly horizonMs: number | null;
  private readonly analyse: boolean;
  private wasSuspected = false;
  private wasNearLimit = false;
  private pair: HeapSnapshotPair | null = null;
  /** The first snapshot of the pair under way. */
  private first: string | undefined;
  private analysis: ReturnType<typeof spawn> | undefined;
  private stopped = false;

  constructor(options: HeapSnapshotOptions, verdict: () => LeakVerdict | undefined) {
    rejectUnknownKeys(objectOption('heapSnapshots', options), SNAPSHOT_OPTION_KEYS, 'heapSnapshots');
    const { onLeakSuspected, forecastHorizonMs, analyse, onEvent, ...capture } = options;
    this.onLeak = boolOption('heapSnapshots.onLeakSuspected', onLeakSuspected, true);
    this.horizonMs = forecastHorizonMs === null ? null : intOption('heapSnapshots.forecastHorizonMs', forecastHorizonMs, 4 * 3_600_000, 0, 30 * 86_400_000);
    this.analyse = boolOption('heapSnapshots.analyse', analyse, true);
    this.capture = new HeapSnapshotCapture({
      ...capture,
      autoTrigger: () => this.due(verdict()),
      onEvent: (event) => {
        this.onCaptureEvent(event);
        onEvent?.(event);
      },
    }, CAPTURE_OPTION_KEYS, 'heapSnapshots');
  }

  start(): this {
    this.capture.start();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.capture.stop();
    this.analysis?.kill();
    this.analysis = undefined;
  }

  stats(): CaptureStats {
    return this.capture.stats();
  }

  /** The newest complete pair, with its analysis once done; null before the first. */
  latestPair(): HeapSnapshotPair | null {
    return this.pair === null ? null : { ...this.pair };
  }

  /** The reason to start a pair now, on a transition of the verdict or of the forecast; undefined otherwise. */
  private due(v: LeakVerdict | undefined): CaptureReason | undefined {
    if (v === undefined) return undefined;
    const suspected = v.status === 'suspected';
    const soonest = Math.min(v.forecast?.heap?.seconds ?? Infinity, v.forecast?.container?.seconds ?? Infinity) * 1000;
    const nearLimit = this.horizonMs !== null && soonest < this.horizonMs;
    const reason: CaptureReason | undefined =
      this.onLeak && suspected && !this.wasSuspected ? 'leak_verdict' : nearLimit && !this.wasNearLimit ? 'forecast' : undefined;
    this.wasSuspected = suspected;
    this.wasNearLimit = nearLimit;
    return reason;
  }

  private onCaptureEvent(event: CaptureEvent): void {
    if (event.type !== 'snapshot') return;
    if (event.pair === 'first') this.first = event.path;
    if (event.pair !== 'second' || this.first === undefined) return;
    this.pair = { before: this.first, after: event.path, reason: event.reason, topConstructor: null, diffFile: null };
    this.first = undefined;
    if (this.analyse) this.startAnalysis(this.pair);
  }

  /** `memscope heap-diff --json` on the pair, in a separate process at the lowest priority, if the memory allows. */
  private startAnalysis(pair: HeapSnapshotPair): void {
    if (this.stopped || this.analysis !== undefined) return;
    try {
      const cli = cliMain();
      const need = ANALYSIS_MEMORY_FACTOR * Math.max(statSync(pair.before).size, statSync(pair.after).size);
      const refusal = analysisRefusal(need);
      if (cli === undefined || refusal !== undefined) {
        this.warnings.warn('analysis', 'MEMSCOPE_W_HEAP_SNAPSHOT', `memscope: the heap snapshot pair was not analysed: ${refusal ?? 'the memscope CLI was not found'}; run memscope heap-diff ${pair.before} ${pair.after} elsewhere`);
        return;
      }
      const diffFile = `${pair.after}.diff.json`;
      const out = openSync(diffFile, 'w');
      // NODE_OPTIONS cleared: a preload (memscope/register) must not profile the analyser itself.
      const child = spawn(process.execPath, [cli, 'heap-diff', pair.before, pair.after, '--json', '--top', '10', '--paths', '3'], {
        stdio: ['ignore', out, 'ignore'],
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      closeSync(out);
      child.unref();
      this.analysis = child;
      if (child.pid !== undefined) {
        try {
          setPriority(child.pid, 19);
        } catch {
          // Not allowed here: it still runs, at the default priority.
        }
      }
      child.on('error', () => {
        this.analysis = undefined;
      });
      child.on('exit', (code) => {
        this.analysis = undefined;
        if (code !== 0 || this.pair !== pair) return;
        const top = topConstructor(diffFile);
        if (top !== undefined) this.pair = { ...pair, topConstructor: top, diffFile };
      });
    } catch (error) {
      this.warnings.warn('analysis', 'MEMSCOPE_W_HEAP_SNAPSHOT', `memscope: the heap snapshot pair was not analysed: ${errorMessage(error)}`);
    }
  }
}

/** Why an analysis needing `need` bytes must not run now, or undefined. */
function analysisRefusal(need: number): string | undefined {
  // The analyser runs in this process's cgroup: what it needs comes on top of this process's RSS.
  const limit = readContainerMemoryLimit().limitBytes;
  const rss = process.memoryUsage.rss();
  if (limit !== null && rss + need > limit) return `it needs about ${formatBytes(need)} beside an RSS of ${formatBytes(rss)} under the container limit of ${formatBytes(limit)}`;
  const available = freemem();
  if (need > available) return `it needs about ${formatBytes(need)} and the system has ${formatBytes(available)} available`;
  return undefined;
}

/** The first group of the diff that is not one of V8's own structures: what a person fixes. */
function topConstructor(diffFile: string): string | undefined {
  try {
    const diff = JSON.parse(readFileSync(diffFile, 'utf8')) as { groups?: Array<{ name?: unknown; internal?: unknown }> };
    const group = diff.groups?.find((g) => g.internal !== true && typeof g.name === 'string');
    return typeof group?.name === 'string' ? group.name.slice(0, 128) : undefined;
  } catch {
    return undefined;
  }
}

/** dist/cli/main.js, beside this module once built (from the sources, the built one next to them). */
function cliMain(): string | undefined {
  for (const relative of ['../../cli/main.js', '../../../dist/cli/main.js']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}
