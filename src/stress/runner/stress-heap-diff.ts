import { resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { noHeapDiff, type HeapDiffSection } from '../../report/heap-diff-section.js';
import { chooseVerdictProcess } from '../../run/choose-process.js';
import { startedProcesses } from '../../run/collect.js';
import { ENV } from '../../run/env-config.js';
import { runHeapDiff } from '../../run/run-heap-diff.js';

/** Snapshot files of an automatic pair's halves (the reason ends the name: snapshot-files.ts). */
const AUTOMATIC = /-(leak_verdict|forecast|heap_share)\.heapsnapshot$/;

/**
 * Heap snapshots of a target `memscope stress` starts (the example service, or a command): memscope/register is
 * preloaded with MEMSCOPE_HEAP_SNAPSHOTS (a pair when the service's own leak verdict turns to suspected, or its
 * forecast falls under 4 h) and MEMSCOPE_REPORT_DIR (its process report names its newest pair). When the load has
 * stopped — two scrapes after the verdict said suspected, before the pair's second half is due — the runner waits
 * for a snapshot being written and for a started pair's second half (bounded), stops the target, and diffs the pair
 * its report names, as `memscope run` does.
 */
export class StressSnapshots {
  readonly directory: string;

  constructor(directory: string, readonly reportDir: string) {
    this.directory = resolve(directory);
  }

  /** The target's environment: the preload, the capture and the report directory. */
  env(base: NodeJS.ProcessEnv, preload: string): NodeJS.ProcessEnv {
    // The second half 16 MiB of growth after the first (32 MiB by default: too late for a run that stops on the verdict).
    const options = { directory: this.directory, analyse: false, pairGrowth: '16 MiB', pairMaxDelayMs: 60_000, checkIntervalMs: 1000 };
    const nodeOptions = base.NODE_OPTIONS ?? '';
    return {
      ...base,
      NODE_OPTIONS: nodeOptions.includes(preload) ? nodeOptions : `${nodeOptions} --import ${preload}`.trim(),
      [ENV.heapSnapshots]: JSON.stringify(options),
      [ENV.reportDir]: this.reportDir,
    };
  }

  /**
   * Waits (at most `timeoutMs`) while a snapshot is being written or a pair has its first half only: stopping the
   * target then would lose the pair (a snapshot of a few hundred MiB takes a minute on a busy machine).
   */
  async settle(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !settled(this.directory)) await sleep(500);
  }

  /** After the target stopped (and wrote its report): its newest pair, diffed; or why there is none. */
  async diff(): Promise<HeapDiffSection> {
    const reports = startedProcesses(this.reportDir).flatMap((p) => (p.report === undefined ? [] : [p.report]));
    const section = await runHeapDiff(chooseVerdictProcess(reports)?.report, true);
    if (section.status !== 'none') return section;
    if (!settled(this.directory)) return noHeapDiff(`no heap diff: the service's snapshot pair was not complete when the run ended (${this.directory})`);
    return noHeapDiff(section.note.replace(/; SIGUSR2 twice takes a pair on demand$/, ''));
  }
}

function settled(directory: string): boolean {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return true;
  }
  return !names.some((n) => n.endsWith('.partial')) && names.filter((n) => AUTOMATIC.test(n)).length % 2 === 0;
}

/** A target memscope stress does not start (`--target <url>`): its snapshots are not on this machine's disk. */
export function urlTargetHeapDiff(): HeapDiffSection {
  return noHeapDiff('no heap diff: the target was not started by memscope stress (--target <url>); memscope heap-diff on the pair its memscope_heap_snapshot_info names, where its snapshots are');
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
