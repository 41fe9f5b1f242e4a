import { diffHeapSnapshotFiles } from '../heap/diff/diff-files.js';
import type { HeapDiff } from '../heap/diff/heap-diff.js';
import { errorMessage } from '../internal/errors.js';
import { formatBytes } from '../internal/units.js';

/**
 * The heap diff a `run`, `test` or `stress` report carries: the newest snapshot pair of the process it is about,
 * diffed (`memscope heap-diff`'s own diff, bounded), or one line saying why there is none or why it failed. A diff
 * that fails never loses the rest of the report: it is reported here as `failed`.
 */
export interface HeapDiffSection {
  /** `diffed`: `diff` holds it; `none`: no pair was taken (`note` says why); `failed`: the pair could not be diffed. */
  status: 'diffed' | 'none' | 'failed';
  /** One line: why there is no pair (capture off, no anomaly), why the diff failed, or how the pair was taken. */
  note: string;
  /** The snapshot files, when there is a pair. */
  before: string | null;
  after: string | null;
  /** Wall-clock time the diff took (reading both snapshots included), ms; null without a diff. */
  diffMs: number | null;
  /** The diff (schema `memscope.heap-diff`): at most `top` groups (+ the few with most new objects), `paths` retainer paths. */
  diff: HeapDiff | null;
}

/** Bounds of a report's diff: groups listed and retainer paths shown (a report is not the place for 25 of each). */
export const REPORT_DIFF_TOP = 10;
export const REPORT_DIFF_PATHS = 3;

/** No pair to diff, and why. */
export function noHeapDiff(note: string): HeapDiffSection {
  return { status: 'none', note, before: null, after: null, diffMs: null, diff: null };
}

/**
 * Diffs a snapshot pair for a report: never throws — an unreadable or corrupt snapshot becomes a `failed` section
 * naming the error, so the report it goes into is still written.
 */
export async function diffForReport(before: string, after: string, note: string, now: () => number = () => performance.now()): Promise<HeapDiffSection> {
  const start = now();
  try {
    const diff = await diffHeapSnapshotFiles(before, after, { top: REPORT_DIFF_TOP, paths: REPORT_DIFF_PATHS });
    return { status: 'diffed', note, before, after, diffMs: Math.round(now() - start), diff };
  } catch (error) {
    return { status: 'failed', note: `heap diff failed: ${errorMessage(error)}`, before, after, diffMs: Math.round(now() - start), diff: null };
  }
}

/** The one line a summary prints: the top growing constructor and its growth, or why there is no diff. */
export function heapDiffLine(section: HeapDiffSection): string {
  const top = section.diff?.groups.find((g) => !g.internal) ?? section.diff?.groups[0];
  if (section.status !== 'diffed') return section.note;
  if (top === undefined) return `heap diff: nothing grew between ${section.before ?? '?'} and ${section.after ?? '?'}`;
  const held = top.heldBy[0] === undefined ? '' : `, held by ${top.heldBy[0].holder}`;
  return `heap diff: top growing constructor ${top.name} (+${top.newCount.toLocaleString('en-US')} objects, ${formatBytes(top.growthBytes)} retained${held}) between ${section.before ?? '?'} and ${section.after ?? '?'}`;
}

