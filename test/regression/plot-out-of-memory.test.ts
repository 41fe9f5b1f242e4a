import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../charts/helpers/png-decode.js';
import { makeBenchmarkReport, T0 } from '../charts/helpers/fixtures.js';
import { CLI } from '../helpers/child.js';

/**
 * Issue 6, item 3: one huge value in a valid report (iterations[0].timeline[3].rss = 1e308) sent `plot` into a
 * tick loop that never ended, until V8 ran out of memory at ~5 GB (exit 134); and `--width 8000 --height 8000
 * --pixel-ratio 4`, in range, peaked at 8.1 GB. Both run here under a memory cap, as a CI runner would kill them:
 * a 64 MB heap for the first (the chart needs a few MB), 3 GB of address space for the second (far below 8 GB).
 */
const dir = mkdtempSync(join(tmpdir(), 'memscope-oom-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(command: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => { resolve({ code, stderr }); }));
}

const node = JSON.stringify(process.execPath);
const cli = JSON.stringify(CLI);
const report = join(dir, 'huge.json');
const infinite = join(dir, 'infinite.json');
const plain = join(dir, 'plain.json');

beforeAll(() => {
  // Like the report of the issue (`benchmark` at its default 500 points): iterations of 25 ms, 60 ms apart, a
  // reading every millisecond or so. One huge reading then also makes a rate of change beyond the largest double.
  const r = makeBenchmarkReport({ iterations: 3, n: 25 });
  r.iterations.forEach((it, i) => {
    const from = it.timeline[0]!.time;
    const at = (t: number): number => T0 + i * 60 + (t - from) / 100;
    it.timeline = it.timeline.map((s) => ({ ...s, time: at(s.time) }));
    it.phaseIntervals = it.phaseIntervals.map((p) => ({ ...p, start: at(p.start), end: at(p.end) }));
  });
  r.iterations[0]!.timeline[3]!.rss = 1e308;
  writeFileSync(report, JSON.stringify(r));
  // 1e309 is valid JSON; it parses as Infinity.
  writeFileSync(infinite, JSON.stringify(r).replace('1e+308', '1e309'));
  writeFileSync(plain, JSON.stringify(makeBenchmarkReport({ iterations: 1, n: 25 })));
});

describe('plot under a memory cap', () => {
  it('draws a report holding 1e308 in a 64 MB heap, and says what it left out', { timeout: 60_000 }, async () => {
    const out = join(dir, 'huge.png');
    const { code, stderr } = await run(`exec ${node} --max-old-space-size=64 ${cli} plot ${JSON.stringify(report)} --out ${JSON.stringify(out)}`);
    expect(code, stderr).toBe(0);
    expect(decodePng(readFileSync(out)).width).toBe(1200);
    // Infinity is no reading at all: the report is refused as malformed, naming the field (exit 4), never drawn.
    const refused = await run(`exec ${node} --max-old-space-size=64 ${cli} plot ${JSON.stringify(infinite)} --out ${JSON.stringify(join(dir, 'infinite.png'))}`);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toMatch(/^memscope: MEMSCOPE_E_REPORT_CORRUPT: .*timeline\[3\]\.rss: expected a finite number, got Infinity/);
    const svg = join(dir, 'huge.svg');
    expect((await run(`exec ${node} --max-old-space-size=64 ${cli} plot ${JSON.stringify(report)} --out ${JSON.stringify(svg)}`)).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toContain('Not drawn: 1 implausible reading (rss = 1e+308)');
  });

  it('refuses a PNG beyond 64 million pixels at once, naming --pixel-ratio, and writes nothing', { timeout: 60_000 }, async () => {
    const out = join(dir, 'big.png');
    const { code, stderr } = await run(`ulimit -v 3000000; exec ${node} ${cli} plot ${JSON.stringify(plain)} --out ${JSON.stringify(out)} --width 8000 --height 8000 --pixel-ratio 4`);
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/MEMSCOPE_E_INVALID_OPTION: --pixel-ratio must be small enough for width × height × pixelRatio² to stay within 64,000,000 pixels .*got "8000 × 8000 at 4 \(1,024,000,000 pixels\)"/);
    expect(existsSync(out)).toBe(false);
  });
});
