import { readFileSync } from 'node:fs';
import { FONT_FILE } from '../assets.js';

/** Advance widths in font units, by code point, of the glyphs the bundled font has; undefined for those it lacks. */
export type AdvanceLookup = (codePoint: number) => number | undefined;

// Read once per process and never changed: the font file is part of the package, not state.
let lookup: AdvanceLookup | null | undefined;

/**
 * The bundled font's advance widths beyond ASCII, read from the font file itself on first use (the cmap's Unicode
 * subtable, format 4, and hmtx): exact for every glyph it has, so a fitted label in Greek or Cyrillic neither
 * overflows nor is cut early. Null when the file cannot be read or parsed; callers then assume a wide glyph.
 */
export function fontAdvances(): AdvanceLookup | null {
  if (lookup === undefined) lookup = parse(FONT_FILE);
  return lookup;
}

function parse(file: string): AdvanceLookup | null {
  try {
    const f = readFileSync(file);
    const tables = new Map<string, number>();
    for (let i = 0; i < f.readUInt16BE(4); i++) tables.set(f.toString('latin1', 12 + i * 16, 16 + i * 16), f.readUInt32BE(20 + i * 16));
    const hhea = tables.get('hhea');
    const hmtx = tables.get('hmtx');
    const cmap = tables.get('cmap');
    if (hhea === undefined || hmtx === undefined || cmap === undefined) return null;
    const numHMetrics = f.readUInt16BE(hhea + 34);
    let sub = -1;
    for (let i = 0; i < f.readUInt16BE(cmap + 2); i++) {
      if (f.readUInt16BE(cmap + 4 + i * 8) === 3 && f.readUInt16BE(cmap + 6 + i * 8) === 1) sub = cmap + f.readUInt32BE(cmap + 8 + i * 8);
    }
    if (sub < 0 || f.readUInt16BE(sub) !== 4) return null;
    const segments = f.readUInt16BE(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const offsets = deltas + segments * 2;
    const glyph = (c: number): number => {
      // Segments are sorted by their end: binary search for the first that ends at or after c.
      let lo = 0;
      let hi = segments - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (f.readUInt16BE(ends + mid * 2) < c) lo = mid + 1;
        else hi = mid;
      }
      const start = f.readUInt16BE(starts + lo * 2);
      if (c < start || c > f.readUInt16BE(ends + lo * 2)) return 0;
      const delta = f.readInt16BE(deltas + lo * 2);
      const offset = f.readUInt16BE(offsets + lo * 2);
      if (offset === 0) return (c + delta) & 0xffff;
      const g = f.readUInt16BE(offsets + lo * 2 + offset + (c - start) * 2);
      return g === 0 ? 0 : (g + delta) & 0xffff;
    };
    const cache = new Map<number, number | undefined>();
    return (c) => {
      if (c > 0xffff) return undefined;
      if (!cache.has(c)) {
        const g = glyph(c);
        cache.set(c, g === 0 ? undefined : f.readUInt16BE(hmtx + Math.min(g, numHMetrics - 1) * 4));
      }
      return cache.get(c);
    };
  } catch {
    return null;
  }
}
