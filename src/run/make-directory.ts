import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Not `mkdirSync(dir, { recursive: true })`: on Node 20 that spins forever where a
 * directory exists but refuses new entries (any path under /proc), and a preload must never hang the program because
 * of a strange MEMSCOPE_REPORT_DIR. Throws the first real error.
 */
export function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw error;
  }
  makeDirectory(dirname(dir));
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
