import { formatBytes } from '../../internal/units.js';
import type { HeapDiff, HeapDiffGroup } from '../diff/heap-diff.js';
import { foldPath, locationLabel, nodeLabel } from './path-steps.js';

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const signed = (n: number): string => `${n > 0 ? '+' : ''}${count(n)}`;

/** The diff as text for a terminal: the groups table, then the retainer path of each top group. */
export function diffText(diff: HeapDiff): string[] {
  const lines = [
    `before: ${diff.before.label}  (${count(diff.before.nodes)} objects, ${formatBytes(diff.before.bytes)})`,
    `after:  ${diff.after.label}  (${count(diff.after.nodes)} objects, ${formatBytes(diff.after.bytes)})`,
    `new and still alive: ${count(diff.newObjects.count)} objects, ${formatBytes(diff.newObjects.retainedBytes)} retained ` +
      `(${formatBytes(diff.newObjects.selfBytes)} own size); ${count(diff.survivors)} objects of the first snapshot survive`,
    ...diff.warnings.map((w) => `warning: ${w}`),
    '',
    ...table(diff.groups),
    '',
    'Ranked by retained-size growth: what the new objects of each constructor keep alive, each byte counted once, for the ' +
      "outermost new object holding it (a leaked record's strings count for the record); V8's own structures (marked *) " +
      'count their own size only.',
  ];
  const withPaths = diff.groups.filter((g) => g.path !== null);
  if (withPaths.length > 0) lines.push('', 'Shortest retainer paths from the GC roots (to the new object nearest to a root):');
  for (const [i, group] of withPaths.entries()) lines.push('', ...pathLines(i + 1, group));
  return lines;
}

function table(groups: HeapDiffGroup[]): string[] {
  const header = ['#', 'Constructor', 'Retained growth', 'New objects', 'Count before → after', 'New own size', 'Held by'];
  const rows = groups.map((g, i) => [
    String(i + 1),
    `${g.name}${g.internal ? ' *' : ''}`,
    formatBytes(g.growthBytes),
    count(g.newCount),
    `${count(g.countBefore)} → ${count(g.countAfter)} (${signed(g.countAfter - g.countBefore)})`,
    formatBytes(g.newSelfBytes),
    g.heldBy.map((h) => `${h.holder} ×${count(h.count)}`).join(', '),
  ]);
  const right = [true, false, true, true, true, true, false];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (right[c] === true ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function pathLines(rank: number, g: HeapDiffGroup): string[] {
  const where = g.sample.location === null ? '' : ` defined at ${locationLabel(g.sample.location)}`;
  const out = [`${rank}. ${g.name}: @${g.sample.id}${where}, ${formatBytes(g.sample.retainedBytes)} retained, ${g.sample.distance} steps from the roots`];
  const steps = foldPath(g.path ?? []);
  if (steps.length === 0) return [...out, '   (no path: reachable only from V8 internals)'];
  if ((g.path ?? []).length < g.sample.distance) out.push('   ...');
  for (const step of steps) {
    const repeat = step.repeat > 1 ? `  (×${step.repeat})` : '';
    const location = step.location === undefined ? '' : `  at ${locationLabel(step.location)}`;
    out.push(`   --${step.edge} (${step.edgeKind})--> ${nodeLabel(step)} @${step.id}${repeat}${location}`);
  }
  return out;
}
