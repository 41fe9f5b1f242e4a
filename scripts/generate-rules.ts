// `npx tsx scripts/generate-rules.ts` (npm run generate:rules): writes the Prometheus rule files of both profiles from
// src/monitoring/thresholds.ts. The generated YAML is committed; test/rules/rules.test.ts fails when it is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRuleFiles, otelExporterRuleFiles } from '../src/monitoring/render-rules.js';

const root = fileURLToPath(new URL('..', import.meta.url));

for (const file of [...allRuleFiles(), ...otelExporterRuleFiles()]) {
  const path = join(root, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.text);
  console.log(`wrote ${file.path}`);
}
