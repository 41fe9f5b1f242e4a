import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The font the charts are rendered with, found from the repository rather than through the code under test. */
const FONT_FILE = fileURLToPath(new URL('../../../assets/fonts/DejaVuSans.ttf', import.meta.url));

/** Advance widths of the bundled font, read the way a renderer reads them: cmap (3,1) format 4, then hmtx. */
export function fontAdvances(): { unitsPerEm: number; advance: (codePoint: number) => number | undefined } {
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


const font = fontAdvances();

/** Width in pixels of `text` at `size` as the bundled font draws it (a glyph it lacks counted as one em). */
export function fontTextWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += font.advance(ch.codePointAt(0) as number) ?? font.unitsPerEm;
  return (units / font.unitsPerEm) * size;
}
