import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Dashboard } from '@grafana/schema';
import { memscopeDashboard } from './base.js';
import { finalizeDashboard } from './finalize.js';
import { barGauge, instantQuery, query, timeseries } from './panels.js';
import { PHASE_ACTIVE, PHASE_DELTA, PHASE_DURATION, PHASE_MISUSE, PHASE_PEAK } from './series.js';
import { instanceVariable, jobVariable, multiLabelVariable, restartsAnnotation, SERVICE } from './variables.js';

export const PHASES_UID = 'memscope-phases';

/** The service's matchers plus the phases picked above the panels. */
const PHASE = `${SERVICE}, memscope_phase_name=~"$phase"`;
const TOP = 10;

export function phasesDashboard(): Dashboard {
  const builder = memscopeDashboard('Phases', PHASES_UID)
    .withVariable(jobVariable())
    .withVariable(instanceVariable())
    .withVariable(
      multiLabelVariable('phase', 'Phase', `label_values(${PHASE_DURATION}_count{job=~"$job", instance=~"$instance"}, memscope_phase_name)`),
    )
    .annotation(restartsAnnotation())

    .withRow(new RowBuilder('Top phases by memory'))
    .withPanel(topPanel('Top phases by heap growth', 'heap', PHASE_DELTA, 'Largest heap delta (end minus start) of a completed instance of each phase over the time range: the phases that leave the most heap behind.'))
    .withPanel(topPanel('Top phases by peak RSS', 'rss', PHASE_PEAK, 'Highest RSS seen during a completed instance of each phase over the time range: the phases that need the most memory at once.'))

    .withRow(new RowBuilder('Throughput and duration'))
    .withPanel(
      timeseries(
        {
          title: 'Phase completions per second',
          description: 'Completed phase instances per second, by phase.',
          unit: units.OpsPerSecond,
          targets: [query(`sum by (memscope_phase_name) (rate(${PHASE_DURATION}_count{${PHASE}}[$__rate_interval]))`, '{{memscope_phase_name}}')],
        },
        { min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Phase duration',
          description: '95th percentile (from the histogram buckets) and mean duration of completed phases, by phase.',
          unit: units.Seconds,
          targets: [
            query(`histogram_quantile(0.95, sum by (le, memscope_phase_name) (rate(${PHASE_DURATION}_bucket{${PHASE}}[$__rate_interval])))`, 'p95 {{memscope_phase_name}}'),
            query(
              `sum by (memscope_phase_name) (rate(${PHASE_DURATION}_sum{${PHASE}}[$__rate_interval])) / sum by (memscope_phase_name) (rate(${PHASE_DURATION}_count{${PHASE}}[$__rate_interval]))`,
              'mean {{memscope_phase_name}}',
            ),
          ],
        },
        { min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Phases running now',
          description: 'Instances of each phase in progress (nested and concurrent instances count separately).',
          unit: units.Short,
          targets: [query(`sum by (memscope_phase_name) (${PHASE_ACTIVE}{${PHASE}})`, '{{memscope_phase_name}}')],
        },
        { min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        {
          title: 'Phase API misuse per second',
          description: 'Ends without a start, double ends, names past the cardinality cap, too many active instances (each also warned about once).',
          unit: units.OpsPerSecond,
          targets: [query(`sum by (memscope_phase_misuse) (rate(${PHASE_MISUSE}{${SERVICE}}[$__rate_interval]))`, '{{memscope_phase_misuse}}')],
        },
        { min: 0 },
      ),
    )

    .withRow(new RowBuilder('Memory per phase'))
    .withPanel(memoryPanel('Heap delta per phase', PHASE_DELTA, 'heap', 'Heap at the end minus at the start of the most recent completed instance of each phase; negative when a GC ran during the phase.'))
    .withPanel(memoryPanel('RSS delta per phase', PHASE_DELTA, 'rss', 'RSS at the end minus at the start of the most recent completed instance of each phase.'))
    .withPanel(memoryPanel('Peak heap per phase', PHASE_PEAK, 'heap', 'Highest heap seen during the most recent completed instance of each phase.'))
    .withPanel(memoryPanel('Peak RSS per phase', PHASE_PEAK, 'rss', 'Highest RSS seen during the most recent completed instance of each phase (samples, boundaries and the kernel high-water mark).'));

  return finalizeDashboard(builder.build(), 'Per phase: duration, memory delta and peak, and the top phases by memory.');
}

function memoryPanel(title: string, series: string, memoryType: 'heap' | 'rss', description: string) {
  return timeseries({
    title,
    description,
    unit: units.BytesIEC,
    targets: [query(`${series}{${PHASE}, memscope_memory_type="${memoryType}"}`, '{{memscope_phase_name}} {{instance}}')],
  });
}

function topPanel(title: string, memoryType: 'heap' | 'rss', series: string, description: string) {
  return barGauge({
    title,
    description,
    unit: units.BytesIEC,
    targets: [
      instantQuery(
        `topk(${TOP}, max by (memscope_phase_name) (max_over_time(${series}{${PHASE}, memscope_memory_type="${memoryType}"}[$__range])))`,
        '{{memscope_phase_name}}',
      ),
    ],
  });
}
