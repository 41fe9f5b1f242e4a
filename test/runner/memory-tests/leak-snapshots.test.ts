import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeakSnapshots } from '../../../src/runner/memory-tests/leak-snapshots.js';
import { measureGrowth } from '../../../src/testing/growth.js';

// Real snapshots of this process, real diffs: a leak check's pair names what the runs kept and who holds it.

const dir = mkdtempSync(join(tmpdir(), 'memscope-leak-snapshots-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

class LeakyRecord {
  readonly payload: string;
  constructor(readonly id: number) {
    this.payload = `record ${id} `.repeat(32);
  }
}
// Held by a property: a test module's own variables are reached through vitest's stack frames, by no name.
const cache = { heldRecords: [] as LeakyRecord[] };
let next = 0;
const leakingRun = (): Promise<void> => {
  for (let i = 0; i < 2000; i++) cache.heldRecords.push(new LeakyRecord(next++));
  return Promise.resolve();
};
const cleanRun = (): Promise<void> => Promise.resolve();
const CHECK = { iterations: 8, warmup: 2, per: 'run', minSlope: 1024 } as const;

describe('LeakSnapshots', () => {
  it('with --heap-snapshots, diffs the snapshots after the first and the last recorded run: the kept records and their holder', { timeout: 120_000 }, async () => {
    const directory = join(dir, 'always');
    const snapshots = new LeakSnapshots({ directory, always: true }, 'leaky');
    const g = await measureGrowth(snapshots.wrap(leakingRun, CHECK.warmup), CHECK);
    const section = await snapshots.finish(g.verdict, leakingRun, 0);
    expect(section.status, section.note).toBe('diffed');
    expect(section.note).toBe('snapshots after the first and after the last recorded run (--heap-snapshots)');
    const top = section.diff!.groups.find((group) => !group.internal)!;
    expect(top.name).toBe('LeakyRecord');
    // The runs after the first: 2000 records each, all of them still held.
    expect(top.newCount).toBe(2000 * (g.runs - 1));
    expect(top.path!.map((s) => s.edge)).toContain('heldRecords');
    expect(top.heldBy[0]?.holder).toBe('Object.heldRecords[]');
    expect(readdirSync(directory).sort()).toEqual([expect.stringMatching(/-1-leaky-first\.heapsnapshot$/), expect.stringMatching(/-2-leaky-last\.heapsnapshot$/)]);
  });

  it('takes no snapshot when the check finds no leak, and says why in one line', { timeout: 60_000 }, async () => {
    const directory = join(dir, 'clean');
    const snapshots = new LeakSnapshots({ directory }, 'clean');
    const g = await measureGrowth(snapshots.wrap(cleanRun, CHECK.warmup), CHECK);
    const section = await snapshots.finish(g.verdict, cleanRun, 5);
    expect(section).toMatchObject({ status: 'none', diff: null, before: null });
    expect(section.note).toMatch(/^no heap diff: the leak check (found no leak|was inconclusive) \(snapshots are taken when it suspects one, or with --heap-snapshots\)$/);
    expect(() => readdirSync(directory)).toThrow(/ENOENT/);
  });

  it('says a suspected leak has no snapshots without a report directory', { timeout: 60_000 }, async () => {
    const snapshots = new LeakSnapshots({ directory: null }, 'leaky');
    const g = await measureGrowth(leakingRun, CHECK);
    expect(g.verdict.status).toBe('suspected');
    const section = await snapshots.finish(g.verdict, leakingRun, 5);
    expect(section).toMatchObject({ status: 'none', note: 'no heap diff: the leak check suspected a leak, but there is no report directory (--out) for its snapshots' });
  });
});
