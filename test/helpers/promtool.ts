import { spawnSync } from 'node:child_process';

/**
 * Runs the real `promtool check metrics` (Prometheus' own text parser plus its metric linter) on an exposition read
 * from stdin. promtool prints nothing and exits 0 for a clean input; it prints one line per finding on stderr and
 * exits 3 for lint problems, 1 for a parse error.
 */

/** `PROMTOOL` points at a specific binary; otherwise `promtool` is looked up on PATH. */
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const INSTALL_HINT = 'install it with: apt-get install -y --no-install-recommends prometheus (or set PROMTOOL=/path/to/promtool)';

export interface PromtoolResult {
  /** Findings, one per line (lint problems and parse errors); empty for a clean exposition. */
  readonly findings: string[];
  readonly exitCode: number;
}

/**
 * Lints `exposition` with `promtool check metrics`. Throws when promtool cannot be run — never skips: on CI
 * (`process.env.CI` set) a missing promtool is a broken build, and locally the error says how to install it.
 */
export function checkMetrics(exposition: string, promtool = PROMTOOL): PromtoolResult {
  const result = spawnSync(promtool, ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 20_000 });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    const where = (process.env.CI ?? '') === '' ? '' : ' on CI, where it is required';
    throw new Error(
      missing
        ? `promtool was not found (${promtool})${where}; ${INSTALL_HINT}`
        : `promtool could not be run (${promtool}): ${result.error.message}`,
      { cause: result.error },
    );
  }
  const findings = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const exitCode = result.status ?? -1;
  if (exitCode !== 0 && findings.length === 0) findings.push(`promtool exited with ${result.signal ?? exitCode} and printed nothing`);
  return { findings, exitCode };
}
