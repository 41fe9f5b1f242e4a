import { describe, expect, it } from 'vitest';
import { BaselineSeries } from '../../../src/sdk/leak/baseline-series.js';

describe('BaselineSeries', () => {
  it('keeps the lowest reading of each bucket with the time it was read', () => {
    const s = new BaselineSeries(1000, 10);
    s.add(100, 50);
    s.add(400, 30);
    s.add(900, 70);
    s.add(1200, 80);
    expect(s.toArray()).toEqual([
      { time: 400, value: 30 },
      { time: 1200, value: 80 },
    ]);
  });

  it('changes its version only when a point is added, lowered or dropped', () => {
    const s = new BaselineSeries(1000, 10);
    s.add(100, 50);
    const v = s.version;
    s.add(200, 60);
    expect(s.version).toBe(v);
    s.add(300, 40);
    expect(s.version).toBeGreaterThan(v);
  });

  it('folds a late reading into its bucket while it is held and drops it otherwise', () => {
    const s = new BaselineSeries(1000, 10);
    s.add(500, 50);
    s.add(2500, 50);
    s.add(800, 10); // late, bucket 0 is held
    s.add(1500, 5); // late, bucket 1 was never started: dropped
    expect(s.toArray()).toEqual([
      { time: 800, value: 10 },
      { time: 2500, value: 50 },
    ]);
  });

  it('drops the oldest point when full, and finds points by time across the wrap', () => {
    const s = new BaselineSeries(10, 4);
    for (let i = 0; i < 10; i++) s.add(i * 10 + 1, i);
    expect(s.length).toBe(4);
    expect(s.toArray().map((p) => p.value)).toEqual([6, 7, 8, 9]);
    expect(s.firstIndexAfter(0)).toBe(0);
    expect(s.firstIndexAfter(71)).toBe(2);
    expect(s.firstIndexAfter(1000)).toBe(4);
    s.clear();
    expect(s.length).toBe(0);
  });
});
