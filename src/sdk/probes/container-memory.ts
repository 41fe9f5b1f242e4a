import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, invalidOption } from '../../internal/errors.js';
import { objectOption, rejectUnknownKeys, stringOption } from '../../internal/validate.js';
import { cgroupLevels, findMount, findV1Entry, findV2Entry, parseMountinfo, parseProcCgroup } from './cgroup-paths.js';

/**
 * The memory limit of the container (cgroup) the process runs in, read from the cgroup filesystem (v2 `memory.max`,
 * v1 `memory.limit_in_bytes`), with `process.constrainedMemory()` as the fallback where no cgroup file can be read.
 * Read synchronously: it is called once at start and then every ~30 s, and the files live in sysfs/procfs (no disk).
 */

export interface ContainerMemoryOptions {
  /**
   * Where procfs is mounted; `<procRoot>/self/cgroup` and `<procRoot>/self/mountinfo` are read.
   * @default '/proc'
   */
  procRoot?: string;
  /**
   * The directory the mount points listed in mountinfo are resolved against (a fixture tree in tests).
   * @default '/'
   */
  fsRoot?: string;
  /**
   * The fallback used when no cgroup memory file can be read (macOS, Windows, cgroupfs not mounted). Its 0 (and
   * `undefined`, returned by some Node 20 releases) and values of 2^62 or more (libuv reports "unlimited" as 2^64)
   * mean no limit.
   * @default process.constrainedMemory
   */
  constrainedMemory?: () => number | undefined;
}

export interface ContainerMemoryLimit {
  /** The smallest limit that applies to the process, in bytes; null when there is none (or none could be found). */
  limitBytes: number | null;
  /** The cgroup version the limit was read from; null unless `source` is `'cgroup'`. */
  cgroupVersion: 1 | 2 | null;
  /** `'cgroup'` when at least one cgroup memory file was read (its "unlimited" is an answer too). */
  source: 'cgroup' | 'constrainedMemory' | 'none';
  /** The file holding the limit (the process's own level when every level is unlimited); null unless from a cgroup. */
  file: string | null;
  /**
   * Set when something unexpected happened on the way (a file that exists but cannot be read or parsed, a
   * `/proc/self/cgroup` without entries, a throwing fallback): the result is still the best answer available, and
   * the caller counts the failure as a probe error. A missing file is not an error: most levels have none.
   */
  error?: string;
}

/** Limits at or above this mean "no limit": v1 reports it as 9223372036854771712, libuv as 2^64. */
export const UNLIMITED_THRESHOLD_BYTES = 2 ** 62;

const NO_LIMIT: ContainerMemoryLimit = { limitBytes: null, cgroupVersion: null, source: 'none', file: null };

/**
 * Reads the container memory limit. Never throws on what it reads: failures come back in `error` beside the best
 * answer. Options are checked (an unknown key or a wrong type throws MEMSCOPE_E_INVALID_OPTION).
 */
export function readContainerMemoryLimit(options: ContainerMemoryOptions = {}): ContainerMemoryLimit {
  checkContainerOptions(options);
  const problems: string[] = [];
  const read = options.constrainedMemory ?? (() => process.constrainedMemory());
  const found = readCgroupLimit(options.procRoot ?? '/proc', options.fsRoot ?? '/', problems) ?? fromConstrainedMemory(read, problems);
  return problems.length === 0 ? found : { ...found, error: problems.join('; ') };
}

function checkContainerOptions(options: ContainerMemoryOptions): void {
  const o = objectOption('options', options);
  rejectUnknownKeys(o, ['procRoot', 'fsRoot', 'constrainedMemory']);
  if (o.procRoot !== undefined) stringOption('procRoot', o.procRoot, '/proc');
  if (o.fsRoot !== undefined) stringOption('fsRoot', o.fsRoot, '/');
  if (o.constrainedMemory !== undefined && typeof o.constrainedMemory !== 'function') throw invalidOption('constrainedMemory', 'a function', o.constrainedMemory);
}

function readCgroupLimit(procRoot: string, fsRoot: string, problems: string[]): ContainerMemoryLimit | undefined {
  const cgroupFile = join(procRoot, 'self', 'cgroup');
  const cgroupText = readOptional(cgroupFile, problems);
  const mountinfoText = readOptional(join(procRoot, 'self', 'mountinfo'), problems);
  if (cgroupText === undefined || mountinfoText === undefined) return undefined;
  const entries = parseProcCgroup(cgroupText);
  if (entries.length === 0) {
    problems.push(`${cgroupFile}: no cgroup entry`);
    return undefined;
  }
  const mounts = parseMountinfo(mountinfoText);

  // v2 first, but only where it holds the memory controller: a hybrid machine mounts an empty v2 hierarchy
  // ("unified") beside the v1 memory one. The top of the visible tree lists every controller bound to v2.
  const v2 = findV2Entry(entries);
  const v2Mount = v2 && findMount(mounts, 'cgroup2', v2.path);
  if (v2 && v2Mount) {
    const top = join(fsRoot, v2Mount.mountPoint);
    const controllers = readOptional(join(top, 'cgroup.controllers'), problems) ?? '';
    if (controllers.split(/\s+/).includes('memory')) {
      const limit = smallestLimit(2, top, cgroupLevels(v2Mount, v2.path), 'memory.max', problems);
      if (limit) return limit;
    }
  }

  const v1 = findV1Entry(entries, 'memory');
  const v1Mount = v1 && findMount(mounts, 'cgroup', v1.path, 'memory');
  if (v1 && v1Mount) {
    const top = join(fsRoot, v1Mount.mountPoint);
    return smallestLimit(1, top, cgroupLevels(v1Mount, v1.path), 'memory.limit_in_bytes', problems);
  }
  return undefined;
}

/**
 * Reads `fileName` at every level from the process's cgroup up to the mount point and keeps the smallest limit (a
 * parent's limit caps its children). v1's `memory.use_hierarchy=0` would exempt children from their parents' limits;
 * it is ignored here because it is rare and later kernels removed that mode.
 */
function smallestLimit(version: 1 | 2, top: string, levels: string[], fileName: string, problems: string[]): ContainerMemoryLimit | undefined {
  let found: ContainerMemoryLimit | undefined;
  for (const level of levels) {
    const file = join(top, level, fileName);
    const text = readOptional(file, problems);
    if (text === undefined) continue;
    const limit = parseLimit(text);
    if (limit === undefined) {
      problems.push(`${file}: not a memory limit: ${JSON.stringify(text.trim().slice(0, 40))}`);
      continue;
    }
    if (found === undefined || (limit !== null && (found.limitBytes === null || limit < found.limitBytes))) {
      found = { limitBytes: limit, cgroupVersion: version, source: 'cgroup', file };
    }
  }
  return found;
}

/** A limit in bytes, null for "unlimited" (`max`, or v1's near-2^63 page-rounded maximum), undefined for garbage. */
function parseLimit(text: string): number | null | undefined {
  const value = text.trim();
  if (value === 'max') return null;
  if (!/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  return bytes >= UNLIMITED_THRESHOLD_BYTES ? null : bytes;
}

function fromConstrainedMemory(read: () => number | undefined, problems: string[]): ContainerMemoryLimit {
  let value: number | undefined;
  try {
    value = read();
  } catch (error) {
    // Also reached where the API is missing (Node < 19.6), which the engines field rules out but users may not.
    problems.push(`process.constrainedMemory(): ${errorMessage(error)}`);
    return NO_LIMIT;
  }
  if (value === undefined || value === 0 || value >= UNLIMITED_THRESHOLD_BYTES) return NO_LIMIT;
  if (!Number.isFinite(value) || value < 0) {
    problems.push(`process.constrainedMemory(): not a memory limit: ${String(value)}`);
    return NO_LIMIT;
  }
  return { limitBytes: value, cgroupVersion: null, source: 'constrainedMemory', file: null };
}

/** The file's text, or undefined when it is missing (expected) or unreadable (recorded in `problems`). */
function readOptional(file: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(errorMessage(error));
    return undefined;
  }
}
