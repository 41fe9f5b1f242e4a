import * as units from '@grafana/grafana-foundation-sdk/units';
import type { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { query, timeseries } from './panels.js';
import {
  CONTAINER_LIMIT,
  EVENTLOOP_DELAY_MAX,
  EVENTLOOP_DELAY_P50,
  EVENTLOOP_DELAY_P99,
  GC_DURATION,
  HEAP_LIMIT,
  HEAP_SPACE_SIZE,
  HEAP_USED,
  MAX_RSS,
  POST_GC,
  RSS,
} from './series.js';
import { SERVICE } from './variables.js';

/** Panels of the service's memory that more than one dashboard shows (the overview, and beside a stress test). */

export function rssPanel(width = 12): TimeseriesPanel {
  return timeseries(
    {
      title: 'RSS against the container limit',
      description:
        'Resident set size of each instance, its kernel high-water mark, and the memory limit of its cgroup. ' +
        'The kernel kills the process (OOM) when RSS reaches the limit; no limit line means the container is unlimited.',
      unit: units.BytesIEC,
      width,
      targets: [
        query(`${RSS}{${SERVICE}}`, 'RSS {{instance}}'),
        query(`${MAX_RSS}{${SERVICE}}`, 'high-water mark {{instance}}'),
        query(`${CONTAINER_LIMIT}{${SERVICE}}`, 'container limit {{instance}}'),
      ],
    },
    { limitSeries: '/^container limit/', min: 0 },
  );
}

export function heapPanel(width = 12): TimeseriesPanel {
  return timeseries(
    {
      title: 'Heap used and total against the heap limit',
      description:
        'V8 heap in use and committed (summed over heap spaces), and the heap size limit V8 was started with ' +
        '(--max-old-space-size): a heap that reaches its limit ends the process with "JavaScript heap out of memory".',
      unit: units.BytesIEC,
      width,
      targets: [
        query(`sum by (job, instance) (${HEAP_USED}{${SERVICE}})`, 'used {{instance}}'),
        query(`sum by (job, instance) (${HEAP_SPACE_SIZE}{${SERVICE}})`, 'total {{instance}}'),
        query(`${HEAP_LIMIT}{${SERVICE}}`, 'heap limit {{instance}}'),
      ],
    },
    { limitSeries: '/^heap limit/', min: 0 },
  );
}

export function gcTimePanel(width = 8): TimeseriesPanel {
  return timeseries(
    {
      title: 'Time paused in GC by type',
      description:
        'Share of wall-clock time the main thread spent in garbage-collection pauses, by kind of GC. A heap close to ' +
        'its limit collects ever more often for ever less: this climbs before an out-of-memory crash.',
      unit: units.PercentUnit,
      width,
      targets: [query(`sum by (v8js_gc_type) (rate(${GC_DURATION}_sum{${SERVICE}}[$__rate_interval]))`, '{{v8js_gc_type}}')],
    },
    { stacked: true, min: 0 },
  );
}

export function postGcPanel(width = 8, memoryType?: string): TimeseriesPanel {
  const type = memoryType === undefined ? '' : `, memscope_memory_type="${memoryType}"`;
  return timeseries(
    {
      title: memoryType === undefined ? 'Post-GC baseline' : `Post-GC baseline (${memoryType})`,
      description:
        'Memory left right after the most recent GC that reclaims it (a major GC for the heap). Garbage comes and ' +
        'goes; what survives collection is the baseline, and a baseline that keeps rising is what a leak looks like.',
      unit: units.BytesIEC,
      width,
      targets: [query(`${POST_GC}{${SERVICE}${type}}`, '{{memscope_memory_type}} {{instance}}')],
    },
    { min: 0 },
  );
}

export function eventLoopDelayPanel(width = 12): TimeseriesPanel {
  return timeseries({
    title: 'Event-loop delay',
    description:
      'How late timers fire on the main thread (median, 99th percentile and worst since the previous scrape). Long GC ' +
      'pauses and synchronous work both show here as latency every request pays.',
    unit: units.Seconds,
    width,
    targets: [
      query(`${EVENTLOOP_DELAY_P50}{${SERVICE}}`, 'p50 {{instance}}'),
      query(`${EVENTLOOP_DELAY_P99}{${SERVICE}}`, 'p99 {{instance}}'),
      query(`${EVENTLOOP_DELAY_MAX}{${SERVICE}}`, 'max {{instance}}'),
    ],
  });
}
