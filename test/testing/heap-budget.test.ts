import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectHeapBudget, HeapBudgetError } from '../../src/testing/index.js';
import { MemscopeError } from '../../src/internal/errors.js';

class PendingReply {
  constructor(readonly id: number, readonly body: string) {}
}

// A long-lived object, as in a real service. (Variables of a module vitest transformed show in snapshots as
// unnamed context slots, so the holder here is a property; under plain Node a module variable is named too.)
const tracker = { pendingReplies: new Map<number, PendingReply>() };
const bus = new EventEmitter();
bus.setMaxListeners(0);

describe('expectHeapBudget', () => {
  it('fails naming the constructor that grew, what holds it and its retainer path', { timeout: 120_000 }, async () => {
    let n = 0;
    const handle = (): void => {
      n++;
      tracker.pendingReplies.set(n, new PendingReply(n, `reply ${n}`));
    };
    const error = await expectHeapBudget(handle, { iterations: 200, warmup: 5, maxNewObjects: 20 }).catch((e: unknown) => e);
    tracker.pendingReplies.clear();
    expect(error).toBeInstanceOf(HeapBudgetError);
    const e = error as HeapBudgetError;
    const v = e.violations.find((x) => x.name === 'PendingReply')!;
    expect(v.grewBy).toBe(200);
    expect(v.heldBy[0]!.holder).toMatch(/pendingReplies\[\]$/);
    expect(v.path).toMatch(/pendingReplies \(property\) → Map/);
    expect(e.message).toMatch(/^expectHeapBudget: after 200 runs \(limit 20 objects per constructor\):/);
    expect(e.message).toMatch(/PendingReply grew by 200 objects \(.+ retained\), held by .*pendingReplies\[\]\n {4}retainer path: .*pendingReplies/);
  });

  it('names a closure leaked as a listener, with where it is defined', { timeout: 120_000 }, async () => {
    const subscribe = (): void => {
      bus.on('config', function onConfig() { return subscribe; });
    };
    const error = (await expectHeapBudget(subscribe, { iterations: 100, maxNewObjects: 10 }).catch((e: unknown) => e)) as HeapBudgetError;
    bus.removeAllListeners('config');
    const v = error.violations.find((x) => x.name === '(closure) onConfig');
    expect(v, error.message).toBeDefined();
    expect(v!.path).toMatch(/config \(property\) → Array/);
    expect(v!.path).toMatch(/onConfig\(\) \(closure\) at .*heap-budget\.test\.ts:\d+:\d+/);
  });

  it('passes code that keeps nothing, and deletes its snapshots', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memscope-budget-dir-'));
    try {
      const diff = await expectHeapBudget(() => new PendingReply(1, 'dropped'), { iterations: 200, maxNewObjects: 10, directory: dir });
      // At most the last result, still in a register when the snapshot is taken; nothing accumulates.
      const group = diff.groups.find((g) => g.name === 'PendingReply');
      expect((group?.countAfter ?? 0) - (group?.countBefore ?? 0)).toBeLessThanOrEqual(1);
      expect(readdirSync(dir)).toEqual([]);
      expect(existsSync(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validates its options', async () => {
    await expect(expectHeapBudget(() => 0, { iterations: 0 })).rejects.toThrow(MemscopeError);
    await expect(expectHeapBudget(() => 0, { maxRetainedGrowth: 'much' })).rejects.toThrow(/maxRetainedGrowth must be/);
  });
});
