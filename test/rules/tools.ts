import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/child.js';
import { requireBinary } from '../helpers/prometheus.js';

/** promtool and amtool (from the Debian packages prometheus and prometheus-alertmanager); never skipped when missing. */
const TOOLS = {
  promtool: { command: process.env.PROMTOOL ?? 'promtool', hint: 'install it with: apt-get install -y --no-install-recommends prometheus' },
  amtool: { command: process.env.AMTOOL ?? 'amtool', hint: 'install it with: apt-get install -y --no-install-recommends prometheus-alertmanager' },
} as const;

const checked = new Set<string>();

export interface ToolRun {
  status: number;
  /** stdout and stderr together, for assertions and failure messages. */
  output: string;
}

export function tool(name: keyof typeof TOOLS, args: string[], cwd = ROOT): ToolRun {
  const { command, hint } = TOOLS[name];
  if (!checked.has(command)) {
    requireBinary(command, hint);
    checked.add(command);
  }
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error !== undefined) throw new Error(`${command} could not be run: ${result.error.message}`, { cause: result.error });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

export const fromRoot = (path: string): string => join(ROOT, path);
export const readText = (path: string): string => readFileSync(fromRoot(path), 'utf8');
export const readYaml = (path: string): unknown => parse(readText(path));
