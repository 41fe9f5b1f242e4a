import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writePictures } from '../../src/cli/pictures.js';
import { main } from '../../src/cli/program.js';
import { makeBenchmarkReport } from '../charts/helpers/fixtures.js';

/**
 * Issue 6, item 4: on a full disk `report --html` replaced a good r.html with one cut mid-<script>, and with no earlier
 * file left a partial HTML or a 0-byte SVG. Here the disk fills up after `room` bytes of any file written, through
 * either writeFile or a file handle (as ENOSPC does): every file the CLI writes must survive whole or not appear.
 */
const disk = vi.hoisted(() => ({ room: undefined as number | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const full = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const writeFile = (async (path: string, data: string | Uint8Array, options?: unknown) => {
    if (disk.room === undefined) return actual.writeFile(path, data, options as never);
    await actual.writeFile(path, Buffer.from(data).subarray(0, disk.room));
    throw full();
  }) as typeof actual.writeFile;
  const open = (async (path: string, flags?: string, mode?: number) => {
    const handle = await actual.open(path, flags, mode);
    const room = disk.room;
    if (room === undefined || flags === 'r' || flags === undefined) return handle;
    return Object.assign(Object.create(handle) as FsPromises.FileHandle, {
      writeFile: async (data: string | Uint8Array) => {
        await handle.writeFile(Buffer.from(data).subarray(0, room));
        throw full();
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    });
  }) as typeof actual.open;
  return { ...actual, default: { ...actual, writeFile, open }, writeFile, open };
});

const dir = mkdtempSync(join(tmpdir(), 'memscope-full-disk-'));
const report = join(dir, 'benchmark.json');
const stderr: string[] = [];
beforeAll(() => {
  writeFileSync(report, JSON.stringify(makeBenchmarkReport({ iterations: 2, n: 50 })));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  disk.room = undefined;
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const leftovers = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('pictures on a full disk', () => {
  it('report --html keeps an existing good report whole, and says why it failed (exit 9)', async () => {
    const html = join(dir, 'r.html');
    expect(await main(['node', 'memscope', 'report', report, '--html', html])).toBe(0);
    const good = readFileSync(html, 'utf8');
    disk.room = 64 * 1024;
    expect(await main(['node', 'memscope', 'report', report, '--html', html])).toBe(9);
    expect(stderr.join('')).toMatch(/MEMSCOPE_E_WRITE: cannot write .*r\.html: ENOSPC/);
    expect(readFileSync(html, 'utf8')).toBe(good);
    expect(leftovers()).toEqual([]);
  });

  it('report --html and plot --out leave no partial file where there was none', async () => {
    disk.room = 1000;
    for (const args of [['report', report, '--html', join(dir, 'new.html')], ['plot', report, '--out', join(dir, 'new.svg')], ['plot', report, '--out', join(dir, 'new.png')]]) {
      expect(await main(['node', 'memscope', ...args]), args.join(' ')).toBe(9);
      expect(existsSync(args[3]!), args[3]).toBe(false);
    }
    disk.room = 0;
    expect(await main(['node', 'memscope', 'plot', report, '--out', join(dir, 'empty.svg')])).toBe(9);
    expect(existsSync(join(dir, 'empty.svg'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('plot --out keeps an existing picture whole', async () => {
    const svg = join(dir, 'chart.svg');
    expect(await main(['node', 'memscope', 'plot', report, '--out', svg])).toBe(0);
    const good = readFileSync(svg, 'utf8');
    disk.room = 2000;
    expect(await main(['node', 'memscope', 'plot', report, '--out', svg, '--title', 'other'])).toBe(9);
    expect(readFileSync(svg, 'utf8')).toBe(good);
  });

  it('the pictures of `test` and `benchmark` (--plot, --html) keep or leave nothing partial', async () => {
    const base = join(dir, 'run');
    writeFileSync(`${base}.html`, 'earlier report');
    disk.room = 500;
    await expect(writePictures(makeBenchmarkReport({ iterations: 1, n: 20 }), base, { plot: 'svg', html: true })).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    expect(existsSync(`${base}.svg`)).toBe(false);
    disk.room = 500;
    await expect(writePictures(makeBenchmarkReport({ iterations: 1, n: 20 }), base, { html: true })).rejects.toMatchObject({ code: 'MEMSCOPE_E_WRITE' });
    expect(readFileSync(`${base}.html`, 'utf8')).toBe('earlier report');
    expect(leftovers()).toEqual([]);
  });
});
