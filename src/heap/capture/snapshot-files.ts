import { closeSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The snapshot directory: memscope's files in it (`memscope-<time>-<pid>-<n>-<reason>.heapsnapshot`, whichever
 * process wrote them — replicas sharing a volume share its budget), retention and the disk budget, and a lock file
 * so that two processes never write snapshots at the same time (each needs many times its heap in memory).
 */
export interface SnapshotFile {
  path: string;
  bytes: number;
  mtimeMs: number;
}

const NAME = /^memscope-.+\.heapsnapshot$/;
const LOCK = '.memscope-heap.lock';

/** Snapshot file name; the UTC time first, so names sort in the order they were taken. */
export function snapshotFileName(time: number, pid: number, seq: number, reason: string): string {
  const stamp = new Date(time).toISOString().replace(/[-:]/g, '');
  return `memscope-${stamp}-${pid}-${seq}-${reason}.heapsnapshot`;
}

/** memscope's snapshot files in `directory`, oldest first. */
export function listSnapshots(directory: string): SnapshotFile[] {
  const files: SnapshotFile[] = [];
  for (const name of readdirSync(directory)) {
    if (!NAME.test(name)) continue;
    const path = join(directory, name);
    try {
      const info = statSync(path);
      if (info.isFile()) files.push({ path, bytes: info.size, mtimeMs: info.mtimeMs });
    } catch {
      // Deleted meanwhile (another process's retention): not there.
    }
  }
  return files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
}

/**
 * Deletes the oldest files (never those in `keep`) until `adding` more bytes in one more file fit within
 * `maxFiles` and `maxBytes`; `adding` = 0 with `extraFile` false checks what is there now. Returns whether it fits
 * and what was deleted.
 */
export function makeRoom(
  directory: string,
  limits: { maxFiles: number; maxBytes: number },
  adding: number,
  keep: ReadonlySet<string>,
  extraFile = true,
): { fits: boolean; deleted: string[]; usedBytes: number; files: number } {
  const files = listSnapshots(directory);
  let used = files.reduce((sum, f) => sum + f.bytes, 0);
  let count = files.length;
  const deleted: string[] = [];
  const extra = extraFile ? 1 : 0;
  for (const file of files) {
    if (count + extra <= limits.maxFiles && used + adding <= limits.maxBytes) break;
    if (keep.has(file.path)) continue;
    try {
      unlinkSync(file.path);
    } catch {
      // Gone already, or not ours to delete: counted as gone either way.
    }
    deleted.push(file.path);
    used -= file.bytes;
    count--;
  }
  return { fits: count + extra <= limits.maxFiles && used + adding <= limits.maxBytes, deleted, usedBytes: used, files: count };
}

/**
 * Takes the directory's lock: false while another live process holds it. A lock left by a process that died
 * (its pid no longer exists) is taken over.
 */
export function acquireLock(directory: string): boolean {
  const path = join(directory, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      if (holderAlive(path)) return false;
      try {
        unlinkSync(path);
      } catch {
        return false;
      }
    }
  }
  return false;
}

export function releaseLock(directory: string): void {
  const path = join(directory, LOCK);
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
  } catch {
    // Not there: nothing to release.
  }
}

function holderAlive(lockPath: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath, 'utf8').trim());
  } catch {
    // Being written or removed this instant: treat as held, the caller tries again later.
    return true;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
