import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMemory, MemoryTestError } from '../../../src/testing/matchers/node-test.js';
import { ROOT, runNode } from '../../helpers/child.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('memoryTest (memscope/testing/node-test)', () => {
  it('passes and fails real node:test tests, the failure naming the limit, the figures and the leak verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-node-test-'));
    dirs.push(dir);
    const file = join(dir, 'memory.test.mjs');
    writeFileSync(file, [
      `import { memoryTest } from ${JSON.stringify(`${ROOT}dist/testing/matchers/node-test.js`)};`,
      `memoryTest('small work stays small', () => Array.from({ length: 1000 }, (_, i) => ({ i })), { peak: '50 MiB', retained: '2 MiB', noLeak: { iterations: 10 } });`,
      'const kept = [];',
      `memoryTest('a cache that never forgets', () => { kept.push(Buffer.alloc(256 * 1024, 1)); }, { retained: '100 KiB', noLeak: { iterations: 10 } });`,
    ].join('\n'));
    const { code, stdout } = await runNode(['--test', '--test-reporter=spec', file], { cwd: dir }).done;
    expect(code).toBe(1);
    expect(stdout).toMatch(/✔ small work stays small/);
    expect(stdout).toMatch(/✖ a cache that never forgets/);
    expect(stdout).toMatch(/memory: retained [\d.]+ KiB is not below 100 KiB/);
    expect(stdout).toMatch(/leak: leak suspected/);
    expect(stdout).toMatch(/JS heap after GC: /);
  });

  it('checkMemory rejects with a MemoryTestError for any runner and reports each figure', async () => {
    const lines: string[] = [];
    const kept: unknown[] = [];
    const error = await checkMemory(() => kept.push(Buffer.alloc(4 * 2 ** 20, 1)), { retained: '1 MiB' }, (l) => lines.push(l)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemoryTestError);
    expect(lines.some((l) => l.startsWith('retained after a full GC'))).toBe(true);
    kept.length = 0;
  });
});
