import { posix } from 'node:path';

/**
 * Where the process's cgroup lives on disk, worked out from `/proc/self/cgroup` and `/proc/self/mountinfo`. Pure text
 * functions (no fs access) so each rule can be tested on a string; container-memory.ts does the reading.
 */

/** One line of `/proc/self/cgroup`: `hierarchy-id:controller,list:/path`. */
export interface CgroupEntry {
  hierarchyId: string;
  /** Empty for the cgroup v2 entry (`0::/path`); `name=systemd` style names are kept as they are. */
  controllers: string[];
  path: string;
}

/** The part of one `/proc/self/mountinfo` line memscope needs. */
export interface MountEntry {
  /** The directory of the mounted filesystem shown at the mount point (`/` unless a subtree is mounted). */
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/** Parses `/proc/self/cgroup`, skipping lines that do not have the `id:controllers:/path` shape. */
export function parseProcCgroup(text: string): CgroupEntry[] {
  const entries: CgroupEntry[] = [];
  for (const line of text.split('\n')) {
    // The path may itself contain ':', so split on the first two only.
    const match = /^(\d+):([^:]*):(\/.*)$/.exec(line.trim());
    if (match === null) continue;
    const [, hierarchyId = '', controllers = '', path = '/'] = match;
    entries.push({ hierarchyId, controllers: controllers.split(',').filter((c) => c !== ''), path });
  }
  return entries;
}

/**
 * Parses `/proc/self/mountinfo` (proc(5)): `id parent major:minor root mount-point options [optional...] - fstype
 * source super-options`. The optional fields vary in number, hence the search for the lone `-`.
 */
export function parseMountinfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const separator = fields.indexOf('-', 6);
    const root = fields[3];
    const mountPoint = fields[4];
    const fsType = fields[separator + 1];
    if (separator < 0 || root === undefined || mountPoint === undefined || fsType === undefined) continue;
    mounts.push({
      root: unescapeOctal(root),
      mountPoint: unescapeOctal(mountPoint),
      fsType,
      superOptions: (fields[separator + 3] ?? '').split(','),
    });
  }
  return mounts;
}

/** The kernel writes space, tab, newline and backslash in paths as `\040`, `\011`, `\012` and `\134`. */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(parseInt(code, 8)));
}

/** The cgroup v2 entry (`0::/path`), if the process has one. */
export function findV2Entry(entries: readonly CgroupEntry[]): CgroupEntry | undefined {
  return entries.find((e) => e.hierarchyId === '0' && e.controllers.length === 0);
}

/** The cgroup v1 entry of the hierarchy that holds `controller` (often co-mounted, as in `4:cpu,cpuacct:/`). */
export function findV1Entry(entries: readonly CgroupEntry[], controller: string): CgroupEntry | undefined {
  return entries.find((e) => e.hierarchyId !== '0' && e.controllers.includes(controller));
}

/**
 * The mount of `fsType` (and `superOption`, for v1 controllers) that shows `cgroupPath`. A hierarchy can be mounted
 * more than once; the mount whose root contains the path, deepest root first, is the one that shows it.
 */
export function findMount(
  mounts: readonly MountEntry[],
  fsType: string,
  cgroupPath: string,
  superOption?: string,
): MountEntry | undefined {
  const candidates = mounts.filter(
    (m) => m.fsType === fsType && (superOption === undefined || m.superOptions.includes(superOption)),
  );
  const showing = candidates
    .filter((m) => relativeToRoot(m.root, cgroupPath) !== undefined)
    .sort((a, b) => b.root.length - a.root.length);
  return showing[0] ?? candidates[0];
}

/**
 * The cgroup directories to read, relative to the mount point, from the process's own cgroup up to the mount point
 * (`['/a/b', '/a', '']`). Limits are hierarchical, so every level can hold the one that applies.
 *
 * When the mount's root does not contain the path, the process's cgroup cannot be located by path arithmetic: with
 * Docker or Kubernetes and a cgroup namespace, `/proc/self/cgroup` shows `/` while mountinfo may show the host-side
 * root (`/docker/<id>`, `/kubepods/...`) or `/..`. The mount point then shows the container's own cgroup (what the
 * runtime mounted for it), so it is the only level read.
 */
export function cgroupLevels(mount: MountEntry, cgroupPath: string): string[] {
  const relative = relativeToRoot(mount.root, cgroupPath);
  if (relative === undefined) return [''];
  const levels: string[] = [];
  let level = relative;
  while (level !== '') {
    levels.push(level);
    const parent = posix.dirname(level);
    level = parent === '/' ? '' : parent;
  }
  levels.push('');
  return levels;
}

/** `path` below `root` as `/x/y` ('' when equal), or undefined when it is not below it or climbs with `..`. */
function relativeToRoot(root: string, path: string): string | undefined {
  if (path.split('/').includes('..') || root.split('/').includes('..')) return undefined;
  const trimmedRoot = root.replace(/\/+$/, '');
  const trimmedPath = path.replace(/\/+$/, '');
  if (trimmedPath === trimmedRoot) return '';
  if (!trimmedPath.startsWith(`${trimmedRoot}/`)) return undefined;
  return trimmedPath.slice(trimmedRoot.length);
}
