import { describe, expect, it } from 'vitest';
import { ELLIPSIS, fitText, textWidth, wrapText } from '../../../src/charts/svg/text-metrics.js';
import { fontAdvances } from '../helpers/font.js';

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

  it('breaks after a comma or a colon rather than leave one word alone on the last line', () => {
    const title = 'Benchmark: bms-onboarding, iteration 2 of 3';
    expect(wrapText(title, textWidth(title, 17) - 5, 17, 2)).toEqual(['Benchmark: bms-onboarding,', 'iteration 2 of 3']);
  });

  it('wraps a million-character title of commas in time proportional to its length', () => {
    const lines = wrapText('a, '.repeat(333_333), 400, 17, 2);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(textWidth(line, 17)).toBeLessThanOrEqual(400);
  });
});
