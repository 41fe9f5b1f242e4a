import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { diffHeapSnapshotFiles } from '../heap/diff/diff-files.js';
import type { HeapDiff, HeapDiffGroup } from '../heap/diff/heap-diff.js';
import { foldPath, locationLabel, nodeLabel } from '../heap/output/path-steps.js';
import { invalidOption } from '../internal/errors.js';
import { formatBytes, parseBytes } from '../internal/units.js';
import { intOption } from '../internal/validate.js';
import { forceGc } from '../sdk/gc/force-gc.js';

export interface HeapBudgetOptions {
  /** Measured runs of fn. @default 100 */
  iterations?: number;
  /** Unmeasured runs first, so caches, lazy initialisation and compiled code settle. @default 10 */
  warmup?: number;
  /** Objects any one constructor may gain over the measured runs. @default 10 */
  maxNewObjects?: number;
  /** Retained bytes the new objects of any one constructor may hold, e.g. '1 MiB'. @default no limit */
  maxRetainedGrowth?: string | number;
  /** Constructors not checked, by name or pattern (`'(string)'`, `/^Node \//`). V8's own structures never are. */
  ignore?: ReadonlyArray<string | RegExp>;
  /** Where the two snapshots are written (and deleted afterwards). @default a new directory under os.tmpdir() */
  directory?: string;
}

/** One constructor over budget. */
export interface HeapBudgetViolation {
  name: string;
  grewBy: number;
  retainedGrowthBytes: number;
  heldBy: HeapDiffGroup['heldBy'];
  /** The retainer path, as the failure message prints it. */
  path: string;
}

/** Thrown when a constructor grows past the budget: the message names it, what holds it and its retainer path. */
export class HeapBudgetError extends Error {
  constructor(
    message: string,
    readonly violations: HeapBudgetViolation[],
    readonly diff: HeapDiff,
  ) {
    super(message);
    this.name = 'HeapBudgetError';
  }
}

/**
 * Runs `fn` `warmup` times, takes a heap snapshot, runs it `iterations` times more, takes another, and fails
 * when any constructor gained more than `maxNewObjects` objects (or its new objects retain more than
 * `maxRetainedGrowth`) — naming the constructor, what holds it and its shortest retainer path:
 * `await expectHeapBudget(() => handle(request), { iterations: 100, maxNewObjects: 10 })`.
 * A snapshot pauses the process for about a second per 100 MB of heap; the two files are deleted afterwards.
 */
export async function expectHeapBudget(fn: () => unknown, options: HeapBudgetOptions = {}): Promise<HeapDiff> {
  const iterations = intOption('iterations', options.iterations, 100, 1, 10_000_000);
  const warmup = intOption('warmup', options.warmup, 10, 0, 10_000_000);
  const maxNew = intOption('maxNewObjects', options.maxNewObjects, 10, 0, Number.MAX_SAFE_INTEGER);
  const maxRetained = options.maxRetainedGrowth === undefined ? Infinity : parseBytes('maxRetainedGrowth', options.maxRetainedGrowth);
  const ignore = options.ignore ?? [];
  if (!Array.isArray(ignore) || !ignore.every((p) => typeof p === 'string' || p instanceof RegExp)) throw invalidOption('ignore', 'a list of names and regular expressions', ignore);
  const checked = (g: Pick<HeapDiffGroup, 'name' | 'internal'>): boolean => !g.internal && !ignore.some((p) => (typeof p === 'string' ? p === g.name : p.test(g.name)));

  const own = options.directory === undefined;
  const dir = options.directory ?? mkdtempSync(join(tmpdir(), 'memscope-heap-budget-'));
  const before = join(dir, `before-${process.pid}.heapsnapshot`);
  const after = join(dir, `after-${process.pid}.heapsnapshot`);
  try {
    for (let i = 0; i < warmup; i++) await fn();
    forceGc();
    writeHeapSnapshot(before);
    for (let i = 0; i < iterations; i++) await fn();
    forceGc();
    writeHeapSnapshot(after);
    const over = (g: Pick<HeapDiffGroup, 'name' | 'internal' | 'countBefore' | 'countAfter' | 'growthBytes'>): boolean =>
      checked(g) && (g.countAfter - g.countBefore > maxNew || g.growthBytes > maxRetained);
    const diff = await diffHeapSnapshotFiles(before, after, { top: 10_000, paths: 0, pathFor: over, labels: ['before', 'after'] });
    const violations = diff.groups.filter(over).map(
      (g): HeapBudgetViolation => ({ name: g.name, grewBy: g.countAfter - g.countBefore, retainedGrowthBytes: g.growthBytes, heldBy: g.heldBy, path: pathText(g) }),
    );
    if (violations.length > 0) {
      const limits = `limit ${maxNew} objects${maxRetained === Infinity ? '' : ` or ${formatBytes(maxRetained)} retained`} per constructor`;
      const lines = violations.slice(0, 5).map(
        (v) =>
          `${v.name} grew by ${v.grewBy} objects (${formatBytes(v.retainedGrowthBytes)} retained)` +
          `${v.heldBy[0] === undefined ? '' : `, held by ${v.heldBy[0].holder}`}\n    retainer path: ${v.path}`,
      );
      throw new HeapBudgetError(`expectHeapBudget: after ${iterations} runs (${limits}):\n  ${lines.join('\n  ')}`, violations, diff);
    }
    return diff;
  } finally {
    if (own) rmSync(dir, { recursive: true, force: true });
    else for (const file of [before, after]) rmSync(file, { force: true });
  }
}

function pathText(g: HeapDiffGroup): string {
  const steps = foldPath(g.path ?? []);
  if (steps.length === 0) return '(none: reachable only from V8 internals)';
  return steps
    .map((s) => `${s.edge} (${s.edgeKind}) → ${nodeLabel(s)}${s.repeat > 1 ? ` ×${s.repeat}` : ''}${s.location === undefined ? '' : ` at ${locationLabel(s.location)}`}`)
    .join(' → ');
}
