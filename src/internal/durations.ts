/**
 * A duration as people read it in one line: `850 ms`, `42 s`, `2 min 5 s`, `3 h 20 min`, `2 d 4 h`. Rounded to the
 * two largest units; NaN and negative durations are shown as `0 s`.
 */
export function formatDuration(ms: number): string {
  if (!(ms > 0) || !Number.isFinite(ms)) return ms === Number.POSITIVE_INFINITY ? 'forever' : '0 s';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 60) return `${totalSec} s`;
  const totalMin = Math.floor(totalSec / 60);
  if (totalMin < 60) return pair(totalMin, 'min', totalSec % 60, 's');
  const totalHours = Math.floor(totalMin / 60);
  if (totalHours < 48) return pair(totalHours, 'h', totalMin % 60, 'min');
  return pair(Math.floor(totalHours / 24), 'd', totalHours % 24, 'h');
}

function pair(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}
