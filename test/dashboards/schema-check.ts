import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../helpers/child.js';

/**
 * Checks JSON against Grafana's own schema types (@grafana/schema, generated from the CUE schema Grafana validates
 * dashboards with) by handing the TypeScript compiler a module that declares each value `satisfies` its type:
 * missing required fields, wrong types, misspelt and unknown keys (excess-property checks) are all compile errors.
 */

// String enums are nominal in TypeScript (the literal "list" is not a LegendDisplayMode), but JSON holds their
// values: Json<T> turns every string enum into the union of its values and leaves the rest of the type alone.
const PRELUDE = `
import type { AnnotationQuery, Dashboard } from '@grafana/schema';
import type { Dataquery as PrometheusDataquery } from '@grafana/grafana-foundation-sdk/prometheus';
import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as BarGauge from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type * as StateTimeline from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';

type Json<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends ReadonlyArray<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/** The Prometheus plugin's query model (its schema ships with the plugin, not with @grafana/schema). */
type PromQuery = Json<Omit<PrometheusDataquery, '_implementsDataqueryVariant'>>;

/** Fields Grafana's Prometheus annotation support reads from the annotation itself (grafana-prometheus annotations.ts). */
interface PromAnnotationFields { titleFormat?: string; textFormat?: string; tagKeys?: string; useValueForTime?: boolean }
type PromAnnotation = Json<Omit<AnnotationQuery, 'target'>> & { target?: PromQuery } & PromAnnotationFields;

type GrafanaDashboard = Json<Omit<Dashboard, 'annotations'>> & { annotations?: { list?: PromAnnotation[] } };

export type Panels = {
  timeseries: { options: Json<TimeSeries.Options>; custom: Json<TimeSeries.FieldConfig> };
  stat: { options: Json<Stat.Options>; custom: Record<string, never> };
  bargauge: { options: Json<BarGauge.Options>; custom: Record<string, never> };
  'state-timeline': { options: Json<StateTimeline.Options>; custom: Json<StateTimeline.FieldConfig> };
};
`;

/** Panel types the check knows the option types of; a dashboard using another type fails until it is added here. */
export const PANEL_TYPES = ['timeseries', 'stat', 'bargauge', 'state-timeline'] as const;

export interface JsonCheck {
  /** Names the value in error messages. */
  label: string;
  /** A type of the prelude: `GrafanaDashboard`, `PromQuery`, `Panels['timeseries']['options']`... */
  type: string;
  value: unknown;
}

/** Type-checks every value against its type; returns the compiler's messages (empty when all conform). */
export function checkJsonTypes(checks: readonly JsonCheck[]): string[] {
  const file = join(ROOT, 'test/dashboards/__schema_check__.ts');
  const body = checks.map((c, i) => `// ${c.label}\nexport const v${i} = ${JSON.stringify(c.value)} satisfies ${c.type};`).join('\n');
  const source = `${PRELUDE}\n${body}\n`;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  const program = ts.createProgram([file], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file?.fileName !== file || d.start === undefined) return message;
    // Name the value the error is in: the nearest `// label` comment above the error.
    const before = source.slice(0, d.start);
    const label = /\/\/ ([^\n]*)\n[^\n]*$/.exec(before.slice(before.lastIndexOf('\n// ')))?.[1] ?? 'prelude';
    return `${label}: ${message}`;
  });
}
