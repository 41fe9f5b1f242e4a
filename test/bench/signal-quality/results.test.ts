import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { appendResult, parseResults, pendingRuns, planRuns, readResults } from '../../../bench/signal-quality/lib/results.js';
import { runKey, type RunResult } from '../../../bench/signal-quality/lib/run-one.js';
import { findShape } from '../../../bench/signal-quality/lib/shapes.js';

const fast = findShape('memory-cache-256k')!; // 10 runs
const slow = findShape('memory-cache-100k')!; // 5 runs
const large = findShape('gc-sawtooth-large')!; // default setting only

const recorded = (key: string): RunResult => ({ v: 1, key }) as RunResult;

describe('planRuns', () => {
  it('plans round by round — run 1 of everything before any run 2 — each shape its own number of runs', () => {
    const plan = planRuns([fast, slow], ['default', 'container']);
    expect(plan).toHaveLength(10 * 2 + 5 * 2);
    expect(plan.slice(0, 4).map((p) => runKey(p.shape.name, p.setting, p.run))).toEqual([
      'memory-cache-256k|default|1',
      'memory-cache-256k|container|1',
      'memory-cache-100k|default|1',
      'memory-cache-100k|container|1',
    ]);
    expect(plan.filter((p) => p.run > 5).every((p) => p.shape === fast)).toBe(true);
  });

  it('honours --runs and the settings a shape supports', () => {
    const plan = planRuns([large, slow], ['default', 'container'], 2);
    expect(plan.map((p) => runKey(p.shape.name, p.setting, p.run))).toEqual([
      'gc-sawtooth-large|default|1',
      'memory-cache-100k|default|1',
      'memory-cache-100k|container|1',
      'gc-sawtooth-large|default|2',
      'memory-cache-100k|default|2',
      'memory-cache-100k|container|2',
    ]);
  });
});

describe('pendingRuns', () => {
  it('skips the runs the results file already holds', () => {
    const plan = planRuns([slow], ['default'], 3);
    const pending = pendingRuns(plan, [recorded('memory-cache-100k|default|2'), recorded('other|default|1')]);
    expect(pending.map((p) => p.run)).toEqual([1, 3]);
  });
});

describe('results file', () => {
  it('skips a line cut short by a kill and keeps the run appended after it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sq-results-'));
    const file = join(dir, 'results.jsonl');
    appendResult(file, recorded('a|default|1'));
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"v":1,"key":"b|def`, { flag: 'w' });
    appendResult(file, recorded('c|default|1'));
    const { results, skipped } = readResults(file);
    expect(results.map((r) => r.key)).toEqual(['a|default|1', 'c|default|1']);
    expect(skipped).toBe(1);
  });

  it('counts lines that are JSON but not a run as skipped', () => {
    expect(parseResults('{"v":2,"key":"x"}\n\n{"v":1,"key":"y"}\nnot json\n')).toEqual({ results: [{ v: 1, key: 'y' }], skipped: 2 });
  });

  it('reads a missing file as empty', () => {
    expect(readResults(join(tmpdir(), 'sq-no-such-file.jsonl'))).toEqual({ results: [], skipped: 0 });
  });
});

describe('committed baseline', () => {
  it('reads a gzipped results file and refuses to append to one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sq-results-'));
    const file = join(dir, 'baseline.jsonl.gz');
    writeFileSync(file, gzipSync('{"v":1,"key":"a|default|1"}\n{"v":1,"key":"a|default|2"}\n'));
    expect(readResults(file).results.map((r) => r.key)).toEqual(['a|default|1', 'a|default|2']);
    expect(() => {
      appendResult(file, recorded('b|default|1'));
    }).toThrow(/plain \.jsonl/);
  });
});
