import { formatDuration } from '../../internal/durations.js';
import { formatBytes } from '../../internal/units.js';
import type { MemoryKind } from '../types.js';
import type { TrendEvidence } from './trend-evidence.js';

/** What a verdict needs to be described (a LeakVerdict, or one read back from a report). */
export interface DescribableVerdict {
  readonly status: 'suspected' | 'no-leak' | 'inconclusive';
  readonly basis: MemoryKind | null;
  readonly slopeBytesPerSec: number;
  readonly evidence: Readonly<Record<MemoryKind, TrendEvidence>>;
  readonly moreMs: number | null;
}

/** How each kind of memory is named to people. */
export const MEMORY_KIND_LABELS: Readonly<Record<MemoryKind, string>> = {
  heap: 'JS heap',
  external: 'external memory (Buffers)',
  array_buffers: 'array buffers',
  rss: 'RSS outside the JS heap',
};

const KINDS: readonly MemoryKind[] = ['heap', 'external', 'array_buffers', 'rss'];
const SLOW_SCALES = new Set(['1h', '6h']);

/**
 * The verdict in one sentence. Every output of memscope — `memscope test` and `run`, the text and HTML reports,
 * the docs' examples — prints this, so the same verdict reads the same everywhere:
 * - `leak suspected in JS heap: +1.02 MiB/s over 2 min 5 s (p=2.1e-05, R²=0.98)`
 * - `leak suspected in JS heap: +18.20 KiB/s over 52 min (1h scale, p=3.0e-09, R²=0.97)`
 * - `no leak: no baseline grows (JS heap +3.10 KiB/s over 9 min 40 s)`
 * - `inconclusive: warming up (about 40 s more)`
 * - `inconclusive: JS heap has 3 of 6 baseline points over 25 s (about 45 s more)`
 */
export function describeLeakVerdict(v: DescribableVerdict, per: 'second' | 'run' = 'second'): string {
  // Per run, the detector's clock ran one second per run (see memscope/testing's measureGrowth).
  const rate = per === 'run' ? perRun : perSecond;
  const over = (ms: number): string => (per === 'run' ? `${Math.round(ms / 1000) + 1} runs` : formatDuration(ms));
  if (v.status === 'suspected' && v.basis !== null) {
    const e = v.evidence[v.basis];
    // The minutes scale is the default one; a slow scale is worth naming (`1h scale`), a test's runs are not a scale.
    const scale = per === 'second' && SLOW_SCALES.has(e.scale) ? `${e.scale} scale, ` : '';
    return `leak suspected in ${MEMORY_KIND_LABELS[v.basis]}: ${rate(e.slopeBytesPerSec)} over ${over(e.spanMs)} (${scale}p=${formatPValue(e.pValue)}, R²=${e.rSquared.toFixed(2)})`;
  }
  if (v.status === 'no-leak') {
    const heap = v.evidence.heap;
    return `no leak: no baseline grows (${MEMORY_KIND_LABELS.heap} ${rate(heap.slopeBytesPerSec)} over ${over(heap.spanMs)})`;
  }
  if (per === 'run') {
    const runs = KINDS.map((k) => v.evidence[k].points).reduce((a, b) => Math.max(a, b), 0);
    const more = v.moreMs === null ? '' : ` (about ${Math.max(1, Math.round(v.moreMs / 1000))} more needed)`;
    return `inconclusive: ${runs} run${runs === 1 ? '' : 's'} judged${more}`;
  }
  const more = v.moreMs === null ? '' : ` (about ${formatDuration(Math.max(v.moreMs, 1000))} more)`;
  // A kind left out of the judgement has no point at all and is not what the verdict waits for.
  const lacking = KINDS.map((k) => [k, v.evidence[k]] as const).find(([, e]) => (e.status === 'insufficient-data' && e.points > 0) || e.status === 'warming-up')
    ?? KINDS.map((k) => [k, v.evidence[k]] as const).find(([, e]) => e.status === 'insufficient-data');
  if (lacking === undefined || lacking[1].status === 'warming-up') return `inconclusive: warming up${more}`;
  const [kind, e] = lacking;
  const points = e.points === 1 ? '1 baseline point' : `${e.points} baseline points`;
  return `inconclusive: ${MEMORY_KIND_LABELS[kind]} has ${points}${e.points > 1 ? ` over ${formatDuration(e.spanMs)}` : ''}${more}`;
}

/** A p-value as the verdict prints it: two significant digits, `2.1e-5` below 0.001. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  return p !== 0 && p < 1e-3 ? p.toExponential(1) : p.toPrecision(2);
}

/** `+1.02 MiB/s`, `-3 B/s`. */
function perSecond(bytesPerSec: number): string {
  return `${bytesPerSec >= 0 ? '+' : ''}${formatBytes(bytesPerSec)}/s`;
}

/** `+1.02 KiB per run`. */
function perRun(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${formatBytes(bytes)} per run`;
}
