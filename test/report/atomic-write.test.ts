import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/report/atomic-write.js';
import { fullDisk } from '../charts/helpers/full-disk.js';

const dir = mkdtempSync(join(tmpdir(), 'memscope-atomic-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const files = (): string[] => readdirSync(dir).sort();

describe('writeFileAtomic', () => {
  it('writes the whole file, creating missing folders, and leaves nothing else', async () => {
    const path = join(dir, 'a', 'b', 'report.json');
    await writeFileAtomic(path, '{"ok":true}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"ok":true}\n');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['report.json']);
  });

  it('keeps an existing file whole when the disk is full, and leaves no partial file', async () => {
    const path = join(dir, 'r.html');
    const good = `<!doctype html>${'<p>good</p>'.repeat(1000)}</html>\n`;
    writeFileSync(path, good);
    const before = files();
    const error = await writeFileAtomic(path, `<!doctype html><script>${'x'.repeat(100_000)}</script></html>\n`, { fs: fullDisk(4096) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    expect((error as Error).message).toMatch(/cannot write .*r\.html: ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe(good);
    expect(files()).toEqual(before);
  });

  it('leaves no file at all when there was none and the disk is full', async () => {
    const path = join(dir, 'chart.svg');
    await expect(writeFileAtomic(path, '<svg/>'.repeat(10_000), { fs: fullDisk(0) })).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    expect(existsSync(path)).toBe(false);
    expect(files().filter((f) => f.includes('chart.svg'))).toEqual([]);
  });

  it('gives two writes of one file at once their own temporary files: the result is one of them, whole', async () => {
    const path = join(dir, 'race.json');
    const a = 'a'.repeat(200_000);
    const b = 'b'.repeat(200_000);
    await Promise.all([writeFileAtomic(path, a), writeFileAtomic(path, b), writeFileAtomic(path, a), writeFileAtomic(path, b)]);
    expect([a, b]).toContain(readFileSync(path, 'utf8'));
    expect(files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const path = join(dir, 'private.json');
    writeFileSync(path, 'old');
    chmodSync(path, 0o600);
    await writeFileAtomic(path, 'new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('fails with MEMSCOPE_E_WRITE where a file cannot be (under a file, or over a directory)', async () => {
    writeFileSync(join(dir, 'plain'), '');
    await expect(writeFileAtomic(join(dir, 'plain', 'x.svg'), 'x')).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    await expect(writeFileAtomic(join(dir, 'a'), 'x')).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    expect(statSync(join(dir, 'a')).isDirectory()).toBe(true);
    expect(files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
