import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/report/report-model.js';
import { runHeapDiff } from '../../src/run/run-heap-diff.js';
import { CLI, runNode } from '../helpers/child.js';

// `memscope run --heap-snapshots` on real processes: the preload captures a pair when the leak verdict turns, the run
// diffs it at the end, and the JSON and HTML reports name the leaking constructor and the variable holding it.

const root = mkdtempSync(join(tmpdir(), 'memscope-run-heap-diff-'));
afterAll(() => { rmSync(root, { recursive: true, force: true }); });

/** ~3 MiB/s of PendingOrder objects kept in the module variable `ordersById` (`leak`), or none (`steady`). */
const PROGRAM = `
class PendingOrder {
  constructor(id) { this.id = id; this.note = \`order \${id} \`.repeat(16); }
}
const ordersById = new Map();
const [mode = 'steady', seconds = '8'] = process.argv.slice(2);
let next = 0;
let sink;
const tick = setInterval(() => {
  if (mode === 'leak') for (let i = 0; i < 1600; i++) { ordersById.set(next, new PendingOrder(next)); next++; }
  for (let i = 0; i < 20000; i++) sink = { i, s: \`SITE1.AHU-\${i % 40}.SA-T\` };
}, 100);
// A full GC every 250 ms: the post-GC points a service's verdict gets over minutes, in seconds.
const gc = setInterval(() => globalThis.gc(), 250);
setTimeout(() => { clearInterval(tick); clearInterval(gc); void sink; }, Number(seconds) * 1000);
`;
const program = join(root, 'orders.mjs');
writeFileSync(program, PROGRAM);

/** Leak options that reach a verdict in a few seconds (see test/integration/run.test.ts). */
const FAST_LEAK = JSON.stringify({ ignoreFirstMs: 500, warmUpMs: 1000, minSpanMs: 2000, bucketMs: 250, minGrowthBytes: 1_048_576 });
/** The second snapshot of the pair 4 MiB of growth after the first, checked every 250 ms. */
const FAST_PAIR = (directory: string): string => JSON.stringify({ directory, pairGrowth: '4 MiB', pairMaxDelayMs: 5000, checkIntervalMs: 250 });

async function memscopeRun(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ out: string; report: RunReport; stderr: string }> {
  const out = join(root, name);
  const { code, stderr } = await runNode([CLI, 'run', '--out', out, ...args], { env: { MEMSCOPE_LEAK: FAST_LEAK, MEMSCOPE_SAMPLE_INTERVAL_MS: '50', ...env } }).done;
  expect(code, stderr).toBe(0);
  const file = readdirSync(out).find((f) => f.endsWith('.json') && !f.includes('-pid'));
  return { out, report: JSON.parse(readFileSync(join(out, file ?? ''), 'utf8')) as RunReport, stderr };
}

describe('memscope run --heap-snapshots', () => {
  it('diffs the pair the leak verdict took into the JSON and HTML reports: the leaking constructor and its holder', { timeout: 120_000 }, async () => {
    const snapshots = join(root, 'leak-snapshots');
    const { out, report, stderr } = await memscopeRun('leak', ['--heap-snapshots', snapshots, '--html', '--', process.execPath, '--expose-gc', program, 'leak', '8'], {
      MEMSCOPE_HEAP_SNAPSHOTS: FAST_PAIR('ignored: the flag names the directory'),
    });
    const section = report.heapDiff;
    expect(section?.status, section?.note).toBe('diffed');
    expect(section?.before).toContain(`${snapshots}/memscope-`);
    expect(section?.after).toMatch(/-leak_verdict\.heapsnapshot$/);
    expect(section?.note).toContain(`pid ${report.verdictProcess?.pid ?? '?'} (leak_verdict)`);
    expect(section?.diffMs).toBeGreaterThan(0);
    const top = section?.diff?.groups.find((g) => !g.internal);
    expect(top?.name).toBe('PendingOrder');
    expect(top?.newCount).toBeGreaterThan(1000);
    // The retainer path reaches the object through the module variable that holds it.
    expect(top?.path?.map((s) => s.edge)).toContain('ordersById');
    // Bounded: the top 10 (and the 5 with most new objects), at most 3 paths.
    expect(section?.diff?.groups.length).toBeLessThanOrEqual(15);
    expect(section?.diff?.groups.filter((g) => g.path !== null).length).toBeLessThanOrEqual(3);
    expect(stderr).toMatch(/memscope run: heap diff: top growing constructor PendingOrder \(\+[\d,]+ objects/);

    const html = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.html')) ?? ''), 'utf8');
    const part = html.slice(html.indexOf('<section class="heap-diff">'));
    expect(part).toMatch(/<h2>Heap diff: pid \d+<\/h2>/);
    expect(part).toContain('<td>PendingOrder');
    expect(part).toContain('--<b>ordersById</b> (variable)--&gt;');
    expect(part).toContain(section?.after ?? '?');
  });

  it('says in one line that no anomaly took a pair when capture is on and nothing leaks', { timeout: 120_000 }, async () => {
    const { report, stderr } = await memscopeRun('steady', ['--heap-snapshots', '--', process.execPath, '--expose-gc', program, 'steady', '3'], {});
    expect(report.heapDiff).toMatchObject({ status: 'none', diff: null, before: null });
    expect(report.heapDiff?.note).toMatch(/^no heap diff: pid \d+ captured no snapshot pair — no anomaly started one .*0 snapshot\(s\) taken/);
    expect(stderr).toContain(`memscope run: ${report.heapDiff?.note ?? '?'}`);
  });
});

describe('runHeapDiff', () => {
  it('says capture was off, and how to turn it on, without --heap-snapshots', async () => {
    const section = await runHeapDiff(undefined, false);
    expect(section).toMatchObject({ status: 'none', diff: null });
    expect(section.note).toContain('heap snapshots were off (memscope run --heap-snapshots, or MEMSCOPE_HEAP_SNAPSHOTS');
  });
});
