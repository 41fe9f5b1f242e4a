import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendHtmlSections, heapDiffSectionHtml } from '../../report/heap-diff-html.js';
import type { HeapDiffSection } from '../../report/heap-diff-section.js';
import { writeFileAtomic } from '../../report/atomic-write.js';
import { profilePeakVUs, type LoadProfile } from '../load-profiles.js';
import { profileEnd, stageAt, stageSpans, type StageSpan } from './arrivals.js';
import { createHttpClient } from './http-client.js';
import { startLoad } from './load-generator.js';
import { watchMemory } from './memory-watch.js';
import { hasMemscopeSeries } from './metrics-scrape.js';
import { buildStressReport, formatStressText } from './stress-report.js';
import { StressSnapshots, urlTargetHeapDiff } from './stress-heap-diff.js';
import { REGISTER, startTarget, type Target, type TargetSpec } from './target.js';
import { DEFAULT_MEMORY_THRESHOLDS, describeScrapedVerdict, judgeClient, judgeMemory, summarizeMemory, type MemoryThresholds, type ThresholdResult } from './thresholds.js';

export interface StressRunOptions {
  /** The scenario's profile, already shortened if asked (scaleProfile). */
  profile: LoadProfile;
  target: TargetSpec;
  /** Directory the reports and pictures are written into. */
  outDir: string;
  /** `2MiB/s heap leak`: the fault the example was started with, for the report's title. @default null */
  injected?: string | null;
  /** How often /metrics is scraped, ms. @default 2000 */
  sampleIntervalMs?: number;
  /** @default DEFAULT_MEMORY_THRESHOLDS */
  memoryThresholds?: MemoryThresholds;
  /**
   * Iterations (job, polls, think time) running at once before arrivals are dropped and counted: the profile's VUs,
   * twice over. Open-loop up to there — a slower service still gets the planned arrivals — but bounded like k6's
   * arrival-rate executors (maxVUs), so an overloaded service is not buried under a backlog the k6 scripts, whose
   * VUs wait for their jobs, would never send. @default 2 × the profile's peak VUs, at least 4
   */
  maxInFlight?: number;
  /**
   * Stop the run once the service's leak verdict has said `suspected` on two scrapes in a row: the leak threshold has
   * failed for good (k6's abortOnFail), and a 45-minute leak hunt need not go on to say so. @default true
   */
  stopOnLeak?: boolean;
  /**
   * Heap snapshots of the target into this directory (`--heap-snapshots`), its newest pair diffed into the reports; a
   * target given by URL only gets a line saying why there is none. @default undefined (off)
   */
  heapSnapshots?: string;
  /** How long the target may take to answer, ms. @default 30000 */
  startTimeoutMs?: number;
  /** Aborting it (Ctrl-C) stops the load and the service; what was measured is still judged and written. */
  signal?: AbortSignal;
  /** Called once a second, and at each stage's start. */
  onProgress?: (p: StressProgress) => void;
  /** Lines worth a user's attention (target started, memory not measured). @default nothing */
  log?: (line: string) => void;
}

export interface StressProgress {
  stage: StageSpan | undefined;
  stageStarted: boolean;
  elapsedSeconds: number;
  plannedSeconds: number;
  jobs: number;
  requests: number;
  failedRequests: number;
  inFlight: number;
  rssBytes: number | null;
  leak: string | null;
}

export interface StressOutcome {
  passed: boolean;
  interrupted: boolean;
  failed: ThresholdResult[];
  /** The one verdict line. */
  verdict: string;
  files: { html: string; png: string; json: string; text: string };
  /** The target's heap diff (`heapSnapshots`), or why there is none; undefined when not asked for. */
  heapDiff?: HeapDiffSection;
}

/** Starts (or reaches) the target, drives the profile's load at it while scraping its memory, judges and writes. */
export async function runStress(options: StressRunOptions): Promise<StressOutcome> {
  const { profile } = options;
  const log = options.log ?? (() => undefined);
  const started = options.heapSnapshots !== undefined && options.target.kind !== 'url';
  const snapshots = started ? new StressSnapshots(options.heapSnapshots ?? '', mkdtempSync(join(tmpdir(), 'memscope-stress-'))) : undefined;
  let target: Target;
  try {
    target = await startTarget(options.target, options.startTimeoutMs ?? 30_000, (base) => snapshots?.env(base, REGISTER) ?? base);
  } catch (error) {
    if (snapshots !== undefined) rmSync(snapshots.reportDir, { recursive: true, force: true });
    throw error;
  }
  const maxInFlight = options.maxInFlight ?? Math.max(4, 2 * profilePeakVUs(profile));
  const http = createHttpClient(target.url, Math.min(maxInFlight, 256));
  const stages = stageSpans(profile);
  const planned = profileEnd(profile);
  // Set from the ticker and the abort listener while the load runs.
  const state: { targetExit: string | null; interrupted: boolean; stoppedEarly: string | null } = { targetExit: null, interrupted: false, stoppedEarly: null };
  try {
    log(`target: ${target.description} at ${target.url}; memory from ${target.metricsUrl}`);
    const watch = watchMemory(target.metricsUrl, options.sampleIntervalMs ?? 2000);
    const startedAt = Date.now();
    const load = startLoad({ profile, http, maxInFlight });
    const onAbort = (): void => {
      state.interrupted = true;
      load.stop();
    };
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let lastStage = -1;
    const tick = (): void => {
      const t = load.elapsedSeconds();
      const stage = stageAt(stages, t);
      const exit = target.exited();
      if (exit !== null && state.targetExit === null) {
        state.targetExit = `the target exited during the run (${exit.signal ?? `code ${String(exit.code)}`})`;
        load.stop();
      }
      const last = watch.readings.at(-1);
      if ((options.stopOnLeak ?? true) && state.stoppedEarly === null && watch.readings.slice(-2).filter((r) => r.verdict?.status === 'suspected').length === 2) {
        state.stoppedEarly = `stopped early at ${Math.round(t)} s: the service's leak verdict said suspected on two scrapes in a row (--no-stop-on-leak runs the whole scenario)`;
        log(state.stoppedEarly);
        load.stop();
      }
      options.onProgress?.({
        stage,
        stageStarted: stage !== undefined && stage.index !== lastStage,
        elapsedSeconds: t,
        plannedSeconds: planned,
        jobs: load.stats.jobsStarted,
        requests: load.stats.requests,
        failedRequests: load.stats.failedRequests,
        inFlight: load.inFlight(),
        rssBytes: last?.rss ?? null,
        leak: last?.verdict?.status ?? null,
      });
      if (stage !== undefined) lastStage = stage.index;
    };
    tick();
    const ticker = setInterval(tick, 1000).unref();
    await load.done;
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
    await watch.stop();
    const endedAt = Date.now();

    const withMemory = watch.readings.some(hasMemscopeSeries);
    const memory = withMemory ? summarizeMemory(watch.readings) : null;
    const failures = watch.failures();
    const memoryNote = withMemory
      ? null
      : `Memory NOT judged: ${target.metricsUrl} ${watch.readings.length === 0 ? `could not be scraped (${failures.last ?? 'no answer'})` : 'has no memscope series'}; only the client thresholds were judged.`;
    if (memoryNote !== null) log(memoryNote);
    const thresholds = [...judgeClient(profile, load.stats.summary()), ...(memory === null ? [] : judgeMemory(memory, options.memoryThresholds ?? DEFAULT_MEMORY_THRESHOLDS))];
    const { targetExit, interrupted, stoppedEarly } = state;
    if (targetExit !== null) thresholds.push({ name: 'target_alive', passed: false, actual: 0, limit: 1, unit: 'boolean', message: `${targetExit}; its last output: ${target.output().trim().split('\n').slice(-3).join(' | ')}` });
    const failed = thresholds.filter((t) => !t.passed);
    const heapDiff = await stressHeapDiff(options, snapshots, target);
    const verdict = verdictLine(profile.name, thresholds, memory?.verdict === null || memory === null ? null : describeScrapedVerdict(memory.verdict), memoryNote, interrupted, stoppedEarly !== null);
    const report = buildStressReport(
      { profile, target: target.description, startedAt, endedAt, interrupted, stoppedEarly, memory, memoryNote, client: load.stats.summary(), thresholds, readings: watch.readings, stages, injected: options.injected ?? null, ...(heapDiff === undefined ? {} : { heapDiff }) },
      verdict,
    );
    const files = await writeOutputs(report, options.outDir);
    return { passed: failed.length === 0 && !interrupted, interrupted, failed, verdict, files, ...(heapDiff === undefined ? {} : { heapDiff }) };
  } finally {
    await http.close();
    await target.stop();
    if (snapshots !== undefined) rmSync(snapshots.reportDir, { recursive: true, force: true });
  }
}

/**
 * The target's newest snapshot pair, diffed: a snapshot being written and a started pair are waited for, and the
 * target stopped first, so that its report — written as it exits — names the pair. Undefined when not asked for.
 */
async function stressHeapDiff(options: StressRunOptions, snapshots: StressSnapshots | undefined, target: Target): Promise<HeapDiffSection | undefined> {
  if (options.heapSnapshots === undefined) return undefined;
  if (snapshots === undefined) return urlTargetHeapDiff();
  await snapshots.settle();
  await target.stop();
  return snapshots.diff();
}

/** `verdict: PASS — smoke: 9 of 9 thresholds met; leak: …` or `verdict: FAIL — …: <each failed threshold>`. */
export function verdictLine(scenario: string, thresholds: readonly ThresholdResult[], leak: string | null, memoryNote: string | null, interrupted: boolean, stoppedEarly = false): string {
  const failed = thresholds.filter((t) => !t.passed);
  const memory = memoryNote === null ? '' : '; memory not judged (no memscope series)';
  const partial = interrupted ? ' (interrupted: partial run)' : stoppedEarly ? ' (stopped early on the leak verdict)' : '';
  if (failed.length === 0) {
    return `verdict: PASS — ${scenario}${partial}: ${thresholds.length} of ${thresholds.length} thresholds met${leak === null ? '' : `; ${leak}`}${memory}`;
  }
  return `verdict: FAIL — ${scenario}${partial}: ${failed.length} of ${thresholds.length} thresholds failed: ${failed.map((t) => `${t.name} (${t.message})`).join('; ')}${memory}`;
}

async function writeOutputs(report: ReturnType<typeof buildStressReport>, outDir: string): Promise<StressOutcome['files']> {
  const stamp = report.generatedAt.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const base = join(outDir, `stress-${report.stress.scenario}-${stamp}`);
  const files = { html: `${base}.html`, png: `${base}.png`, json: `${base}.json`, text: `${base}.txt` };
  await writeFileAtomic(files.json, `${JSON.stringify(report)}\n`);
  await writeFileAtomic(files.text, formatStressText(report));
  // The chart code (and resvg's native binding) is loaded only here, when there is something to draw.
  const charts = await import('../../charts/index.js');
  const written = await (await import('../../charts/write-chart.js')).writeReportChart(report, `Stress run: ${report.stress.scenario} against ${report.stress.target}`, files.png);
  if (written.warning !== undefined) console.error(`memscope stress: ${written.warning}`);
  files.png = written.path;
  const diff = report.tests[0]?.heapDiff;
  await writeFileAtomic(files.html, appendHtmlSections(charts.renderHtmlReport(report), diff === undefined ? [] : [heapDiffSectionHtml(diff, `Heap diff: ${report.stress.target}`)]));
  return files;
}
