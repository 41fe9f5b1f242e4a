import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirectory } from './make-directory.js';

/** What the claim file holds: the owner, and once it listens, the URL of its /metrics. */
export interface PortClaimContent {
  pid: number;
  url?: string;
}

/** The claim file of a metrics port: in the run's directory under `memscope run`, else in the system's temp dir. */
export function claimPath(dir: string, port: number): string {
  return join(dir, `memscope-metrics-${port}.lock`);
}

/**
 * One process of a process tree serves `MEMSCOPE_METRICS_PORT`: the first that claims it by creating the claim file
 * (exclusively, `O_EXCL`, which the filesystem makes atomic across processes). The owner removes it when it exits; a
 * claim whose owner is gone (killed with SIGKILL) is taken over.
 */
export class PortClaim {
  private owned = false;

  constructor(
    readonly path: string,
    private readonly pid = process.pid,
  ) {}

  get isOwner(): boolean {
    return this.owned;
  }

  /** Tries to become the owner. Never throws: a directory that cannot be written means no claim. */
  tryClaim(): boolean {
    if (this.owned) return true;
    if (this.create()) return true;
    const holder = this.read();
    // Released between our attempt and this read: try once more.
    if (holder === undefined) return this.create();
    if (isAlive(holder.pid)) return false;
    // A stale claim. Move it aside under a name of our own and check that what moved is the stale one: if another
    // process took it over in between, give its fresh claim back instead of deleting it.
    const aside = `${this.path}.${this.pid}.stale`;
    try {
      renameSync(this.path, aside);
    } catch {
      return false;
    }
    const moved = readClaim(aside);
    if (moved?.pid !== holder.pid) {
      try {
        renameSync(aside, this.path);
      } catch {
        // Nothing sensible is left to do: the other claimant's process keeps serving regardless of the file.
      }
      return false;
    }
    rmSync(aside, { force: true });
    return this.create();
  }

  /** Records the owner's /metrics URL in the claim (for `memscope run`, which prints it). */
  publish(url: string): void {
    if (!this.owned) return;
    try {
      writeFileSync(this.path, JSON.stringify({ pid: this.pid, url } satisfies PortClaimContent));
    } catch {
      // The URL is a convenience for the supervisor; serving does not depend on it.
    }
  }

  read(): PortClaimContent | undefined {
    return readClaim(this.path);
  }

  /** Gives the port up (at exit). Synchronous: it runs in an exit handler. */
  release(): void {
    if (!this.owned) return;
    this.owned = false;
    const holder = this.read();
    if (holder?.pid === this.pid) rmSync(this.path, { force: true });
  }

  private create(): boolean {
    try {
      makeDirectory(dirname(this.path));
      const fd = openSync(this.path, 'wx');
      try {
        writeSync(fd, JSON.stringify({ pid: this.pid } satisfies PortClaimContent));
      } finally {
        closeSync(fd);
      }
      this.owned = true;
      return true;
    } catch {
      return false;
    }
  }
}

/** The claim's content; undefined when there is no claim. A claim being written (or unreadable) counts as held. */
export function readClaim(path: string): PortClaimContent | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : { pid: -1 };
  }
  try {
    const data = JSON.parse(text) as Partial<PortClaimContent>;
    if (typeof data.pid === 'number') return { pid: data.pid, ...(typeof data.url === 'string' ? { url: data.url } : {}) };
  } catch {
    // Created and not yet filled.
  }
  return { pid: -1 };
}

/** Whether a process exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  if (pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
