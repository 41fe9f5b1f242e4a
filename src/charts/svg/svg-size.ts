/** CSS pixels per unit, as resvg converts them (96 per inch). */
const UNIT_PX: Readonly<Record<string, number>> = { '': 1, px: 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, pt: 96 / 72, pc: 16 };

/**
 * The size an SVG declares on its root element (`width` and `height`, else its `viewBox`), in CSS pixels, or
 * undefined when it declares none this can read (percentages, em): resvg then has the last word.
 */
export function svgSize(svg: string): { width: number; height: number } | undefined {
  const root = /<svg\b[^>]*>/.exec(svg.slice(0, 4096))?.[0];
  if (root === undefined) return undefined;
  const attr = (name: string): string | undefined => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`).exec(root)?.[1];
  const length = (value: string | undefined): number | undefined => {
    const m = /^\s*([\d.]+(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(value ?? '');
    const unit = UNIT_PX[(m?.[2] ?? '').toLowerCase()];
    const n = Number(m?.[1]);
    return m === null || unit === undefined || !Number.isFinite(n) ? undefined : n * unit;
  };
  const box = attr('viewBox')?.trim().split(/[\s,]+/).map(Number);
  const width = length(attr('width')) ?? (box?.length === 4 ? box[2] : undefined);
  const height = length(attr('height')) ?? (box?.length === 4 ? box[3] : undefined);
  return width !== undefined && height !== undefined && Number.isFinite(width) && Number.isFinite(height) ? { width, height } : undefined;
}
