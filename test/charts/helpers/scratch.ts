import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A scratch directory on a memory file system when there is one (/dev/shm on Linux): the CLI writes atomically and
 * flushes every file to disk, 20–60 ms each on a disk, and a test of thousands of command lines is about the
 * arguments, not about the disk. Elsewhere, the usual temporary directory.
 */
export function scratchDir(prefix: string): string {
  let base = tmpdir();
  try {
    accessSync('/dev/shm', constants.W_OK);
    base = '/dev/shm';
  } catch {
    // No memory file system here: the disk it is, only slower.
  }
  return mkdtempSync(join(base, prefix));
}
