const MIB = 1024 * 1024;

/**
 * Two decimals as in the original report, but never a misleading "0.00": values below 1 keep three significant
 * digits (0.00412), so a fast run prints its real time. Figures are formatted from unrounded values.
 */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'n/a';
  const abs = Math.abs(value);
  if (abs === 0 || abs >= 0.995) return value.toFixed(2);
  const decimals = Math.min(12, Math.max(2, 2 - Math.floor(Math.log10(abs))));
  return value.toFixed(decimals);
}

/** The report's "MB": mebibytes (2^20 bytes), as the original framework meant them. */
export function mb(bytes: number): string {
  return figure(bytes / MIB);
}

/** Local time as the original printed it: 2023-05-15 14:35:12. */
export function timestamp(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

/** A fixed-width text table: figures right-aligned, the first column (and any in `left`) left-aligned. */
export function textTable(header: string[], rows: string[][], left: readonly number[] = [0]): string[] {
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (left.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
