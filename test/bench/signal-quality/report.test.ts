import { describe, expect, it } from 'vitest';
import { healthyRows, healthyTable, leakRows, leakTable, replayTable, replayTargetS, type ReplayResult } from '../../../bench/signal-quality/lib/report.js';
import { renderReport } from '../../../bench/signal-quality/lib/render-report.js';
import type { RunResult } from '../../../bench/signal-quality/lib/run-one.js';

const KIB = 1024;

function run(shape: string, setting: 'default' | 'container', n: number, over: Partial<RunResult>): RunResult {
  return {
    v: 1,
    key: `${shape}|${setting}|${n}`,
    shape,
    setting,
    run: n,
    kind: 'leak',
    nominalBytesPerSec: 256 * KIB,
    targetS: 120,
    durationS: 240,
    leakStart: 'load',
    build: { dist: '/d', commit: 'abc', builtAt: '2026-01-01T00:00:00.000Z' },
    startedAt: `2026-01-01T00:0${n}:00.000Z`,
    wallS: 100,
    loadAvg1m: [1, 2],
    machine: { cpu: 'cpu', cores: 2, memGiB: 24, node: 'v20' },
    loadStartOffsetS: 1,
    firstFlagS: null,
    firstFlagKinds: [],
    flaggedScrapes: 0,
    scrapes: 48,
    stayedFlagged: null,
    endReason: 'timeout',
    lastS: 240,
    exit: { code: 0, signal: null, early: false, outOfMemory: false },
    load: { elapsedS: 240, sent: 24000, ok: 24000, status4xx: 0, status5xx: 0, failed: 0, dropped: 0, inFlight: 0, achievedRate: 100 },
    probes: [null, null],
    effective: { heap: 250 * KIB, external: 0, arrayBuffers: 0, rss: 300 * KIB, total: 250 * KIB, overS: 240 },
    containerLimitBytes: null,
    heapLimitBytes: null,
    columns: ['t', 'up'],
    rows: [],
    ...over,
  };
}

const flagged = (t: number): Partial<RunResult> => ({ firstFlagS: t, firstFlagKinds: ['heap'], flaggedScrapes: 6, stayedFlagged: true, endReason: 'confirmed' });

describe('leakRows', () => {
  it('gives median and worst time to first flag, and meets the target only when every required run flagged in time', () => {
    const runs = Array.from({ length: 10 }, (_, i) => run('memory-cache-256k', 'default', i + 1, flagged(60 + i * 5)));
    const [row] = leakRows(runs);
    expect(row).toMatchObject({ runs: 10, required: 10, flagged: 10, medianS: 82.5, worstS: 105, misses: 0, met: 'met' });
  });

  it('counts a run without a flag as a miss (worst is a miss) and a flag past the target as late', () => {
    const runs = [
      run('memory-cache-256k', 'container', 1, flagged(80)),
      run('memory-cache-256k', 'container', 2, {}),
      run('memory-cache-256k', 'container', 3, flagged(130)),
    ];
    const [row] = leakRows(runs);
    expect(row).toMatchObject({ flagged: 2, misses: 1, late: 1, worstS: null, medianS: 105, met: 'not met' });
    const text = leakTable([row!]);
    expect(text).toContain('| `memory-cache-256k` | container | 256 KiB/s | 250 | 3 of 10 | 2 | 105 | miss | 1 | 0 | 0 | ≤ 120 s | **not met** (1 late) |');
  });

  it('says "so far" while fewer than the required runs are recorded and all of them met the target', () => {
    const [row] = leakRows([run('memory-cache-256k', 'default', 1, flagged(70))]);
    expect(row!.met).toBe('partial');
  });
});

describe('healthyRows', () => {
  it('counts runs with any flagged scrape as false alarms', () => {
    const healthy = (n: number, over: Partial<RunResult>): RunResult => run('lru-cache', 'default', n, { kind: 'healthy', nominalBytesPerSec: null, targetS: null, durationS: 300, endReason: 'fixed', ...over });
    const rows = healthyRows([healthy(1, {}), healthy(2, { firstFlagS: 65, flaggedScrapes: 3 }), healthy(3, {}), healthy(4, {}), healthy(5, {})]);
    expect(rows[0]).toMatchObject({ runs: 5, runsFlagged: 1, flaggedScrapes: 3, scrapes: 240, firstFalseS: 65, met: 'not met' });
    expect(healthyTable(rows)).toContain('| `lru-cache` | default | 5 | 1 | 3 of 240 | 65 | 250 | **not met** |');
  });
});

describe('replays', () => {
  const replay = (over: Partial<ReplayResult>): ReplayResult => ({
    key: 'k',
    trace: 't.trace.gz',
    shape: 'memory-cache-16k',
    kind: 'leak',
    setting: 'default',
    nominalBytesPerSec: 16 * KIB,
    recordedS: 7200,
    replayedS: 21600,
    hours: 6,
    copies: 3,
    carryBytesPerHour: { heapUsed: 16 * KIB * 3600 },
    scrapes: 4320,
    flaggedScrapes: 100,
    firstFlagS: 2400,
    firstFlagBasis: 'heap',
    flaggedBy: { '900': 0, '3600': 10, '7200': 50, '21600': 100 },
    gcBatches: 10,
    samples: 20,
    nsPerRecord: 1500,
    nsPerVerdict: 200_000,
    wallMs: 1000,
    detectorBytes: 200_000,
    dist: '/d',
    replayedAt: '2026',
    ...over,
  });

  it('holds a 16 KiB/s leak to 1 h and a 4 KiB/s one to 6 h', () => {
    expect(replayTargetS(16 * KIB)).toBe(3600);
    expect(replayTargetS(4 * KIB)).toBe(21600);
    expect(replayTargetS(1024)).toBeNull();
  });

  it('marks a leak flagged past its target and a healthy trace with any flag as not met', () => {
    const text = replayTable([
      replay({}),
      replay({ trace: 'late.trace.gz', firstFlagS: 4000 }),
      replay({ trace: 'h.trace.gz', kind: 'healthy', nominalBytesPerSec: null, firstFlagS: null, flaggedScrapes: 0 }),
      replay({ trace: 'h2.trace.gz', kind: 'healthy', nominalBytesPerSec: null, firstFlagS: 5000, flaggedScrapes: 2 }),
    ]);
    const lines = text.split('\n');
    expect(lines[2]).toBe('| `t.trace.gz` | leak, 16 KiB/s | 2.00 h | – | 6.00 h | 16.0 | 40.0 min (heap) | 0 / 10 / 50 / 100 | ≤ 1 h | met |');
    expect(lines[3]).toMatch(/^\| `late\.trace\.gz` .* \| \*\*not met\*\* \|$/);
    expect(lines[4]).toMatch(/^\| `h\.trace\.gz` \| healthy .* \| no flag \| met \|$/);
    expect(lines[5]).toMatch(/^\| `h2\.trace\.gz` .* \| \*\*not met\*\* \|$/);
  });
});

describe('renderReport', () => {
  it('says it is generated in its first line and summarises each target', () => {
    const text = renderReport({
      results: [run('memory-cache-256k', 'default', 1, flagged(70)), run('lru-cache', 'default', 1, { kind: 'healthy', nominalBytesPerSec: null, targetS: null })],
      replays: [],
      resultsFile: 'r.jsonl',
      replaysFile: 'p.jsonl',
    });
    expect(text.split('\n')[0]).toMatch(/^<!-- generated by bench\/signal-quality\/write-report\.ts from r\.jsonl and p\.jsonl — do not edit/);
    expect(text).toContain('| Leak ≥ 256 KiB/s flagged within 120 s in every one of 10 runs, default and container | 0 of 1 shape × setting met |');
    expect(text).toContain('| No healthy shape flagged in any run | 0 of 1 shape × setting met |');
  });
});
