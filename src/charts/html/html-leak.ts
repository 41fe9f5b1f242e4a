import { formatDuration } from '../../internal/durations.js';
import { formatBytes } from '../../internal/units.js';
import { describeLeakVerdict, formatPValue, MEMORY_KIND_LABELS } from '../../sdk/leak/describe-verdict.js';
import { leakConfidence, type LeakStatus, type LeakVerdict, type TrendEvidence } from '../../sdk/leak/leak-detector.js';
import { MEMORY_KINDS, type MemoryKind } from '../../sdk/types.js';
import { escapeHtml } from './html-escape.js';
import { bytesPerSec, count, num, table } from './html-tables.js';

type Baselines = Partial<Record<MemoryKind, ReadonlyArray<{ time: number; value: number }>>>;

/** A verdict as a report file holds it: reports written before verdicts had a status lack the newer fields. */
type StoredVerdict = Omit<LeakVerdict, 'status' | 'summary' | 'moreMs' | 'evidence'> & {
  status?: LeakStatus;
  summary?: string;
  moreMs?: number | null;
  evidence: Partial<Record<MemoryKind, Partial<TrendEvidence>>>;
};

/**
 * The status of a verdict, also for reports written before verdicts carried one: a suspected leak is one; otherwise
 * only evidence with enough data on every kind is "no leak" — anything less is inconclusive, never "no leak".
 */
export function verdictStatus(verdict: StoredVerdict): LeakStatus {
  if (verdict.status !== undefined) return verdict.status;
  if (verdict.suspected) return 'suspected';
  return MEMORY_KINDS.every((k) => verdict.evidence[k]?.status === 'no-growth') ? 'no-leak' : 'inconclusive';
}

/** The verdict's sentence: the one it carries, or the same words rebuilt for an older report. */
export function verdictSentence(verdict: StoredVerdict): string {
  if (typeof verdict.summary === 'string') return verdict.summary;
  return describeLeakVerdict({ ...verdict, status: verdictStatus(verdict), moreMs: verdict.moreMs ?? null, evidence: withDefaults(verdict.evidence) });
}

const STATUS_CLASS: Record<LeakStatus, string> = { suspected: 'fail', 'no-leak': 'pass', inconclusive: 'muted' };

/** The leak verdict in one sentence, the baselines it judged, then the evidence per kind of memory that backs it. */
export function leakSection(verdict: StoredVerdict | undefined, heading = 'Leak verdict', baselines?: Baselines): string {
  if (verdict === undefined) return `<h3>${escapeHtml(heading)}</h3><p class="muted">No leak check in this report.</p>`;
  const status = verdictStatus(verdict);
  const sentence = `<p class="verdict ${STATUS_CLASS[status]}">${escapeHtml(capitalise(verdictSentence(verdict)))}</p>`;
  const evidence = withDefaults(verdict.evidence);
  const rows = MEMORY_KINDS.flatMap((kind) => {
    const e = evidence[kind];
    // A kind the check left out (memory tests judge the heap and external memory) has no row.
    if (e.points === 0 && e.status === 'insufficient-data' && (baselines?.[kind]?.length ?? 0) === 0) return [];
    return [[
      { text: MEMORY_KIND_LABELS[kind], className: kind === verdict.basis ? 'basis' : undefined },
      { text: e.status, className: e.status === 'suspected' ? 'fail' : undefined },
      e.scale,
      num(count(e.points)),
      num(formatDuration(e.spanMs)),
      num(bytesPerSec(e.slopeBytesPerSec)),
      num(bytesPerSec(e.recentSlopeBytesPerSec)),
      num(formatPValue(e.pValue)),
      num(e.rSquared.toFixed(3)),
      num(`${Math.round(leakConfidence(e.pValue, e.rSquared) * 100)}%`),
    ]];
  });
  const kind: MemoryKind = verdict.basis ?? 'heap';
  const plot = baselinePlot(baselines?.[kind] ?? [], evidence[kind], kind);
  return (
    `<h3>${escapeHtml(heading)}</h3>${sentence}${plot}` +
    table(['memory', 'status', 'scale', 'points', 'span', 'slope', 'recent slope', 'p-value (Mann–Kendall)', 'R² (Theil–Sen)', 'confidence'], rows, 'Post-GC baselines over the analysed window')
  );
}

const W = 640;
const H = 200;
const PAD = { left: 70, right: 12, top: 12, bottom: 28 };

/**
 * The baseline points the verdict judged, as an inline SVG (no script, so the page's CSP holds): every point, the
 * analysed window shaded, and the Theil–Sen line over it, drawn through the window's median point.
 */
function baselinePlot(points: ReadonlyArray<{ time: number; value: number }>, e: TrendEvidence, kind: MemoryKind): string {
  const finite = points.filter((p) => Number.isFinite(p.time) && Number.isFinite(p.value));
  if (finite.length < 2) return '';
  const t0 = Math.min(...finite.map((p) => p.time));
  const t1 = Math.max(...finite.map((p) => p.time));
  let lo = Math.min(...finite.map((p) => p.value));
  let hi = Math.max(...finite.map((p) => p.value));
  if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
  const x = (t: number): number => PAD.left + ((t - t0) / Math.max(t1 - t0, 1)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - ((v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const inWindow = finite.filter((p) => p.time >= e.fromTime && p.time <= e.toTime);
  const parts: string[] = [];
  if (e.points >= 2 && e.toTime > e.fromTime) {
    parts.push(`<rect x="${x(e.fromTime).toFixed(1)}" y="${PAD.top}" width="${(x(e.toTime) - x(e.fromTime)).toFixed(1)}" height="${H - PAD.top - PAD.bottom}" fill="#8884" />`);
    const mid = inWindow.length > 0 ? median(inWindow.map((p) => p.value - (e.slopeBytesPerSec * (p.time - e.fromTime)) / 1000)) : Number.NaN;
    if (Number.isFinite(mid)) {
      const at = (t: number): number => y(clamp(mid + (e.slopeBytesPerSec * (t - e.fromTime)) / 1000, lo, hi));
      const colour = e.status === 'suspected' ? '#d62728' : '#2ca02c';
      parts.push(`<line x1="${x(e.fromTime).toFixed(1)}" y1="${at(e.fromTime).toFixed(1)}" x2="${x(e.toTime).toFixed(1)}" y2="${at(e.toTime).toFixed(1)}" stroke="${colour}" stroke-width="2" />`);
    }
  }
  for (const p of finite) parts.push(`<circle cx="${x(p.time).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5" fill="#1f77b4" />`);
  const label = (text: string, tx: number, ty: number, anchor: string): string => `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" font-size="11" text-anchor="${anchor}" fill="currentColor">${escapeHtml(text)}</text>`;
  parts.push(label(formatBytes(hi), PAD.left - 6, PAD.top + 10, 'end'), label(formatBytes(lo), PAD.left - 6, H - PAD.bottom, 'end'));
  parts.push(label('0 s', PAD.left, H - 8, 'start'), label(formatDuration(t1 - t0), W - PAD.right, H - 8, 'end'));
  const title = `${MEMORY_KIND_LABELS[kind]} after GC (leak baseline): ${finite.length} points; shaded: the ${e.scale || 'analysed'} window judged`;
  return `<figure class="leak-baseline"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">${parts.join('')}</svg><figcaption>${escapeHtml(title)}</figcaption></figure>`;
}

/** Evidence from older reports lacks the fields added since; fill them so every reader sees the same shape. */
function withDefaults(evidence: StoredVerdict['evidence']): Record<MemoryKind, TrendEvidence> {
  const out = {} as Record<MemoryKind, TrendEvidence>;
  for (const kind of MEMORY_KINDS) {
    const e = evidence[kind] ?? {};
    out[kind] = {
      status: e.status ?? 'insufficient-data',
      scale: e.scale ?? '',
      points: e.points ?? 0,
      spanMs: e.spanMs ?? 0,
      fromTime: e.fromTime ?? 0,
      toTime: e.toTime ?? 0,
      slopeBytesPerSec: e.slopeBytesPerSec ?? 0,
      recentSlopeBytesPerSec: e.recentSlopeBytesPerSec ?? 0,
      pValue: e.pValue ?? 1,
      rSquared: e.rSquared ?? 0,
      noiseBytes: e.noiseBytes ?? 0,
      rising: e.rising ?? false,
    };
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >>> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
