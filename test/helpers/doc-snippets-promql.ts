import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { DocBlock } from './doc-snippets.js';

// promtool on the documentation's YAML and PromQL (files written into `dir`). promtool missing is an error, never a
// skip: in CI (CI=true) the tools a test needs must be there.
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

/** promtool on a YAML block that is a complete rules file or Prometheus configuration. */
export function promtoolOnYaml(block: DocBlock, where: string, dir: string): string[] {
  const doc = parseAllDocuments(block.body)[0]?.toJS() as Record<string, unknown> | null | undefined;
  if (doc === null || typeof doc !== 'object') return [];
  const kind = Array.isArray(doc.groups) ? 'rules' : Array.isArray(doc.scrape_configs) ? 'config' : undefined;
  if (kind === undefined) return [];
  const file = join(dir, `yaml-${block.line}.yml`);
  writeFileSync(file, block.body);
  const result = spawnSync(PROMTOOL, ['check', kind, file], { encoding: 'utf8', timeout: 30_000 });
  if (result.error !== undefined) throw new Error(`promtool could not be run (${PROMTOOL}): ${result.error.message}`);
  return result.status === 0 ? [] : [`${where}: promtool check ${kind}: ${result.stdout}${result.stderr}`];
}

/**
 * Each expression as a recording rule of one rules file: `promtool check rules` parses every one. On a failure, one
 * file per expression names the ones that do not parse.
 */
export function checkExpressions(expressions: ReadonlyArray<{ where: string; expr: string }>, dir: string): string[] {
  const check = (list: ReadonlyArray<{ expr: string }>, name: string): string => {
    const file = join(dir, `${name}.yml`);
    const rules = list.map(({ expr }) => `      - record: doc:snippet:check\n        expr: ${JSON.stringify(expr)}\n`).join('');
    writeFileSync(file, `groups:\n  - name: doc\n    rules:\n${rules}`);
    const result = spawnSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
    if (result.error !== undefined) throw new Error(`promtool could not be run (${PROMTOOL}): ${result.error.message}`);
    return result.status === 0 ? '' : (result.stdout + result.stderr).trim();
  };
  if (check(expressions, 'promql-all') === '') return [];
  return expressions.flatMap(({ where, expr }, i) => {
    const failure = check([{ expr }], `promql-${i}`);
    return failure === '' ? [] : [`${where}: ${expr}: ${failure}`];
  });
}
