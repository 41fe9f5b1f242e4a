import { MEMSCOPE_VERSION } from '../version.js';
import { captureEnvironment } from './environment.js';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION, type MemscopeReport } from './report-model.js';

type Header = Pick<MemscopeReport, 'schema' | 'schemaVersion' | 'generatedAt' | 'tool' | 'environment' | 'limits'>;

/** The fields every report starts with: schema and version, time, tool, the environment and its memory limits. */
export function reportHeader(): Header {
  const environment = captureEnvironment();
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    tool: { name: 'memscope', version: MEMSCOPE_VERSION },
    environment,
    limits: { heapLimitBytes: environment.heapLimitBytes, containerLimitBytes: environment.containerLimitBytes },
  };
}
