import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MemscopeError, errorMessage } from '../internal/errors.js';

/** The file-system calls the atomic writer makes: node:fs/promises, or a stand-in (tests fail writes on purpose). */
export type AtomicFs = Pick<typeof nodeFs, 'mkdir' | 'open' | 'rename' | 'rm' | 'stat'>;

export interface WriteFileAtomicOptions {
  /** @default node:fs/promises */
  fs?: AtomicFs;
}

/** Room left in a file name (255 bytes on common file systems) for the temporary file's prefix and suffix. */
const MAX_TEMP_STEM = 120;

/**
 * Writes a file so that readers see the old content or the new, never half of it: the data goes to a temporary file
 * in the same directory, is flushed to disk (so that a crash cannot leave the new name on an empty file), and is
 * renamed over the target (rename is atomic within a filesystem). When anything fails (a full disk, a read-only
 * directory) the temporary file is removed and the target is left as it was, or absent; the error is
 * MEMSCOPE_E_WRITE. A target that exists keeps its permissions. The directory is not flushed: after a power cut the
 * rename may be lost, which leaves the old file, still whole, at the price of a second flush on every write.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFs;
  const dir = dirname(path);
  // Unique per call, not per millisecond: two writes of one file at once must not share (and interleave in) a temp file.
  const temp = join(dir, `.${basename(path).slice(0, MAX_TEMP_STEM)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    await fs.mkdir(dir, { recursive: true });
    const mode = await fs.stat(path).then((s) => (s.isFile() ? s.mode & 0o7777 : undefined), () => undefined);
    const handle = await fs.open(temp, 'wx', mode);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
    created = false;
  } catch (error) {
    if (created) await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new MemscopeError('MEMSCOPE_E_WRITE', `cannot write ${path}: ${errorMessage(error)}`, { cause: error });
  }
}
