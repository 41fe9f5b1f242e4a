import { leakConfidence, type LeakVerdict } from '../../sdk/leak/leak-detector.js';
import { MEMORY_KINDS } from '../../sdk/types.js';
import { escapeHtml } from './html-escape.js';
import { bytesPerSec, count, num, table } from './html-tables.js';

/** The leak verdict in one sentence, then the evidence per kind of memory that backs it. */
export function leakSection(verdict: LeakVerdict | undefined, heading = 'Leak verdict'): string {
  if (verdict === undefined) return `<h3>${escapeHtml(heading)}</h3><p class="muted">No leak verdict in this report.</p>`;
  const sentence = verdict.suspected
    ? `<p class="verdict fail">Leak suspected in ${escapeHtml(verdict.basis ?? 'memory')}: ${escapeHtml(bytesPerSec(verdict.slopeBytesPerSec))}, ` +
      `confidence ${Math.round(verdict.confidence * 100)}%.</p>`
    : `<p class="verdict pass">No leak suspected (largest slope ${escapeHtml(bytesPerSec(verdict.slopeBytesPerSec))}).</p>`;
  const rows = MEMORY_KINDS.flatMap((kind) => {
    const e = verdict.evidence[kind] as (typeof verdict.evidence)[typeof kind] | undefined;
    if (e === undefined) return [];
    const suspected = e.status === 'suspected';
    return [[
      { text: kind, className: kind === verdict.basis ? 'basis' : undefined },
      { text: e.status, className: suspected ? 'fail' : undefined },
      num(count(e.points)),
      num(`${(e.spanMs / 1000).toFixed(0)} s`),
      num(bytesPerSec(e.slopeBytesPerSec)),
      num(bytesPerSec(e.recentSlopeBytesPerSec)),
      num(e.pValue < 1e-4 ? e.pValue.toExponential(1) : e.pValue.toFixed(4)),
      num(e.rSquared.toFixed(3)),
      num(`${Math.round(leakConfidence(e.pValue, e.rSquared) * 100)}%`),
    ]];
  });
  return (
    `<h3>${escapeHtml(heading)}</h3>${sentence}` +
    table(['memory', 'status', 'points', 'span', 'slope', 'recent slope', 'p-value (Mann–Kendall)', 'R² (Theil–Sen)', 'confidence'], rows, 'Post-GC baselines over the analysed window')
  );
}
