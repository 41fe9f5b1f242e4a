import {
  GC_TIME_RATIO, HEAP_LIMIT_RATIO, HEAP_USED_RATIO, POST_GC_DERIV, RSS_USED_RATIO,
} from './recording-rules.js';
import type { AlertingRule, RuleGroup, Severity } from './rule-types.js';
import { durationSeconds, type PromDuration, type RatioLevel, type Thresholds } from './thresholds.js';

/** Every alert links here; docs/runbook.md has one `## <AlertName>` section per alert (GitHub lowercases anchors). */
export const RUNBOOK_BASE = 'https://github.com/memscope/memscope/blob/main/docs/runbook.md';

export const runbookUrl = (alert: string): string => `${RUNBOOK_BASE}#${alert.toLowerCase()}`;

/** Memory alerts: the ones a down target inhibits in Alertmanager (its memory series are stale, not healthy). */
export const MEMORY_ALERTS = [
  'MemscopeHeapNearLimit', 'MemscopeRssNearContainerLimit', 'MemscopeHeapLimitAboveContainerLimit',
  'MemscopeMemoryLeakSuspected', 'MemscopeMemoryExhaustionForecast', 'MemscopeGcPressure', 'MemscopePhaseMemoryJump',
] as const;

export const AVAILABILITY_ALERTS = [
  'MemscopeTargetDown', 'MemscopeJobMissing', 'MemscopeProbeFailing', 'MemscopeProcessRestarting',
] as const;

type AlertName = (typeof MEMORY_ALERTS)[number] | (typeof AVAILABILITY_ALERTS)[number];

/**
 * Where the evidence is, when the service takes heap snapshots (the `heapSnapshots` option): the newest pair and the
 * constructor that grew most between them, from `memscope_heap_snapshot_info` of the same instance (one series at a
 * time). Nothing is added without it.
 */
const SNAPSHOT_NOTE =
  '{{ range printf "memscope_heap_snapshot_info{job=%q,instance=%q}" $labels.job $labels.instance | query }}' +
  ' Newest heap snapshot pair: {{ .Labels.memscope_snapshot_before }} and {{ .Labels.memscope_snapshot_after }}' +
  '{{ if .Labels.memscope_snapshot_top_constructor }}; grew most between them: {{ .Labels.memscope_snapshot_top_constructor }}{{ end }}' +
  ' (memscope heap-diff them for the retainer paths).{{ end }}';

const pct = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`;
const bytes = (n: number): string => (n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : `${n / 2 ** 10} KiB`);

function alert(
  name: AlertName, severity: Severity, expr: string, forDuration: PromDuration, summary: string, description: string,
  labels: Record<string, string> = {},
): AlertingRule {
  return {
    alert: name,
    expr,
    for: forDuration,
    labels: { severity, ...labels },
    annotations: { summary, description, runbook_url: runbookUrl(name) },
  };
}

/** A warning and a critical rule of one alert, so that Alertmanager's critical-inhibits-warning rule applies. */
function levels(
  name: AlertName, levelsOf: { warning: RatioLevel; critical: RatioLevel }, series: string,
  summary: string, describe: (level: RatioLevel) => string,
): AlertingRule[] {
  return (['warning', 'critical'] as const).map((severity) => {
    const level = levelsOf[severity];
    return alert(name, severity, `${series} > ${level.ratio}`, level.for, summary, describe(level));
  });
}

export function memoryAlerts(t: Thresholds): RuleGroup<AlertingRule> {
  const { leak, gcPressure: gc, phaseDeltaJump: jump } = t;
  const phaseHeapDelta = 'memscope_phase_memory_delta_bytes{memscope_memory_type="heap"}';
  return {
    name: 'memscope-memory',
    ...(t.evaluationInterval === undefined ? {} : { interval: t.evaluationInterval }),
    rules: [
      ...levels('MemscopeHeapNearLimit', t.heapNearLimit, HEAP_USED_RATIO, 'V8 heap is near its limit.', (l) =>
        'The V8 heap of {{ $labels.instance }} (job {{ $labels.job }}) has used {{ $value | humanizePercentage }} ' +
        `of V8's heap limit for more than ${l.for} (threshold ${pct(l.ratio)}). ` +
        'At the limit the process aborts with "JavaScript heap out of memory".'),
      ...levels('MemscopeRssNearContainerLimit', t.rssNearContainerLimit, RSS_USED_RATIO, 'Process memory is near the container limit.', (l) =>
        'The RSS of {{ $labels.instance }} (job {{ $labels.job }}) has been {{ $value | humanizePercentage }} ' +
        `of the container memory limit for more than ${l.for} (threshold ${pct(l.ratio)}). ` +
        'At the limit the kernel OOM-kills the process without warning.'),
      alert('MemscopeHeapLimitAboveContainerLimit', 'warning', `${HEAP_LIMIT_RATIO} > ${t.heapLimitAboveContainerLimit.maxRatio}`,
        t.heapLimitAboveContainerLimit.for, 'V8 heap limit is above the container memory limit.',
        `V8 may grow the heap of {{ $labels.instance }} to {{ $value | humanizePercentage }} of the container memory limit: the kernel ` +
        'will OOM-kill the process before V8 reports heap exhaustion, so MemscopeHeapNearLimit cannot warn first. ' +
        'Set --max-old-space-size to about 75% of the container limit.'),
      // Three conditions, each covering another's blind spot: the SDK's verdict (robust statistics on post-major-GC
      // baselines, blind to anything older than its 10 min window), a longer PromQL trend on the same baselines (so a
      // verdict from a step or a burst must also show as sustained growth), and a restart guard (a new process
      // warms up, and its falling-then-rising baseline is neither leak nor health).
      alert('MemscopeMemoryLeakSuspected', 'warning',
        `(\n  ${POST_GC_DERIV} > ${leak.minGrowthBytesPerSecond}\n` +
        '  and on (job, instance, memscope_memory_type)\n' +
        '  max by (job, instance, memscope_memory_type) (memscope_leak_suspected) == 1\n)\n' +
        'and on (job, instance)\n' +
        `(time() - max by (job, instance) (memscope_process_start_time_seconds) > ${durationSeconds(leak.warmUp)})`,
        leak.for, 'Memory is leaking: the post-GC baseline keeps rising.',
        'The post-GC {{ $labels.memscope_memory_type }} baseline of {{ $labels.instance }} has grown by {{ $value | humanize1024 }}B/s ' +
        `over the last ${leak.derivWindow} (threshold ${bytes(leak.minGrowthBytesPerSecond)}/s), memscope's leak detector has suspected ` +
        `a leak for more than ${leak.for}, and the process has run for more than ${leak.warmUp}.` + SNAPSHOT_NOTE),
      // The SDK's forecast comes from the post-GC baseline trend of the running process only: a restart or a deploy
      // starts a new process with no trend and no forecast, where predict_linear() over raw RSS would extrapolate the
      // jump of a fresh process filling its caches and page everyone.
      ...(['warning', 'critical'] as const).map((severity) => {
        const level = t.exhaustion[severity];
        return alert('MemscopeMemoryExhaustionForecast', severity,
          `min by (job, instance, memscope_memory_limit) (memscope_memory_exhaustion_forecast_seconds) < ${durationSeconds(level.horizon)}`,
          level.for, `Memory will run out within ${level.horizon} at the current trend.`,
          'At the current trend of its post-GC memory baseline, {{ $labels.instance }} (job {{ $labels.job }}) reaches its ' +
          '{{ $labels.memscope_memory_limit }} limit in {{ $value | humanizeDuration }} ' +
          `(threshold ${level.horizon}, for more than ${level.for}). At the heap limit V8 aborts with "JavaScript heap out of memory"; ` +
          'at the container limit the kernel OOM-kills the process.');
      }),
      alert('MemscopeGcPressure', 'warning', `${GC_TIME_RATIO} > ${gc.maxTimeRatio}`, gc.for, 'Node.js spends too much time in GC.',
        `{{ $labels.instance }} has spent {{ $value | humanizePercentage }} of its time in GC pauses over the last ${gc.rateWindow} ` +
        `(threshold ${pct(gc.maxTimeRatio)}), for more than ${gc.for}.`),
      // The gauge holds the phase's most recent completed instance. Compared with its own average (the current value
      // included), a jump stays above the line for a while and then resolves: it is news, not a level.
      alert('MemscopePhaseMemoryJump', 'info',
        `${phaseHeapDelta}\n  > ${jump.factor} * avg_over_time(${phaseHeapDelta}[${jump.history}])\n` +
        `and\n${phaseHeapDelta} > ${jump.minBytes}`,
        jump.for, 'A phase retains much more heap than it used to.',
        'Phase {{ $labels.memscope_phase_name }} on {{ $labels.instance }} ended with a heap delta of ' +
        `{{ $value | humanize1024 }}B, more than ${jump.factor}× its average over the last ${jump.history} ` +
        `and above ${bytes(jump.minBytes)}, for more than ${jump.for}.`),
    ],
  };
}

export function availabilityAlerts(t: Thresholds): RuleGroup<AlertingRule> {
  const job = `job="${t.serviceJob}"`;
  return {
    name: 'memscope-availability',
    ...(t.evaluationInterval === undefined ? {} : { interval: t.evaluationInterval }),
    rules: [
      alert('MemscopeTargetDown', 'warning', `up{${job}} == 0`, t.targetDown.for, 'A replica of the service cannot be scraped.',
        `Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for more than ${t.targetDown.for}.`),
      // absent() of a comparison carries no labels, hence the static job label.
      alert('MemscopeJobMissing', 'critical', `absent(up{${job}} == 1)`, t.jobMissing.for, 'No replica of the service is up.',
        `No target of job ${t.serviceJob} has been up for more than ${t.jobMissing.for}: the service is down or no longer discovered, ` +
        'and every memory alert is blind.', { job: t.serviceJob }),
      alert('MemscopeProbeFailing', 'warning',
        `sum by (job, instance, memscope_probe_name) (increase(memscope_probe_errors_total[${t.probeErrors.window}])) > 0`,
        t.probeErrors.for, 'A memscope probe keeps failing.',
        "memscope's {{ $labels.memscope_probe_name }} probe on {{ $labels.instance }} has failed {{ $value | printf \"%.0f\" }} times " +
        `in the last ${t.probeErrors.window}, and kept failing for more than ${t.probeErrors.for}. Its series are absent from scrapes, ` +
        'so alerts built on them cannot fire.'),
      alert('MemscopeProcessRestarting', 'warning',
        `changes(memscope_process_start_time_seconds[${t.restarts.window}]) > ${t.restarts.maxRestarts}`,
        t.restarts.for, 'The process keeps restarting.',
        `{{ $labels.instance }} (job {{ $labels.job }}) has restarted {{ $value }} times in the last ${t.restarts.window} ` +
        `(more than ${t.restarts.maxRestarts}): a crash loop, often OOM kills.`),
    ],
  };
}
