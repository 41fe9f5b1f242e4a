import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MemscopeError, errorMessage } from '../internal/errors.js';

/**
 * Writes a file so that readers see the old content or the new, never half of it: the data goes to a temporary file
 * in the same directory, is flushed to disk, and is renamed over the target (rename is atomic within a filesystem).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new MemscopeError('MEMSCOPE_E_WRITE', `cannot write ${path}: ${errorMessage(error)}`, { cause: error });
  }
}
