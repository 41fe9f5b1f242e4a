import { escapeHtml } from '../../charts/html/html-escape.js';
import { PAGE_STYLE } from '../../charts/html/page-style.js';
import { formatBytes } from '../../internal/units.js';
import { MEMSCOPE_VERSION } from '../../version.js';
import type { HeapDiff, HeapDiffGroup } from '../diff/heap-diff.js';
import { foldPath, locationLabel, nodeLabel } from './path-steps.js';

const HEAP_STYLE = `
ol.path { list-style: none; padding-left: 0; margin: 6px 0 16px; font: 13px/1.6 ui-monospace, "DejaVu Sans Mono", monospace; }
ol.path li { padding-left: 1.2em; }
ol.path .edge { color: var(--muted); }
ol.path .edge b { color: var(--changed); font-weight: 600; }
ol.path .node { font-weight: 600; }
ol.path .leaf .node { color: var(--worse); }
.id, .where { color: var(--muted); font-weight: 400; }
.internal { color: var(--muted); }
td.held { font-size: 12px; }
.warning { color: var(--worse); }
`;

const h = escapeHtml;
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A self-contained page (no scripts, no external resources): summary, the groups table, the retainer paths. */
export function diffHtml(diff: HeapDiff, title = 'Heap diff'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="memscope ${h(MEMSCOPE_VERSION)}">
<title>${h(title)}</title>
<style>${PAGE_STYLE}${HEAP_STYLE}</style>
</head>
<body>
<header>
<h1>${h(title)}</h1>
${pairLine(diff)}
</header>
${diffBody(diff, 2)}
</body>
</html>
`;
}

/**
 * The diff as a section of another page (the HTML reports of `run`, `test` and `stress`): its own style, the pair,
 * then the same summary, table and paths as the heap-diff page, with headings one level down.
 */
export function diffSectionHtml(diff: HeapDiff, heading: string): string {
  return `<section class="heap-diff">
<style>${HEAP_STYLE}</style>
<h2>${h(heading)}</h2>
${pairLine(diff)}
${diffBody(diff, 3)}
</section>`;
}

function pairLine(diff: HeapDiff): string {
  return `<p class="muted">before: <code>${h(diff.before.label)}</code> (${count(diff.before.nodes)} objects, ${h(formatBytes(diff.before.bytes))}) →
after: <code>${h(diff.after.label)}</code> (${count(diff.after.nodes)} objects, ${h(formatBytes(diff.after.bytes))})</p>`;
}

function diffBody(diff: HeapDiff, level: 2 | 3): string {
  const groups = diff.groups.map((g, i) => row(g, i + 1)).join('\n');
  const paths = diff.groups.filter((g) => g.path !== null).map((g, i) => pathSection(g, i + 1, level + 1)).join('\n');
  return `<p class="verdict">Allocated between the snapshots and still alive: <b>${count(diff.newObjects.count)} objects</b>, retaining
<b>${h(formatBytes(diff.newObjects.retainedBytes))}</b> (${h(formatBytes(diff.newObjects.selfBytes))} of their own).</p>
${diff.warnings.map((w) => `<p class="warning">${h(w)}</p>`).join('\n')}
<h${level}>What grew</h${level}>
<table>
<caption>Ranked by retained-size growth: what the new objects of each constructor keep alive, each byte counted once, for
the outermost new object holding it (a leaked record's strings count for the record). V8's own structures (grey) count
their own size only.</caption>
<thead><tr><th>#</th><th>Constructor</th><th>Retained growth</th><th>New objects</th><th>Count before → after</th><th>New own size</th><th>Held by</th></tr></thead>
<tbody>
${groups}
</tbody>
</table>
<h${level}>Who holds it</h${level}>
<p class="muted">The shortest retainer path from the GC roots to the new object of each group nearest to a root; <code>@id</code> finds the object in Chrome DevTools' Memory panel.</p>
${paths}`;
}

function row(g: HeapDiffGroup, rank: number): string {
  const delta = g.countAfter - g.countBefore;
  const where = g.sample.location === null ? '' : `<br><span class="where">${h(locationLabel(g.sample.location))}</span>`;
  return `<tr${g.internal ? ' class="internal"' : ''}><td class="num">${rank}</td><td>${h(g.name)}${where}</td>` +
    `<td class="num${rank === 1 && !g.internal ? ' worse' : ''}">${h(formatBytes(g.growthBytes))}</td><td class="num">${count(g.newCount)}</td>` +
    `<td class="num">${count(g.countBefore)} → ${count(g.countAfter)} (${delta > 0 ? '+' : ''}${count(delta)})</td>` +
    `<td class="num">${h(formatBytes(g.newSelfBytes))}</td>` +
    `<td class="held">${g.heldBy.map((x) => `<code>${h(x.holder)}</code> ×${count(x.count)}`).join('<br>')}</td></tr>`;
}

function pathSection(g: HeapDiffGroup, rank: number, level: number): string {
  const steps = foldPath(g.path ?? []);
  const items = steps.map((step, i) => {
    const edge = i === 0 && step.edgeKind === 'element' ? '' : `<span class="edge">--<b>${h(step.edge)}</b> (${h(step.edgeKind)})--&gt;</span> `;
    const repeat = step.repeat > 1 ? ` <span class="where">×${step.repeat}</span>` : '';
    const where = step.location === undefined ? '' : ` <span class="where">at ${h(locationLabel(step.location))}</span>`;
    return `<li${i === steps.length - 1 ? ' class="leaf"' : ''}>${edge}<span class="node">${h(nodeLabel(step))}</span> <span class="id">@${step.id}</span>${repeat}${where}</li>`;
  });
  const truncated = (g.path ?? []).length < g.sample.distance ? '<li class="muted">…</li>' : '';
  return `<h${level}>${rank}. ${h(g.name)} <span class="id">@${g.sample.id}, ${h(formatBytes(g.sample.retainedBytes))} retained</span></h${level}>
<ol class="path">${truncated}${items.join('') || '<li class="muted">no path: reachable only from V8 internals</li>'}</ol>`;
}
