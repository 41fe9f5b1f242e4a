import { formatBytes } from '../../internal/units.js';
import type { Environment, Stats } from '../../report/report-model.js';
import { escapeHtml } from './html-escape.js';

/** A cell: its text and, optionally, a class (`num` right-aligns, `worse`/`better`/`pass`/`fail` colour it). */
export interface Cell {
  text: string;
  className?: string;
}

export type Row = (string | Cell)[];

/** A plain HTML table; every text is escaped here, so callers pass raw strings. */
export function table(header: readonly string[], rows: readonly Row[], caption?: string): string {
  const cell = (c: string | Cell, tag: 'td' | 'th'): string => {
    const { text, className } = typeof c === 'string' ? { text: c, className: undefined } : c;
    return `<${tag}${className === undefined ? '' : ` class="${className}"`}>${escapeHtml(text)}</${tag}>`;
  };
  return (
    '<table>' +
    (caption === undefined ? '' : `<caption>${escapeHtml(caption)}</caption>`) +
    `<thead><tr>${header.map((h) => cell(h, 'th')).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody>` +
    '</table>'
  );
}

export const num = (text: string, className?: string): Cell => ({ text, className: className === undefined ? 'num' : `num ${className}` });

export const bytes = (v: number): string => (Number.isFinite(v) ? formatBytes(v) : '–');
export const bytesPerSec = (v: number): string => (Number.isFinite(v) ? `${v > 0 ? '+' : ''}${formatBytes(v)}/s` : '–');
export const seconds = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(3)} s` : '–');
export const millis = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '–');
export const count = (v: number): string => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : '–');
export const rate = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)}/s` : '–');

/** A Stats row: mean, median, standard deviation, min, max, each through `format`. */
export function statsRow(name: string, stats: Stats, format: (v: number) => string): Row {
  return [name, num(format(stats.mean)), num(format(stats.median)), num(format(stats.stddev)), num(format(stats.min)), num(format(stats.max))];
}

export const STATS_HEADER = ['', 'mean', 'median', 'std dev', 'min', 'max'];

export function environmentTable(env: Environment, limits: { heapLimitBytes: number; containerLimitBytes: number | null }): string {
  return table(
    ['', ''],
    [
      ['Node.js / V8', `${env.node} / ${env.v8}`],
      ['Platform', `${env.platform}-${env.arch}`],
      ['CPU', `${env.cpuModel} × ${env.cpuCount}`],
      ['Memory', bytes(env.totalMemoryBytes)],
      ['Heap limit', bytes(limits.heapLimitBytes)],
      ['Container limit', limits.containerLimitBytes === null ? 'none' : bytes(limits.containerLimitBytes)],
    ],
  );
}
