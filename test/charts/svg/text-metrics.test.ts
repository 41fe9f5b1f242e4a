import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FONT_FILE } from '../../../src/charts/assets.js';
import { ELLIPSIS, fitText, textWidth, wrapText } from '../../../src/charts/svg/text-metrics.js';

/** Advance widths of the bundled font, read the way a renderer reads them: cmap (3,1) format 4, then hmtx. */
function fontAdvances(): { unitsPerEm: number; advance: (codePoint: number) => number | undefined } {
  const f = readFileSync(FONT_FILE);
  const tables = new Map<string, number>();
  for (let i = 0; i < f.readUInt16BE(4); i++) tables.set(f.toString('latin1', 12 + i * 16, 16 + i * 16), f.readUInt32BE(20 + i * 16));
  const table = (name: string): number => tables.get(name) ?? Number.NaN;
  const numHMetrics = f.readUInt16BE(table('hhea') + 34);
  const cmap = table('cmap');
  let sub = -1;
  for (let i = 0; i < f.readUInt16BE(cmap + 2); i++) {
    if (f.readUInt16BE(cmap + 4 + i * 8) === 3 && f.readUInt16BE(cmap + 6 + i * 8) === 1) sub = cmap + f.readUInt32BE(cmap + 8 + i * 8);
  }
  const segX2 = f.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const ranges = deltas + segX2;
  const glyph = (c: number): number => {
    for (let i = 0; i < segX2 / 2; i++) {
      if (c > f.readUInt16BE(ends + i * 2)) continue;
      const start = f.readUInt16BE(starts + i * 2);
      if (c < start) return 0;
      const delta = f.readInt16BE(deltas + i * 2);
      const offset = f.readUInt16BE(ranges + i * 2);
      if (offset === 0) return (c + delta) & 0xffff;
      const g = f.readUInt16BE(ranges + i * 2 + offset + (c - start) * 2);
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  return {
    unitsPerEm: f.readUInt16BE(table('head') + 18),
    advance: (c) => {
      const g = glyph(c);
      return g === 0 ? undefined : f.readUInt16BE(table('hmtx') + Math.min(g, numHMetrics - 1) * 4);
    },
  };
}

describe('textWidth', () => {
  const font = fontAdvances();

  it('measures every printable ASCII character as the bundled font advances it', () => {
    for (let c = 0x20; c <= 0x7e; c++) {
      expect(textWidth(String.fromCharCode(c), font.unitsPerEm), String.fromCharCode(c)).toBe(font.advance(c));
    }
  });

  it('measures the characters the font has in Latin, Greek and Cyrillic as it advances them, and counts others as wide', () => {
    for (const [from, to] of [[0xa0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff], [0x2013, 0x2026], [0x2190, 0x2193], [0x2212, 0x2212]] as const) {
      for (let c = from; c <= to; c++) {
        const advance = font.advance(c);
        if (advance !== undefined) expect(textWidth(String.fromCodePoint(c), font.unitsPerEm), c.toString(16)).toBe(advance);
      }
    }
    expect(font.advance(0x4e2d)).toBeUndefined(); // 中: not in the font, drawn as nothing, counted as one em
    expect(textWidth('中', 10)).toBe(10);
  });
});

describe('fitText', () => {
  it('keeps text that fits and ellipsizes what does not, at the end or in the middle', () => {
    expect(fitText('heap used', 200, 12)).toBe('heap used');
    const end = fitText('memory-usage-with-large-dataset', 80, 10);
    expect(end.endsWith(ELLIPSIS) && 'memory-usage-with-large-dataset'.startsWith(end.slice(0, -1))).toBe(true);
    expect(textWidth(end, 10)).toBeLessThanOrEqual(80);
    const middle = fitText('benchmark-20261203-140744', 90, 12, 'middle');
    expect(middle).toMatch(/^bench.*….*0744$/);
    expect(textWidth(middle, 12)).toBeLessThanOrEqual(90);
    expect(fitText('abc', 2, 12)).toBe('');
  });

  it('cuts a million-character title in time proportional to its length', () => {
    const title = 'x'.repeat(1_000_000);
    const fitted = fitText(title, 500, 17);
    expect(textWidth(fitted, 17)).toBeLessThanOrEqual(500);
  });
});

describe('wrapText', () => {
  it('breaks at spaces into at most the lines asked for, each within the width, the last ellipsized', () => {
    const title = 'Memory tests: memory-usage-with-large-dataset, batched-vs-unbatched-generation, repeated-runs-no-leak, memory-returned-after-processing';
    const lines = wrapText(title, 600, 17, 2);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(textWidth(line, 17)).toBeLessThanOrEqual(600);
    expect(lines[0]).toBe('Memory tests: memory-usage-with-large-dataset,');
    expect(lines[1]!.endsWith(ELLIPSIS)).toBe(true);
    expect(wrapText('short', 600, 17, 2)).toEqual(['short']);
  });
});
