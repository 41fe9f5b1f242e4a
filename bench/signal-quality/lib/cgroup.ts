// A memory cgroup per container-like run: cgroup v1 (this machine: /sys/fs/cgroup/memory, as root) or v2
// (/sys/fs/cgroup with the memory controller), limited like compose.yaml's `mem_limit: 512m`. The process enters it
// before it execs node (see wrapInCgroup), so memscope's first read of /proc/self/cgroup already sees the limit.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONTAINER_LIMIT_BYTES = 512 * 1024 * 1024;

export interface MemoryCgroup {
  readonly version: 1 | 2;
  readonly dir: string;
  /** The file a process joins the cgroup through. */
  readonly procs: string;
  /** Removes the cgroup once its processes are gone; retries while the kernel still counts an exiting task. */
  remove(): void;
}

/** Which cgroup version holds the memory controller here, or null when there is none we can use. */
export function memoryCgroupVersion(root = '/sys/fs/cgroup'): 1 | 2 | null {
  if (existsSync(join(root, 'memory', 'memory.limit_in_bytes'))) return 1;
  const controllers = join(root, 'cgroup.controllers');
  if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('memory')) return 2;
  return null;
}

/** Creates `memscope-sq-<id>` with the given memory limit. Throws (with what to do) when it cannot. */
export function createMemoryCgroup(id: string, limitBytes = CONTAINER_LIMIT_BYTES, root = '/sys/fs/cgroup'): MemoryCgroup {
  const version = memoryCgroupVersion(root);
  if (version === null) throw new Error(`no memory cgroup controller under ${root}: the container setting needs cgroup v1 or v2 and root`);
  const dir = version === 1 ? join(root, 'memory', `memscope-sq-${id}`) : join(root, `memscope-sq-${id}`);
  mkdirSync(dir, { recursive: true });
  try {
    if (version === 1) writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
    else writeFileSync(join(dir, 'memory.max'), String(limitBytes));
  } catch (error) {
    rmdirSync(dir);
    throw error;
  }
  return {
    version,
    dir,
    procs: join(dir, 'cgroup.procs'),
    remove: () => {
      removeCgroupDir(dir);
    },
  };
}

export function removeCgroupDir(dir: string): void {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      // EBUSY: a task is still exiting. A short synchronous wait keeps this usable from an 'exit' handler.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  console.error(`signal-quality: could not remove ${dir}; remove it with rmdir once its processes are gone`);
}

/** `sh -c` that joins the cgroup and then execs the command: the pid stays the same, node starts inside. */
export function wrapInCgroup(cgroup: MemoryCgroup, command: string, args: string[]): { command: string; args: string[] } {
  return { command: '/bin/sh', args: ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, command, ...args] };
}
