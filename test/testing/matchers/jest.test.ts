import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runNode } from '../../helpers/child.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('jest matchers (memscope/testing/jest)', () => {
  it('pass and fail in a real jest run, the failure showing the verdict and the figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-jest-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'jest-project', private: true, type: 'module' }));
    writeFileSync(join(dir, 'jest.config.json'), JSON.stringify({
      testEnvironment: 'node',
      transform: {},
      rootDir: dir,
      setupFilesAfterEnv: [`${ROOT}dist/testing/matchers/jest.js`],
    }));
    writeFileSync(join(dir, 'memory.test.js'), [
      "test('small work does not leak', async () => { await expect(() => Array.from({ length: 1000 }, (_, i) => ({ i }))).not.toLeak(); });",
      "test('stays below', async () => { await expect(() => 1).toStayBelow({ peak: '50 MiB', retained: '2 MiB' }); });",
      'const kept = [];',
      "test('a cache that never forgets', async () => { await expect(() => { kept.push(Buffer.alloc(1024 * 1024, 1)); }).not.toLeak({ iterations: 10 }); });",
    ].join('\n'));
    const { code, stderr } = await runNode(['--experimental-vm-modules', '--expose-gc', `${ROOT}node_modules/jest/bin/jest.js`, '--config', 'jest.config.json', '--ci'], { cwd: dir }).done;
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/✓ small work does not leak/);
    expect(stderr).toMatch(/✓ stays below/);
    expect(stderr).toMatch(/✕ a cache that never forgets/);
    expect(stderr).toMatch(/expected the function not to leak, but: leak suspected in (external memory \(Buffers\)|JS heap)/);
    expect(stderr).toMatch(/external memory after GC: [\d.]+ [KM]iB → [\d.]+ [KM]iB, \+[\d.]+ [KM]iB per run/);
    expect(stderr).toMatch(/Tests: {7}1 failed, 2 passed, 3 total/);
  }, 120_000);
});
