import { RowBuilder, type ThresholdsConfigBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Dashboard } from '@grafana/schema';
import { memscopeDashboard } from './base.js';
import { finalizeDashboard } from './finalize.js';
import { eventLoopDelayPanel, gcTimePanel, heapPanel, postGcPanel, rssPanel } from './memory-panels.js';
import { query, stat, stateStat, stateTimeline, thresholds, timeseries, type PanelState } from './panels.js';
import {
  ARRAY_BUFFERS,
  EVENTLOOP_UTILIZATION,
  EXTERNAL,
  GC_DURATION,
  HEAP_USED,
  EXHAUSTION_FORECAST,
  LEAK_CONFIDENCE,
  LEAK_SLOPE,
  LEAK_SUSPECTED,
  LEAK_VERDICT,
  PROBE_ERRORS,
  RSS,
  RULE_HEAP_OF_LIMIT,
  RULE_RSS_OF_CONTAINER_LIMIT,
  SAMPLER_TIME,
  UP,
} from './series.js';
import { alertsAnnotation, instanceVariable, jobVariable, restartsAnnotation, SERVICE } from './variables.js';

export const MEMORY_OVERVIEW_UID = 'memscope-memory-overview';

/**
 * The verdict's state set as one number per series: 2 suspected, 1 no leak, 0 inconclusive (the detector cannot
 * speak yet). Both terms exist whenever the detector runs, so the sum is always defined.
 */
const verdictCode = (by: string): string =>
  `max by (${by}) (2 * ${LEAK_VERDICT}{${SERVICE}, memscope_leak_status="suspected"}\n` +
  `  + ignoring (memscope_leak_status) ${LEAK_VERDICT}{${SERVICE}, memscope_leak_status="no_leak"})`;
const VERDICT_STATES: readonly PanelState[] = [
  { value: 0, text: 'inconclusive', color: 'text' },
  { value: 1, text: 'no leak', color: 'green' },
  { value: 2, text: 'leak suspected', color: 'red' },
];

/** A single-value panel of the top row: the latest value of each instance. */
function now(title: string, description: string, unit: string, expr: string, steps?: ThresholdsConfigBuilder, legend = '{{instance}}') {
  return stat({ title, description, unit, targets: [query(expr, legend)] }, steps);
}

/** Which kind of memory the detector suspects, per instance: absent while that kind is inconclusive. */
function verdictTimelineByKind() {
  return stateTimeline(
    {
      title: 'Leak suspected, by kind of memory',
      description: 'memscope_leak_suspected per kind of memory (heap, external, array_buffers, rss outside the heap): which memory leaks. Empty while the detector cannot judge that kind yet.',
      unit: units.BoolYesNo,
      width: 12,
      targets: [query(`${LEAK_SUSPECTED}{${SERVICE}}`, '{{memscope_memory_type}} {{instance}}')],
    },
    [
      { value: 0, text: 'no leak', color: 'green' },
      { value: 1, text: 'leak suspected', color: 'red' },
    ],
  );
}

export function memoryOverviewDashboard(): Dashboard {
  const builder = memscopeDashboard('Memory overview', MEMORY_OVERVIEW_UID)
    .withVariable(jobVariable())
    .withVariable(instanceVariable())
    .annotation(restartsAnnotation())
    .annotation(alertsAnnotation())

    .withRow(new RowBuilder('Now'))
    .withPanel(now('Instances up', 'Targets of the job that the last scrape reached.', units.Short, `sum by (job) (${UP}{${SERVICE}})`, undefined, '{{job}}'))
    .withPanel(now('RSS', 'Resident set size of each instance.', units.BytesIEC, `${RSS}{${SERVICE}}`))
    .withPanel(
      now('RSS of container limit', 'RSS as a share of the cgroup memory limit (recording rule); empty when unlimited.', units.PercentUnit, `${RULE_RSS_OF_CONTAINER_LIMIT}{${SERVICE}}`, thresholds(0.8, 0.9)),
    )
    .withPanel(now('Heap of heap limit', 'V8 heap in use as a share of its size limit (recording rule).', units.PercentUnit, `${RULE_HEAP_OF_LIMIT}{${SERVICE}}`, thresholds(0.8, 0.9)))
    .withPanel(
      stateStat(
        {
          title: 'Leak verdict',
          description: 'The leak detector\'s verdict for each instance: leak suspected, no leak, or inconclusive (still warming up, or too few post-GC baseline points to judge) — inconclusive is not "no leak".',
          unit: units.Short,
          targets: [query(verdictCode('instance'), '{{instance}}')],
        },
        VERDICT_STATES,
      ),
    )
    .withPanel(now('Verdict confidence', 'Confidence of the current leak verdict (an experimental heuristic).', units.PercentUnit, `${LEAK_CONFIDENCE}{${SERVICE}}`))

    .withRow(new RowBuilder('Resident memory'))
    .withPanel(rssPanel())
    .withPanel(
      timeseries(
        {
          title: 'External and array buffers',
          description: 'Memory of C++ objects bound to JavaScript objects (external) and, part of it, ArrayBuffers and Buffers: outside the V8 heap, inside RSS.',
          unit: units.BytesIEC,
          targets: [query(`${EXTERNAL}{${SERVICE}}`, 'external {{instance}}'), query(`${ARRAY_BUFFERS}{${SERVICE}}`, 'array buffers {{instance}}')],
        },
        { min: 0 },
      ),
    )

    .withRow(new RowBuilder('V8 heap'))
    .withPanel(heapPanel())
    .withPanel(
      timeseries(
        {
          title: 'Heap used by space',
          description: 'Heap in use per V8 heap space, summed over the selected instances: a leak fills old_space; large_object_space holds objects over ~500 KB.',
          unit: units.BytesIEC,
          targets: [query(`sum by (v8js_heap_space_name) (${HEAP_USED}{${SERVICE}})`, '{{v8js_heap_space_name}}')],
        },
        { stacked: true, min: 0 },
      ),
    )

    .withRow(new RowBuilder('Garbage collection'))
    .withPanel(
      timeseries(
        {
          title: 'GC pauses per second by type',
          description: 'Garbage collections per second by kind: scavenges (minor) are frequent and cheap; major mark-compacts are rare and long.',
          unit: units.OpsPerSecond,
          width: 8,
          targets: [query(`sum by (v8js_gc_type) (rate(${GC_DURATION}_count{${SERVICE}}[$__rate_interval]))`, '{{v8js_gc_type}}')],
        },
        { min: 0 },
      ),
    )
    .withPanel(gcTimePanel())
    .withPanel(
      timeseries(
        {
          title: 'GC pause duration by type',
          description: '99th percentile (from the histogram buckets) and mean GC pause, by kind of GC.',
          unit: units.Seconds,
          width: 8,
          targets: [
            query(`histogram_quantile(0.99, sum by (le, v8js_gc_type) (rate(${GC_DURATION}_bucket{${SERVICE}}[$__rate_interval])))`, 'p99 {{v8js_gc_type}}'),
            query(
              `sum by (v8js_gc_type) (rate(${GC_DURATION}_sum{${SERVICE}}[$__rate_interval])) / sum by (v8js_gc_type) (rate(${GC_DURATION}_count{${SERVICE}}[$__rate_interval]))`,
              'mean {{v8js_gc_type}}',
            ),
          ],
        },
        { min: 0 },
      ),
    )

    .withRow(new RowBuilder('Leak detection'))
    .withPanel(postGcPanel())
    .withPanel(
      timeseries({
        title: 'Leak slope',
        description: 'Robust (Theil–Sen) slope of the post-GC baseline on the time scale that decided the verdict, per kind of memory: how fast what survives GC grows. Absent until the detector can speak about that kind.',
        unit: units.BytesPerSecondIEC,
        width: 8,
        targets: [query(`${LEAK_SLOPE}{${SERVICE}}`, '{{memscope_memory_type}} {{instance}}')],
      }),
    )
    .withPanel(
      stateTimeline(
        {
          title: 'Leak verdict',
          description: 'The detector verdict over time, per instance: red while it suspects a leak (a significant upward trend of a post-GC baseline), green when it has judged every kind of memory and found none, grey while inconclusive.',
          unit: units.Short,
          width: 8,
          targets: [query(verdictCode('instance'), '{{instance}}')],
        },
        VERDICT_STATES,
      ),
    )
    .withPanel(
      timeseries({
        title: 'Time until out of memory',
        description: 'The detector\'s forecast: time until the heap limit (post-GC heap baseline against V8\'s heap limit) and the container limit (RSS against the cgroup limit) would be reached at the current post-GC baseline trend. Absent when there is no trend; MemscopeMemoryExhaustionForecast fires under 4 h and 1 h.',
        unit: units.Seconds,
        width: 12,
        targets: [query(`${EXHAUSTION_FORECAST}{${SERVICE}}`, '{{memscope_memory_limit}} {{instance}}')],
      }),
    )
    .withPanel(
      verdictTimelineByKind(),
    )

    .withRow(new RowBuilder('Event loop'))
    .withPanel(eventLoopDelayPanel())
    .withPanel(
      timeseries(
        {
          title: 'Event-loop utilization',
          description: 'Share of time the event loop was busy since the previous scrape.',
          unit: units.PercentUnit,
          targets: [query(`${EVENTLOOP_UTILIZATION}{${SERVICE}}`, '{{instance}}')],
        },
        { min: 0 },
      ),
    )

    .withRow(new RowBuilder('memscope itself'))
    .withPanel(
      timeseries(
        {
          title: 'Time spent sampling memory',
          description: "memscope's own cost: the share of time spent taking memory samples.",
          unit: units.PercentUnit,
          targets: [query(`rate(${SAMPLER_TIME}{${SERVICE}}[$__rate_interval])`, '{{instance}}')],
        },
        { min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Probe errors per second',
          description: 'Failed probe reads by probe; a failed probe is skipped (its series is absent), never thrown into the service.',
          unit: units.OpsPerSecond,
          targets: [query(`sum by (memscope_probe_name) (rate(${PROBE_ERRORS}{${SERVICE}}[$__rate_interval]))`, '{{memscope_probe_name}}')],
        },
        { min: 0 },
      ),
    );

  return finalizeDashboard(builder.build(), 'RSS against the container limit, the V8 heap against its limit and by space, external memory, GC, the post-GC baseline with the leak slope and verdict, the event loop; restarts and firing alerts as annotations.');
}
