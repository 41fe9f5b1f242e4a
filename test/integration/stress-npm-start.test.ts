import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runNode } from '../helpers/child.js';

const dir = mkdtempSync(join(tmpdir(), 'memscope-npm-start-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// `npm start` is `node scripts/start.mjs`: its own set-up (npm ci and the build when missing or stale), then the
// smoke stress run on the example. Shortened here through the pass-through options.
describe('npm start', () => {
  it('finishes with the paths of the HTML report, the PNG and the JSON, and the verdict in one line', { timeout: 240_000 }, async () => {
    const { code, stdout, stderr } = await runNode([join(ROOT, 'scripts', 'start.mjs'), '--duration', '15', '--out', dir]).done;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const lines = stdout.trim().split('\n');
    const verdict = lines.at(-1)!;
    expect(verdict).toMatch(/^verdict: PASS — smoke: \d+ of \d+ thresholds met/);
    for (const label of ['HTML report', 'PNG chart', 'JSON report']) {
      const path = new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(stdout)?.[1];
      expect(path, label).toBeDefined();
      expect(path!.startsWith(dir)).toBe(true);
      expect(existsSync(path!)).toBe(true);
    }
  });
});
