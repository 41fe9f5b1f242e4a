import { describe, expect, it } from 'vitest';
import { MIN_PHASE_PX, phasePieces } from '../../../src/charts/draw/phase-pieces.js';
import { linearScale } from '../../../src/charts/scale/linear-scale.js';

// 1 ms = 1 px.
const x = linearScale([0, 1000], [0, 1000]);
const phase = (name: string, start: number, end: number) => ({ name, start, end, depth: 0 });

describe('phasePieces', () => {
  it('draws phases at least a few pixels wide one by one', () => {
    const pieces = phasePieces([phase('a', 0, 100), phase('b', 100, 100 + MIN_PHASE_PX)], x, 0, 1000);
    expect(pieces.map((p) => [p.kind, p.name, p.x0, p.x1])).toEqual([['phase', 'a', 0, 100], ['phase', 'b', 100, 106]]);
  });

  it('groups consecutive short phases, in their colour when they are one phase, grey when mixed', () => {
    const same = Array.from({ length: 10 }, (_, i) => phase('job', 200 + i * 3, 202 + i * 3));
    const mixed = Array.from({ length: 10 }, (_, i) => phase(i % 2 === 0 ? 'parse' : 'store', 500 + i * 2, 502 + i * 2));
    const pieces = phasePieces([phase('load', 0, 100), ...same, ...mixed], x, 0, 1000);
    expect(pieces.map((p) => [p.kind, p.name, p.kind === 'group' ? p.count : 1])).toEqual([['phase', 'load', 1], ['group', 'job', 10], ['group', null, 10]]);
  });

  it('draws no more pieces than the lane has pixels, however many phases there are', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => phase(`p${i % 7}`, i / 100, i / 100 + 0.005));
    const pieces = phasePieces(many, x, 0, 1000);
    expect(pieces.length).toBeLessThanOrEqual(1000 / MIN_PHASE_PX);
    expect(pieces.reduce((n, p) => n + (p.kind === 'group' ? p.count : 1), 0)).toBe(100_000);
  });
});
