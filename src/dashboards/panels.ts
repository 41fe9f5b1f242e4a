import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizOrientation,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { MappingType, ThresholdsConfigBuilder, ThresholdsMode, type DynamicConfigValue, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS } from './datasources.js';

/** What every panel states: a title, what it shows and why it matters, a unit, and its queries. */
export interface PanelSpec {
  title: string;
  description: string;
  /** A Grafana unit id (`bytes`, `s`, `percentunit`, ...): required, a number without a unit is a guess. */
  unit: string;
  targets: ReadonlyArray<Builder<Dataquery>>;
  /** Grid columns out of 24. @default 12 */
  width?: number;
  /** Grid rows. @default 8 */
  height?: number;
}

/** A range query; `legend` is Grafana's legend format (`{{label}}`). */
export function query(expr: string, legend: string): DataqueryBuilder {
  return new DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend).range();
}

/** An instant query: one value per series at the end of the time range (bar gauges, stats). */
export function instantQuery(expr: string, legend: string): DataqueryBuilder {
  return new DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend).instant();
}

export interface TimeseriesOptions {
  stacked?: boolean;
  /** Series whose display name matches this regex are drawn as dashed red limit lines (container limit, heap limit). */
  limitSeries?: string;
  min?: number;
}

export function timeseries(spec: PanelSpec, options: TimeseriesOptions = {}): TimeseriesPanel {
  const panel = new TimeseriesPanel()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .unit(spec.unit)
    .targets([...spec.targets])
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .lineWidth(1)
    .fillOpacity(options.stacked === true ? 40 : 10)
    .showPoints(VisibilityMode.Never)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom))
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
  if (options.min !== undefined) panel.min(options.min);
  if (options.stacked === true) panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  if (options.limitSeries !== undefined) panel.overrideByRegexp(options.limitSeries, LIMIT_LINE);
  return panel;
}

/** A limit is a ceiling to compare against, not a quantity: a dashed red line without fill, never stacked. */
const LIMIT_LINE: DynamicConfigValue[] = [
  { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
  { id: 'custom.fillOpacity', value: 0 },
  { id: 'custom.stacking', value: { mode: 'none', group: 'A' } },
  { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
];

/** Warning from `warn`, critical from `critical` upwards (for ratios: 0.8 and 0.9 of a limit). */
export function thresholds(warn: number, critical: number): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: warn, color: 'orange' },
    { value: critical, color: 'red' },
  ]);
}

export function stat(spec: PanelSpec, steps?: ThresholdsConfigBuilder): StatPanel {
  const panel = new StatPanel()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .unit(spec.unit)
    .targets([...spec.targets])
    .span(spec.width ?? 4)
    .height(spec.height ?? 4)
    .graphMode(BigValueGraphMode.Area)
    .colorMode(BigValueColorMode.Value)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (steps !== undefined) panel.thresholds(steps);
  return panel;
}

/** Ranked values (top-k): horizontal bars, largest first as the query returns them. */
export function barGauge(spec: PanelSpec): BarGaugePanel {
  return new BarGaugePanel()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .unit(spec.unit)
    .targets([...spec.targets])
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .orientation(VizOrientation.Horizontal)
    .displayMode(BarGaugeDisplayMode.Gradient)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .min(0);
}

/** A 0/1 verdict per series over time: green "no", red "yes". */
/** A discrete state shown by a state timeline or a stat: the value a query returns for it, its text and colour. */
export interface PanelState {
  value: number;
  text: string;
  color: string;
}

function stateMappings(states: readonly PanelState[]): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  for (const [index, s] of states.entries()) options[String(s.value)] = { text: s.text, color: s.color, index };
  return [{ type: MappingType.ValueToText, options }];
}

/** Discrete states over time, one lane per series, each state in its own colour. */
export function stateTimeline(spec: PanelSpec, states: readonly PanelState[]): StateTimelinePanel {
  return new StateTimelinePanel()
    .title(spec.title)
    .description(spec.description)
    .datasource(PROMETHEUS)
    .unit(spec.unit)
    .targets([...spec.targets])
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .mappings(stateMappings(states))
    .thresholds(thresholds(0.5, 1))
    .showValue(VisibilityMode.Never)
    .mergeValues(true)
    .legend(new VizLegendOptionsBuilder().showLegend(false).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom));
}

/** The latest state of each series as a big coloured word. */
export function stateStat(spec: PanelSpec, states: readonly PanelState[]): StatPanel {
  return stat(spec).mappings(stateMappings(states)).colorMode(BigValueColorMode.Background).graphMode(BigValueGraphMode.None);
}
