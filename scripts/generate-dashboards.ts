// Writes dashboards/*.json from src/dashboards (npx tsx scripts/generate-dashboards.ts). With --check it writes
// nothing and exits 1 when a file is missing, differs or is left over from a removed dashboard.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, GENERATED_MARKER, OTEL_EXPORTER_DASHBOARDS, renderDashboard } from '../src/dashboards/index.js';

const dir = fileURLToPath(new URL('../dashboards/', import.meta.url));
const check = process.argv.includes('--check');
const problems: string[] = [];

if (!check) mkdirSync(dir, { recursive: true });
const wanted = new Set<string>();
for (const definition of [...DASHBOARDS, ...OTEL_EXPORTER_DASHBOARDS]) {
  wanted.add(definition.file);
  const path = join(dir, definition.file);
  const text = renderDashboard(definition.build());
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  if (check) problems.push(`${current === undefined ? 'missing' : 'out of date'}: dashboards/${definition.file}`);
  else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote dashboards/${definition.file}`);
  }
}
// A generated file whose dashboard was removed from src/dashboards goes too (hand-made files are left alone).
for (const file of existsSync(dir) ? readdirSync(dir) : []) {
  if (!file.endsWith('.json') || wanted.has(file) || !readFileSync(join(dir, file), 'utf8').includes(GENERATED_MARKER)) continue;
  if (check) problems.push(`left over: dashboards/${file}`);
  else {
    rmSync(join(dir, file));
    console.log(`removed dashboards/${file}`);
  }
}
if (problems.length > 0) {
  console.error(`${problems.join('\n')}\nrun: npx tsx scripts/generate-dashboards.ts`);
  process.exitCode = 1;
}
