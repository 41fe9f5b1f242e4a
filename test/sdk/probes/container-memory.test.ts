import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { cgroupLevels, findMount, parseMountinfo, parseProcCgroup } from '../../../src/sdk/probes/cgroup-paths.js';
import type { ContainerMemoryOptions } from '../../../src/sdk/probes/container-memory.js';
import { readContainerMemoryLimit, UNLIMITED_THRESHOLD_BYTES } from '../../../src/sdk/probes/container-memory.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cgroup/', import.meta.url));
const MIB = 1024 * 1024;

/** Options pointing at one fixture tree; the fallback says "no limit" unless a test replaces it. */
function tree(name: string, constrainedMemory: () => number | undefined = () => 0): ContainerMemoryOptions {
  return { procRoot: join(FIXTURES, name, 'proc'), fsRoot: join(FIXTURES, name), constrainedMemory };
}

function file(name: string, ...rest: string[]): string {
  return join(FIXTURES, name, 'sys/fs/cgroup', ...rest);
}

describe('readContainerMemoryLimit', () => {
  it('reads memory.max of the process cgroup on cgroup v2', () => {
    expect(readContainerMemoryLimit(tree('v2-limit'))).toEqual({
      limitBytes: 512 * MIB,
      cgroupVersion: 2,
      source: 'cgroup',
      file: file('v2-limit', 'system.slice/app.service/memory.max'),
    });
  });

  it('reports "max" as no limit and names the process own file', () => {
    expect(readContainerMemoryLimit(tree('v2-unlimited'))).toEqual({
      limitBytes: null,
      cgroupVersion: 2,
      source: 'cgroup',
      file: file('v2-unlimited', 'system.slice/app.service/memory.max'),
    });
  });

  it('takes the smallest limit on the way up to the mount point', () => {
    const result = readContainerMemoryLimit(tree('v2-nested'));

    expect(result.limitBytes).toBe(256 * MIB);
    expect(result.file).toBe(file('v2-nested', 'kubepods.slice/pod-a/memory.max'));
  });

  it('reads the mount point itself when a cgroup namespace shows the process at /', () => {
    const result = readContainerMemoryLimit(tree('v2-namespaced'));

    expect(result).toMatchObject({ limitBytes: 384 * MIB, cgroupVersion: 2, file: file('v2-namespaced', 'memory.max') });
  });

  it('reads memory.limit_in_bytes on cgroup v1', () => {
    expect(readContainerMemoryLimit(tree('v1-limit'))).toEqual({
      limitBytes: 512 * MIB,
      cgroupVersion: 1,
      source: 'cgroup',
      file: file('v1-limit', 'memory/app/memory.limit_in_bytes'),
    });
  });

  it('treats the v1 page-rounded maximum as no limit', () => {
    expect(readContainerMemoryLimit(tree('v1-unlimited'))).toEqual({
      limitBytes: null,
      cgroupVersion: 1,
      source: 'cgroup',
      file: file('v1-unlimited', 'memory/app/memory.limit_in_bytes'),
    });
  });

  it('maps a Docker-style mount root equal to the cgroup path onto the mount point', () => {
    const result = readContainerMemoryLimit(tree('v1-docker'));

    expect(result).toMatchObject({ limitBytes: 256 * MIB, cgroupVersion: 1, file: file('v1-docker', 'memory/memory.limit_in_bytes') });
  });

  it('uses the v1 memory controller when the v2 hierarchy of a hybrid machine has none', () => {
    const result = readContainerMemoryLimit(tree('hybrid'));

    expect(result).toMatchObject({ limitBytes: 2048 * MIB, cgroupVersion: 1, file: file('hybrid', 'memory/user.slice/memory.limit_in_bytes') });
    expect(result.error).toBeUndefined();
  });

  it('does not call the fallback once a cgroup file was read', () => {
    const constrainedMemory = vi.fn(() => 123 * MIB);

    const result = readContainerMemoryLimit(tree('v2-unlimited', constrainedMemory));

    expect(result.source).toBe('cgroup');
    expect(constrainedMemory).not.toHaveBeenCalled();
  });

  it('falls back to constrainedMemory without an error where /proc is missing', () => {
    const result = readContainerMemoryLimit(tree('no-such-tree', () => 300 * MIB));

    expect(result).toEqual({ limitBytes: 300 * MIB, cgroupVersion: null, source: 'constrainedMemory', file: null });
  });

  it('reports a /proc/self/cgroup without entries as an error and falls back', () => {
    const result = readContainerMemoryLimit(tree('garbage-proc', () => 300 * MIB));

    expect(result).toMatchObject({ limitBytes: 300 * MIB, source: 'constrainedMemory' });
    expect(result.error).toMatch(/self\/cgroup: no cgroup entry/);
  });

  it('reports an unparseable limit file as an error and falls back', () => {
    const result = readContainerMemoryLimit(tree('garbage-limit'));

    expect(result).toMatchObject({ limitBytes: null, cgroupVersion: null, source: 'none', file: null });
    expect(result.error).toMatch(/memory\.max: not a memory limit: "lots"/);
  });

  it('reports a read failure other than a missing file without throwing', () => {
    // A regular file as procRoot makes every read fail with ENOTDIR.
    const result = readContainerMemoryLimit({ ...tree('v2-limit'), procRoot: join(FIXTURES, 'README.md') });

    expect(result).toMatchObject({ limitBytes: null, source: 'none' });
    expect(result.error).toMatch(/ENOTDIR/);
  });

  it('returns a well-formed result on this machine', () => {
    const result = readContainerMemoryLimit();

    expect(result.error).toBeUndefined();
    if (result.limitBytes !== null) {
      expect(Number.isFinite(result.limitBytes)).toBe(true);
      expect(result.limitBytes).toBeGreaterThan(0);
      expect(result.limitBytes).toBeLessThan(UNLIMITED_THRESHOLD_BYTES);
    }
    if (result.source === 'cgroup') {
      expect([1, 2]).toContain(result.cgroupVersion);
      expect(result.file).toMatch(/\/memory\.(max|limit_in_bytes)$/);
    } else {
      expect(result).toMatchObject({ cgroupVersion: null, file: null });
    }
  });
});

describe('readContainerMemoryLimit fallback to process.constrainedMemory', () => {
  const fallback = (value: () => number | undefined) => readContainerMemoryLimit(tree('no-such-tree', value));

  it.each([
    ['0', 0],
    ['2^64 as Node reports it', 18446744073709552000],
    ['2^62', 2 ** 62],
    ['undefined', undefined],
  ])('treats %s as no limit', (_, value) => {
    expect(fallback(() => value)).toEqual({ limitBytes: null, cgroupVersion: null, source: 'none', file: null });
  });

  it('returns a real limit as it is', () => {
    expect(fallback(() => 768 * MIB)).toMatchObject({ limitBytes: 768 * MIB, source: 'constrainedMemory' });
  });

  it.each([
    ['NaN', Number.NaN],
    ['a negative number', -1],
  ])('treats %s as no limit and reports it', (_, value) => {
    const result = fallback(() => value);

    expect(result).toMatchObject({ limitBytes: null, source: 'none' });
    expect(result.error).toMatch(/not a memory limit/);
  });

  it('reports a throwing fallback instead of throwing', () => {
    const result = fallback(() => {
      throw new Error('boom');
    });

    expect(result).toMatchObject({ limitBytes: null, source: 'none', error: 'process.constrainedMemory(): boom' });
  });
});

describe('parseProcCgroup', () => {
  it('splits controllers, keeps colons in the path and skips lines of another shape', () => {
    const entries = parseProcCgroup('4:cpu,cpuacct:/a:b\n1:name=systemd:/\n0::/x\n\ngarbage\n');

    expect(entries).toEqual([
      { hierarchyId: '4', controllers: ['cpu', 'cpuacct'], path: '/a:b' },
      { hierarchyId: '1', controllers: ['name=systemd'], path: '/' },
      { hierarchyId: '0', controllers: [], path: '/x' },
    ]);
  });
});

describe('parseMountinfo', () => {
  it('finds the fields after a variable number of optional fields and unescapes paths', () => {
    const mounts = parseMountinfo(
      [
        '30 23 0:26 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate',
        '35 31 0:32 /docker/a /sys/fs/my\\040cgroup rw shared:16 master:1 - cgroup cgroup rw,memory',
        'too short',
      ].join('\n'),
    );

    expect(mounts).toEqual([
      { root: '/', mountPoint: '/sys/fs/cgroup', fsType: 'cgroup2', superOptions: ['rw', 'nsdelegate'] },
      { root: '/docker/a', mountPoint: '/sys/fs/my cgroup', fsType: 'cgroup', superOptions: ['rw', 'memory'] },
    ]);
  });
});

describe('findMount', () => {
  it('prefers the mount whose root contains the cgroup path', () => {
    const mounts = parseMountinfo(
      [
        '1 0 0:1 /other /mnt/other rw - cgroup cgroup rw,memory',
        '2 0 0:1 /app /mnt/app rw - cgroup cgroup rw,memory',
        '3 0 0:2 / /mnt/cpu rw - cgroup cgroup rw,cpu',
      ].join('\n'),
    );

    expect(findMount(mounts, 'cgroup', '/app/worker', 'memory')?.mountPoint).toBe('/mnt/app');
    expect(findMount(mounts, 'cgroup', '/elsewhere', 'memory')?.mountPoint).toBe('/mnt/other');
    expect(findMount(mounts, 'cgroup2', '/app')).toBeUndefined();
  });
});

describe('cgroupLevels', () => {
  const mount = (root: string) => ({ root, mountPoint: '/sys/fs/cgroup', fsType: 'cgroup2', superOptions: [] });

  it('lists the levels from the process cgroup up to the mount root', () => {
    expect(cgroupLevels(mount('/'), '/a/b')).toEqual(['/a/b', '/a', '']);
    expect(cgroupLevels(mount('/kubepods'), '/kubepods/pod/app')).toEqual(['/pod/app', '/pod', '']);
  });

  it('reads only the mount point when the path is the root or outside it', () => {
    expect(cgroupLevels(mount('/'), '/')).toEqual(['']);
    expect(cgroupLevels(mount('/docker/abc'), '/docker/abc')).toEqual(['']);
    expect(cgroupLevels(mount('/docker/abc'), '/')).toEqual(['']);
    expect(cgroupLevels(mount('/docker/abc'), '/docker/abcdef')).toEqual(['']);
    expect(cgroupLevels(mount('/..'), '/')).toEqual(['']);
    expect(cgroupLevels(mount('/'), '/../../x')).toEqual(['']);
  });
});
