import { Command, Option } from 'commander';
import { join } from 'node:path';
import { heapDiffLine } from '../../report/heap-diff-section.js';
import { MemscopeError, invalidOption } from '../../internal/errors.js';
import { formatBytes, parseBytes, parsePercent } from '../../internal/units.js';
import { LOAD_PROFILES, LOAD_PROFILE_NAMES, profileDurationSeconds, type LoadProfileName } from '../../stress/load-profiles.js';
import { resolveProfile } from '../../stress/runner/scenario.js';
import type { TargetSpec } from '../../stress/runner/target.js';
import { DEFAULT_MEMORY_THRESHOLDS } from '../../stress/runner/thresholds.js';
import type { StressProgress } from '../../stress/runner/run-stress.js';
import { addFaultOptions, type FaultFlags } from '../fault-options.js';
import { parsePositiveInt, parser } from '../options.js';

interface StressFlags extends FaultFlags {
  scenario: LoadProfileName;
  target?: string;
  metrics?: string;
  out: string;
  duration?: number;
  sampleInterval: number;
  maxRss: number;
  maxHeapShare: number;
  startTimeout: number;
  stopOnLeak: boolean;
  heapSnapshots?: string | true;
}

export function stressCommand(): Command {
  const command = new Command('stress')
    .description('drive a service with a load scenario, watch its memory, judge the thresholds and write the reports and pictures; exits 13 naming each failed threshold')
    .argument('[command...]', 'after --: a command to start with memscope preloaded (its /metrics on a port memscope picks), e.g. -- node app.js')
    .addOption(new Option('--scenario <name>', 'the load profile (src/stress/load-profiles.ts, shared with the k6 scripts)').choices(LOAD_PROFILE_NAMES).default('smoke'))
    .option('--target <url>', 'an already running service (its /metrics scraped); with a command: where the command serves')
    .option('--metrics <url>', 'with --target: where its Prometheus metrics are (default: <target>/metrics)')
    .option('--out <dir>', 'directory for the JSON, text, HTML and PNG reports', 'reports/stress')
    .option('--duration <seconds>', "shorten (or lengthen) the scenario to about this long, same shape, VUs and thresholds (default: the profile's length)", parsePositiveInt('--duration', 7 * 86_400))
    .option('--sample-interval <ms>', 'how often the memory is scraped', parsePositiveInt('--sample-interval', 600_000), 2000)
    .addOption(new Option('--max-rss <size>', 'memory threshold: highest acceptable peak RSS (lowered to 90% of a container limit)').argParser(parser((v) => parseBytes('--max-rss', v))).default(DEFAULT_MEMORY_THRESHOLDS.maxRssBytes, '1GiB'))
    .addOption(new Option('--max-heap-share <percent>', 'memory threshold: highest acceptable heap used, as a share of the heap limit').argParser(parser((v) => share('--max-heap-share', v))).default(DEFAULT_MEMORY_THRESHOLDS.maxHeapShare, '80%'))
    .option('--no-stop-on-leak', "run the whole scenario even after the service's leak verdict says suspected (by default the run stops there: the leak threshold has failed)")
    .option('--heap-snapshots [dir]', "heap snapshots of the target it starts, into dir (default: <out>/heap-snapshots): a pair when the service's leak verdict says suspected, diffed into the reports")
    .option('--start-timeout <ms>', 'how long the target may take to start and answer', parsePositiveInt('--start-timeout', 600_000), 30_000);
  // The example's own fault injection, passed to `memscope serve` when no target is given.
  addFaultOptions(command, { perRequest: true });
  return command.action(async (commandLine: string[], flags: StressFlags) => {
    await stress(commandLine, flags);
  });
}

async function stress(commandLine: string[], flags: StressFlags): Promise<void> {
  const exampleArgs = faultArgs(flags);
  if (exampleArgs.length > 0 && (flags.target !== undefined || commandLine.length > 0)) {
    throw new MemscopeError('MEMSCOPE_E_USAGE', 'fault injection (--inject-*) applies to the example service only: drop --target and the command to use it');
  }
  if (flags.metrics !== undefined && (flags.target === undefined || commandLine.length > 0)) {
    throw new MemscopeError('MEMSCOPE_E_USAGE', '--metrics goes with --target alone (a started command serves its metrics where memscope tells it)');
  }
  const injected = flags.injectLeak !== undefined ? `--inject-leak ${formatBytes(flags.injectLeak)}/s ${flags.leakKind}`
    : flags.injectLeakPerRequest !== undefined ? `--inject-leak-per-request ${formatBytes(flags.injectLeakPerRequest)} ${flags.leakKind}` : null;
  const target = targetSpec(commandLine, flags, exampleArgs, injected);
  const base = LOAD_PROFILES[flags.scenario];
  const profile = resolveProfile(flags.scenario, flags.duration);
  console.log(`memscope stress: scenario ${profile.name}, ${profileDurationSeconds(profile)} s planned${flags.duration === undefined ? '' : ` (shortened from ${profileDurationSeconds(base)} s)`}: ${profile.purpose}`);

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    console.log(`\nmemscope stress: ${signal}: stopping the load and the service; writing what was measured`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = createStageProgress();
  try {
    const { runStress } = await import('../../stress/runner/run-stress.js');
    const outcome = await runStress({
      profile,
      target,
      outDir: flags.out,
      injected,
      sampleIntervalMs: flags.sampleInterval,
      memoryThresholds: { maxRssBytes: flags.maxRss, maxHeapShare: flags.maxHeapShare },
      startTimeoutMs: flags.startTimeout,
      stopOnLeak: flags.stopOnLeak,
      ...(flags.heapSnapshots === undefined ? {} : { heapSnapshots: typeof flags.heapSnapshots === 'string' ? flags.heapSnapshots : join(flags.out, 'heap-snapshots') }),
      signal: controller.signal,
      onProgress: progress.update,
      log: (line) => { console.log(`memscope stress: ${line}`); },
    });
    progress.done();
    for (const t of outcome.failed) console.log(`  FAIL  ${t.name}: ${t.message}`);
    console.log(`HTML report: ${outcome.files.html}`);
    console.log(`${outcome.files.png.endsWith('.svg') ? 'SVG' : 'PNG'} chart:   ${outcome.files.png}`);
    console.log(`JSON report: ${outcome.files.json}`);
    console.log(`text report: ${outcome.files.text}`);
    if (outcome.heapDiff !== undefined) console.log(heapDiffLine(outcome.heapDiff));
    console.log(outcome.verdict);
    if (outcome.interrupted) throw new MemscopeError('MEMSCOPE_E_INTERRUPTED', 'stopped before the end of the scenario; the reports above hold what was measured');
    if (!outcome.passed) {
      throw new MemscopeError('MEMSCOPE_E_STRESS_FAILED', `${outcome.failed.length} threshold(s) failed: ${outcome.failed.map((t) => t.name).join(', ')}`);
    }
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function targetSpec(commandLine: string[], flags: StressFlags, exampleArgs: string[], faults: string | null): TargetSpec {
  const [command, ...args] = commandLine;
  if (command !== undefined) return { kind: 'command', command, args, ...(flags.target === undefined ? {} : { url: checkedUrl(flags.target) }) };
  if (flags.target !== undefined) return { kind: 'url', url: checkedUrl(flags.target), ...(flags.metrics === undefined ? {} : { metricsUrl: checkedUrl(flags.metrics) }) };
  return { kind: 'example', exampleArgs, ...(faults === null ? {} : { faults }) };
}

function checkedUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw invalidOption('--target', 'an http:// or https:// URL such as http://127.0.0.1:3000', value);
}

function share(field: string, value: string): number {
  const fraction = parsePercent(field, value);
  if (fraction <= 0 || fraction > 1) throw invalidOption(field, 'a percentage above 0 and at most 100%', value);
  return fraction;
}

/** The fault flags given, as `memscope serve` takes them. */
function faultArgs(flags: FaultFlags): string[] {
  const args: string[] = [];
  if (flags.injectLeak !== undefined) args.push('--inject-leak', `${flags.injectLeak}B/s`);
  if (flags.injectLeakPerRequest !== undefined) args.push('--inject-leak-per-request', String(flags.injectLeakPerRequest));
  if (flags.injectSpike !== undefined) args.push('--inject-spike', String(flags.injectSpike), '--spike-phase', flags.spikePhase);
  if (flags.injectSlowPhase !== undefined) args.push('--inject-slow-phase', `${flags.injectSlowPhase.phase}:${flags.injectSlowPhase.ms}`);
  if (args.length > 0 && flags.leakKind !== 'heap') args.push('--leak-kind', flags.leakKind);
  return args;
}

/**
 * A line when each stage starts (always: a CI log shows the run's course), and on a terminal a live status line on
 * stderr, redrawn each second.
 */
function createStageProgress(): { update: (p: StressProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY;
  let last = '';
  const clear = (): void => {
    if (last !== '') process.stderr.write(`\r${' '.repeat(last.length)}\r`);
    last = '';
  };
  return {
    update(p) {
      const status = `${Math.round(p.elapsedSeconds)}/${p.plannedSeconds} s, ${p.jobs} jobs, ${p.requests} requests (${p.failedRequests} failed), ${p.inFlight} in flight${p.rssBytes === null ? '' : `, RSS ${formatBytes(p.rssBytes)}`}${p.leak === null ? '' : `, leak verdict ${p.leak}`}`;
      if (p.stageStarted && p.stage !== undefined) {
        clear();
        console.log(`memscope stress: ${p.stage.label} for ${p.stage.stage.durationSeconds} s — ${status}`);
      }
      if (tty) {
        const line = `${p.stage?.label ?? 'finishing'}: ${status}`;
        process.stderr.write(`\r${line.padEnd(last.length)}`);
        last = line;
      }
    },
    done: clear,
  };
}
