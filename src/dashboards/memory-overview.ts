import { RowBuilder, type ThresholdsConfigBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Dashboard } from '@grafana/schema';
import { memscopeDashboard } from './base.js';
import { finalizeDashboard } from './finalize.js';
import { eventLoopDelayPanel, gcTimePanel, heapPanel, postGcPanel, rssPanel } from './memory-panels.js';
import { query, stat, thresholds, timeseries, verdictTimeline } from './panels.js';
import {
  ARRAY_BUFFERS,
  EVENTLOOP_UTILIZATION,
  EXTERNAL,
  GC_DURATION,
  HEAP_USED,
  LEAK_CONFIDENCE,
  LEAK_SLOPE,
  LEAK_SUSPECTED,
  PROBE_ERRORS,
  RSS,
  RULE_HEAP_OF_LIMIT,
  RULE_RSS_OF_CONTAINER_LIMIT,
  SAMPLER_TIME,
  UP,
} from './series.js';
import { alertsAnnotation, instanceVariable, jobVariable, restartsAnnotation, SERVICE } from './variables.js';

export const MEMORY_OVERVIEW_UID = 'memscope-memory-overview';

/** A single-value panel of the top row: the latest value of each instance. */
function now(title: string, description: string, unit: string, expr: string, steps?: ThresholdsConfigBuilder, legend = '{{instance}}') {
  return stat({ title, description, unit, targets: [query(expr, legend)] }, steps);
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
      now('Leak suspected', 'Whether the leak detector suspects any kind of memory on the instance grows without bound.', units.BoolYesNo, `max by (instance) (${LEAK_SUSPECTED}{${SERVICE}})`, thresholds(0.5, 1)),
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
        description: 'Robust (Theil–Sen) slope of the post-GC baseline over the detector window, per kind of memory: how fast what survives GC grows. 0 until the detector has enough data.',
        unit: units.BytesPerSecondIEC,
        width: 8,
        targets: [query(`${LEAK_SLOPE}{${SERVICE}}`, '{{memscope_memory_type}} {{instance}}')],
      }),
    )
    .withPanel(
      verdictTimeline(
        {
          title: 'Leak verdict',
          description: 'The detector verdict over time, per instance and kind of memory: red while it suspects a leak (a significant upward trend of the post-GC baseline).',
          unit: units.BoolYesNo,
          width: 8,
          targets: [query(`${LEAK_SUSPECTED}{${SERVICE}}`, '{{memscope_memory_type}} {{instance}}')],
        },
        'no leak',
        'leak suspected',
      ),
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
