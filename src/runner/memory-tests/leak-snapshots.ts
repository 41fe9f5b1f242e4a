import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { snapshotFileName } from '../../heap/capture/snapshot-files.js';
import { errorMessage } from '../../internal/errors.js';
import { diffForReport, noHeapDiff, type HeapDiffSection } from '../../report/heap-diff-section.js';
import type { LeakVerdict } from '../../sdk/leak/leak-detector.js';

/** Heap snapshots of a memory test's leak check (`memscope test`). */
export interface TestSnapshotOptions {
  /** Where the snapshots go (the report directory's `heap-snapshots/`); null: none can be taken. */
  directory: string | null;
  /** Take the pair whatever the verdict (`--heap-snapshots`): after the first recorded run and after the last. @default false */
  always?: boolean;
}

/**
 * The pair of a leak check, taken in this process (v8.writeHeapSnapshot: the test's heap is small, and a test run
 * is no service to protect) and diffed. Only when asked (`always`): the first snapshot after the first recorded run,
 * the second after the last — the pause of the first falls inside the recorded runs. Otherwise only when the check
 * suspected a leak, known only once it ended: then a snapshot, the workload run again as many times as the check
 * planned, and a second snapshot — the leak grows in between as it grew in the check.
 */
export class LeakSnapshots {
  private first: string | undefined;
  private seq = 0;

  constructor(private readonly options: TestSnapshotOptions, private readonly test: string) {}

  /** `fn` as the check runs it: with `always`, the call after the first recorded run first takes the first snapshot. */
  wrap(fn: () => Promise<unknown>, warmup: number): () => Promise<unknown> {
    let calls = 0;
    return async () => {
      calls++;
      // The call after the first recorded one: the heap holds what the first run left, after the check's full GC.
      if (this.options.always === true && calls === warmup + 2 && this.options.directory !== null) {
        try {
          this.first = this.snapshot('first');
        } catch {
          // Not written (disk full, no permission): finish() takes the pair after the check instead, and says so if it fails again.
        }
      }
      return fn();
    };
  }

  /** After the check: the pair (taken now if it was not), diffed; or why there is none. */
  async finish(verdict: LeakVerdict, rerun: () => Promise<unknown>, runs: number): Promise<HeapDiffSection> {
    const always = this.options.always === true;
    if (!always && verdict.status !== 'suspected') {
      return noHeapDiff(`no heap diff: the leak check ${verdict.status === 'no-leak' ? 'found no leak' : 'was inconclusive'} (snapshots are taken when it suspects one, or with --heap-snapshots)`);
    }
    if (this.options.directory === null) return noHeapDiff('no heap diff: the leak check suspected a leak, but there is no report directory (--out) for its snapshots');
    try {
      if (this.first !== undefined) {
        return await diffForReport(this.first, this.snapshot('last'), 'snapshots after the first and after the last recorded run (--heap-snapshots)');
      }
      const first = this.snapshot('first');
      for (let i = 0; i < runs; i++) await rerun();
      // A turn of the event loop first: the last run's result, still on this function's stack, would be "new" too.
      await new Promise((resolve) => setImmediate(resolve));
      return await diffForReport(first, this.snapshot('last'), `the leak check ${verdict.status === 'suspected' ? 'suspected a leak' : 'ran'}: snapshots before and after ${runs} more runs of the workload`);
    } catch (error) {
      return noHeapDiff(`no heap diff: a snapshot could not be written into ${this.options.directory}: ${errorMessage(error)}`);
    }
  }

  private snapshot(which: string): string {
    const directory = this.options.directory ?? '';
    mkdirSync(directory, { recursive: true });
    return writeHeapSnapshot(join(directory, snapshotFileName(Date.now(), process.pid, ++this.seq, `${fileNamePart(this.test)}-${which}`)));
  }
}

/** A test's name as part of a file name: a user's test may be named 'cache without bounds' or 'a/b'. */
function fileNamePart(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^[.-]+|-+$/g, '').slice(0, 80) || 'test';
}
