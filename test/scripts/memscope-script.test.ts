import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildIsStale } from '../../scripts/setup.mjs';
import { ROOT } from '../helpers/child.js';

// `npm run memscope -- --help` is how the README runs the CLI from a checkout: it must answer at once when dist/ is
// up to date (it used to run tsc every time: ~12 s), and still build first when the sources changed.
describe('npm run memscope', () => {
  it('does not rebuild an up-to-date dist/, and says what it runs', () => {
    // The global set-up has just built dist/ from these sources.
    expect(buildIsStale()).toBe(false);
    const result = spawnSync(process.execPath, [`${ROOT}scripts/memscope.mjs`, '--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/build \(tsc/);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
