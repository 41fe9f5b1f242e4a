import { describe, expect, it } from 'vitest';
import { phaseAnchors, warpFrom } from '../../../src/charts/index.js';
import type { PhaseInterval } from '../../../src/index.js';

const p = (name: string, start: number, end: number, depth = 0): PhaseInterval => ({ name, start, end, depth });

describe('phaseAnchors', () => {
  it('matches the k-th instance of each name, start to start and end to end', () => {
    const from = [p('load', 1000, 2000), p('work', 2000, 6000), p('load', 6000, 7000)];
    const to = [p('load', 500, 1000), p('work', 1000, 3000), p('load', 3000, 3500)];
    expect(phaseAnchors(from, 1000, to, 500)).toEqual([
      { from: 0, to: 0 },
      { from: 1000, to: 500 },
      { from: 5000, to: 2500 },
      { from: 6000, to: 3000 },
    ]);
  });

  it('uses the outermost phases only and drops anchors that would run backwards', () => {
    const from = [p('a', 0, 10), p('inner', 2, 4, 1), p('b', 10, 20)];
    const to = [p('b', 0, 5), p('a', 5, 10)];
    const anchors = phaseAnchors(from, 0, to, 0);
    for (let i = 1; i < anchors.length; i++) {
      expect(anchors[i]!.from).toBeGreaterThan(anchors[i - 1]!.from);
      expect(anchors[i]!.to).toBeGreaterThan(anchors[i - 1]!.to);
    }
    expect(anchors).toEqual([{ from: 0, to: 0 }, { from: 10, to: 10 }]);
  });

  it('gives only the origin when no phase matches', () => {
    expect(phaseAnchors([p('x', 0, 5)], 0, [p('y', 0, 5)], 0)).toEqual([{ from: 0, to: 0 }]);
  });
});

describe('warpFrom', () => {
  it('is linear between anchors and has slope 1 outside them', () => {
    const warp = warpFrom([{ from: 0, to: 0 }, { from: 100, to: 50 }, { from: 300, to: 250 }]);
    expect(warp(50)).toBe(25);
    expect(warp(200)).toBe(150);
    expect(warp(400)).toBe(350);
    expect(warp(-10)).toBe(-10);
  });

  it('is the identity without anchors', () => {
    expect(warpFrom([])(123)).toBe(123);
  });
});
