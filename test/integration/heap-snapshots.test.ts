import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeapDiff } from '../../src/heap/diff/heap-diff.js';
import { CLI, ROOT, runNode, type ChildRun } from '../helpers/child.js';

// Acceptance of heap snapshot capture and `memscope heap-diff` on real child processes leaking about 1 MiB/s in
// four known ways, captured by HeapSnapshotCapture on demand (SIGUSR2) or on its own (heap share), and diffed by
// the built CLI: the top group must be the leaking constructor and its retainer path must name what holds it.

const LEAKER = `${ROOT}test/fixtures/programs/heap-leaker.mjs`;
const root = mkdtempSync(join(tmpdir(), 'memscope-heap-acceptance-'));
afterAll(() => { rmSync(root, { recursive: true, force: true }); });

interface SnapshotEvent { type: 'snapshot'; path: string; pair: string; pauseMs: number }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function snapshotEvents(run: ChildRun): SnapshotEvent[] {
  return run.stdout().split('\n').filter((l) => l.startsWith('{"type":"snapshot"')).map((l) => JSON.parse(l) as SnapshotEvent);
}

async function waitForSnapshots(run: ChildRun, count: number, timeoutMs = 240_000): Promise<SnapshotEvent[]> {
  const end = Date.now() + timeoutMs;
  while (snapshotEvents(run).length < count) {
    if (Date.now() > end) throw new Error(`fewer than ${count} snapshots; stdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
    if (run.child.exitCode !== null) throw new Error(`exited early; stdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
    await sleep(200);
  }
  return snapshotEvents(run);
}

async function heapDiff(before: string, after: string): Promise<HeapDiff> {
  const run = await runNode([CLI, 'heap-diff', before, after, '--json', '--paths', '10']).done;
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as HeapDiff;
}

/** On demand: SIGUSR2, about 4 MiB of leak, SIGUSR2 again; then the diff of the pair. */
async function onDemandPair(kind: string): Promise<HeapDiff> {
  const dir = join(root, kind);
  const run = runNode([LEAKER, kind, dir, 'signal', '400']);
  try {
    await run.waitForLine(/^ready$/m);
    await sleep(1000);
    run.child.kill('SIGUSR2');
    await waitForSnapshots(run, 1);
    await sleep(4000);
    run.child.kill('SIGUSR2');
    const [first, second] = await waitForSnapshots(run, 2);
    run.child.kill('SIGTERM');
    const exit = await run.done;
    expect(exit.code, exit.stderr).toBe(0);
    return await heapDiff(first!.path, second!.path);
  } finally {
    run.child.kill('SIGKILL');
  }
}

const edges = (diff: HeapDiff, group = 0): string[] => diff.groups[group]!.path!.map((s) => s.edge);

describe('heap snapshots of leaking processes', () => {
  it('finds each of four leaks on demand: the leaking constructor first, its holder named', { timeout: 600_000 }, async () => {
    // Two at a time: four snapshots at once would crowd two cores.
    const [map, listeners] = await Promise.all([onDemandPair('map'), onDemandPair('listeners')]);
    const [timer, buffer] = await Promise.all([onDemandPair('timer'), onDemandPair('buffer')]);

    // An unbounded Map keyed by request id: Session objects, held by the module variable `sessions`.
    expect(map.groups[0]!.name).toBe('Session');
    expect(map.groups[0]!.heldBy[0]!.holder).toMatch(/\.sessions\[\]$/);
    expect(edges(map)).toContain('sessions');

    // Listeners added per request to a long-lived emitter: the closure, where it is defined, and the event.
    const listener = listeners.groups[0]!;
    expect(listener.name).toBe('(closure) onReload');
    expect(listener.sample.location?.script).toMatch(/heap-leaker\.mjs$/);
    expect(edges(listeners)).toEqual(expect.arrayContaining(['configBus', '_events', 'reload']));

    // A closure captured by a timer never cleared: the Timeouts, held in Node's timer list; the closure beside them.
    expect(timer.groups[0]!.name).toBe('Timeout');
    expect(timer.groups[0]!.heldBy.map((h) => h.holder).join(' ')).toMatch(/(TimersList|Timeout)\._idle(Next|Prev)/);
    expect(edges(timer).join(' ')).toMatch(/_idleNext|_idlePrev|TimersList|#heap/);
    const poll = timer.groups.find((g) => g.name === '(closure) pollUpstream')!;
    expect(poll.heldBy[0]!.holder).toBe('Timeout._onTimeout');
    expect(poll.sample.location?.script).toMatch(/heap-leaker\.mjs$/);

    // A Buffer cache: the Buffers (their backing stores counted with them), held by `responseCache`.
    expect(buffer.groups[0]!.name).toBe('Buffer');
    expect(buffer.groups[0]!.growthBytes).toBeGreaterThan(2 * 2 ** 20);
    expect(buffer.groups[0]!.heldBy[0]!.holder).toMatch(/\.responseCache\[\]$/);
    expect(edges(buffer)).toContain('responseCache');

    for (const diff of [map, listeners, timer, buffer]) expect(diff.warnings).toEqual([]);
  });

  it('captures a pair on its own when the heap reaches its share of the limit, and nothing from a healthy process', { timeout: 600_000 }, async () => {
    const leakyDir = join(root, 'auto-leaky');
    const healthyDir = join(root, 'auto-healthy');
    // 10% of a 160 MiB old space (16 MiB) is reached after some seconds of leaking; a healthy process stays near 6.
    const flags = ['--max-old-space-size=160'];
    const leaky = runNode([...flags, LEAKER, 'map', leakyDir, 'auto', '400']);
    const healthy = runNode([...flags, LEAKER, 'none', healthyDir, 'auto', '400']);
    try {
      const [first, second] = await waitForSnapshots(leaky, 2);
      expect([first!.pair, second!.pair]).toEqual(['first', 'second']);
      leaky.child.kill('SIGTERM');
      // The healthy process ran as long, and longer: nothing captured.
      await sleep(3000);
      expect(snapshotEvents(healthy)).toEqual([]);
      healthy.child.kill('SIGTERM');
      const [l, h] = await Promise.all([leaky.done, healthy.done]);
      expect(l.code, l.stderr).toBe(0);
      expect(h.code, h.stderr).toBe(0);
      // The directory is created with the first snapshot: a healthy process leaves none.
      expect(existsSync(healthyDir) ? readdirSync(healthyDir) : []).toEqual([]);
      const diff = await heapDiff(first!.path, second!.path);
      expect(diff.groups[0]!.name).toBe('Session');
      expect(edges(diff)).toContain('sessions');
    } finally {
      leaky.child.kill('SIGKILL');
      healthy.child.kill('SIGKILL');
    }
  });

  it('captures a pair on its own when the leak verdict turns to suspected, diffs it in the background, and nothing from a healthy process', { timeout: 600_000 }, async () => {
    // Default heap limit, default leak settings: the detector flags a ~1 MiB/s leak within two minutes of the start.
    const leaky = runNode([LEAKER, 'map', join(root, 'verdict-leaky'), 'verdict', '400']);
    const healthy = runNode([LEAKER, 'none', join(root, 'verdict-healthy'), 'verdict', '400']);
    try {
      const [first, second] = await waitForSnapshots(leaky, 2, 300_000);
      expect([first!.pair, second!.pair]).toEqual(['first', 'second']);
      expect(first).toMatchObject({ reason: 'leak_verdict' });
      const line = await leaky.waitForLine(/^\{"type":"analysed".*$/m, 240_000);
      const analysed = JSON.parse(line[0]) as { before: string; after: string; topConstructor: string; diffFile: string; verdict: string };
      expect(analysed).toMatchObject({ before: first!.path, after: second!.path, topConstructor: 'Session' });
      expect(analysed.verdict).toMatch(/^leak suspected in JS heap: /);
      expect(existsSync(analysed.diffFile)).toBe(true);
      // The healthy process ran as long: nothing captured, no verdict to act on.
      expect(snapshotEvents(healthy)).toEqual([]);
    } finally {
      leaky.child.kill('SIGKILL');
      healthy.child.kill('SIGKILL');
    }
  });

  it('refuses a snapshot near the heap limit and the process lives on; further from it, takes one', { timeout: 300_000 }, async () => {
    const program = `${ROOT}test/fixtures/programs/heap-near-limit.mjs`;
    const dir = join(root, 'near-limit');
    // The rule keeps 16 MiB below the usable limit: 6 MiB is refused, 30 MiB allowed.
    const [near, far] = await Promise.all([
      runNode(['--max-old-space-size=64', program, join(dir, 'near'), '64', '6']).done,
      runNode(['--max-old-space-size=64', program, join(dir, 'far'), '64', '30']).done,
    ]);
    expect(near.code, near.stderr).toBe(0);
    expect(JSON.parse(near.stdout)).toMatchObject({ result: { ok: false, refused: 'heap_limit' } });
    expect(near.stderr).toMatch(/MEMSCOPE_W_HEAP_SNAPSHOT.*refused: heap_limit/);
    expect(far.code, far.stderr).toBe(0);
    expect(JSON.parse(far.stdout)).toMatchObject({ result: { ok: true } });
  });

  it('never keeps a process alive: a started capture lets it exit', { timeout: 60_000 }, async () => {
    const code = `import { HeapSnapshotCapture } from '${ROOT}dist/index.js';
      new HeapSnapshotCapture({ directory: '${join(root, 'alive')}', heapShareTrigger: 0.9, checkIntervalMs: 50 }).start();
      console.log('started');`;
    const run = await runNode(['--input-type=module', '-e', code]).done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('started\n');
  });
});
