import * as nodeFs from 'node:fs/promises';
import type { AtomicFs } from '../../../src/report/atomic-write.js';

/**
 * The real file system, except that a file opened for writing takes only `room` bytes and then fails as a full disk
 * does (ENOSPC), after writing what fitted: the partial file a plain writeFile would leave behind.
 */
export function fullDisk(room: number, fs: typeof nodeFs = nodeFs): AtomicFs {
  return {
    ...fs,
    open: (async (path: string, flags?: string, mode?: number) => {
      const handle = await fs.open(path, flags, mode);
      if (flags === 'r') return handle;
      return Object.assign(Object.create(handle) as nodeFs.FileHandle, {
        writeFile: async (data: string | Uint8Array) => {
          await handle.writeFile(Buffer.from(data).subarray(0, room));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      });
    }) as AtomicFs['open'],
  };
}

