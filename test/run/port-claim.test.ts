import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPath, isAlive, PortClaim, readClaim } from '../../src/run/port-claim.js';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'memscope-claim-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A pid that existed and is gone. */
function deadPid(): number {
  // Typed as always set, undefined when the spawn failed.
  const pid = spawnSync('true').pid as number | undefined;
  if (pid === undefined) throw new Error('could not run `true`');
  return pid;
}

describe('PortClaim', () => {
  it('lets exactly one claimant own the port until it releases it', () => {
    const path = claimPath(dir(), 9464);
    const a = new PortClaim(path, process.pid);
    const b = new PortClaim(path, process.ppid);
    expect(a.tryClaim()).toBe(true);
    expect(b.tryClaim()).toBe(false);
    a.publish('http://127.0.0.1:9464/metrics');
    expect(readClaim(path)).toEqual({ pid: process.pid, url: 'http://127.0.0.1:9464/metrics' });
    a.release();
    expect(existsSync(path)).toBe(false);
    expect(b.tryClaim()).toBe(true);
  });

  it('takes over a claim whose owner is gone', () => {
    const path = claimPath(dir(), 0);
    const gone = deadPid();
    expect(isAlive(gone)).toBe(false);
    writeFileSync(path, JSON.stringify({ pid: gone }));
    const claim = new PortClaim(path);
    expect(claim.tryClaim()).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ pid: process.pid });
  });

  it('treats a claim being written (not yet JSON) as held', () => {
    const path = claimPath(dir(), 1);
    writeFileSync(path, '');
    expect(new PortClaim(path).tryClaim()).toBe(false);
  });

  it('creates the claim directory and never throws where nothing can be written', () => {
    const nested = join(dir(), 'a', 'b');
    expect(new PortClaim(claimPath(nested, 2)).tryClaim()).toBe(true);
    expect(new PortClaim('/proc/memscope-cannot-write/x.lock').tryClaim()).toBe(false);
  });

  it('releases only its own claim', () => {
    const path = claimPath(dir(), 3);
    const a = new PortClaim(path, process.pid);
    expect(a.tryClaim()).toBe(true);
    writeFileSync(path, JSON.stringify({ pid: process.ppid }));
    a.release();
    expect(readClaim(path)).toEqual({ pid: process.ppid });
  });
});
