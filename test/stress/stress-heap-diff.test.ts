import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HeapDiffSection } from '../../src/report/heap-diff-section.js';
import { CLI, runNode } from '../helpers/child.js';

// `memscope stress --heap-snapshots` on the real example service: the service's own pair, taken when its leak verdict
// turns, is diffed into the JSON, text and HTML reports; a service that does not leak takes none and the reports say so.

const dir = mkdtempSync(join(tmpdir(), 'memscope-stress-heap-diff-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** Leak options under which the service's verdict turns within seconds of a 2 MiB/s leak (the defaults need minutes). */
const FAST_LEAK = JSON.stringify({ ignoreFirstMs: 500, warmUpMs: 3000, minSpanMs: 5000, bucketMs: 500, minGrowthBytes: 1_048_576 });

async function stress(name: string, args: string[], env: Record<string, string> = {}): Promise<{ report: { tests: Array<{ heapDiff?: HeapDiffSection }> }; stdout: string; text: string; html: string }> {
  const out = join(dir, name);
  const { stdout, stderr } = await runNode([CLI, 'stress', '--out', out, '--heap-snapshots', ...args], { env }).done;
  const file = (label: string): string => {
    const path = new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(stdout)?.[1];
    if (path === undefined) throw new Error(`no ${label} in the output:\n${stdout}\n${stderr}`);
    return readFileSync(path, 'utf8');
  };
  return { report: JSON.parse(file('JSON report')) as { tests: Array<{ heapDiff?: HeapDiffSection }> }, stdout, text: file('text report'), html: file('HTML report') };
}

describe('memscope stress --heap-snapshots', () => {
  it('diffs the pair the leaking service took into the reports: the injected leak and the property holding it', { timeout: 300_000 }, async () => {
    const { report, stdout, text, html } = await stress('leak', ['--scenario', 'leak-hunt', '--inject-leak', '2MiB/s', '--duration', '40'], { MEMSCOPE_LEAK: FAST_LEAK });
    const section = report.tests[0]?.heapDiff;
    expect(section?.status, section?.note).toBe('diffed');
    expect(section?.after).toMatch(new RegExp(`^${dir}/leak/heap-snapshots/memscope-.*-leak_verdict\\.heapsnapshot$`));
    expect(section?.note).toMatch(/^the newest snapshot pair of pid \d+ \(leak_verdict\)$/);
    expect(section?.diffMs).toBeGreaterThan(0);
    // The fault's leak: small Objects in chunks its `retained` property keeps — named by what holds them.
    const leaked = section?.diff?.groups.find((g) => g.name === 'Object');
    expect(leaked?.heldBy[0]?.holder).toBe('Faults.retained[][]');
    expect(leaked?.newCount).toBeGreaterThan(10_000);
    // Retainer paths for the top 3 of the service's own groups; the one that reaches the fault names its property.
    const paths = section?.diff?.groups.filter((g) => g.path !== null) ?? [];
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.length).toBeLessThanOrEqual(3);
    expect(stdout).toMatch(/^heap diff: top growing constructor \S+ \(\+[\d,]+ objects/m);
    expect(text).toContain('Faults.retained[][]');
    const part = html.slice(html.indexOf('<section class="heap-diff">'));
    expect(part).toMatch(/<h2>Heap diff: the example service/);
    expect(part).toContain('<code>Faults.retained[][]</code>');
  });

  it('says in one line that the service took no pair when it does not leak', { timeout: 120_000 }, async () => {
    // The leak options users run: the shortened ones above can take a service's start-up growth for a leak (they did
    // on Node 24, compiled code growing over the first seconds), which is what their warm-up exists to prevent.
    const { report, stdout, html } = await stress('steady', ['--scenario', 'smoke', '--duration', '5']);
    const section = report.tests[0]?.heapDiff;
    expect(section).toMatchObject({ status: 'none', diff: null, before: null });
    expect(section?.note).toMatch(/^no heap diff: pid \d+ captured no snapshot pair — no anomaly started one .*0 snapshot\(s\) taken$/);
    expect(stdout).toContain(section?.note ?? '?');
    expect(html).toContain(`<p class="muted">${section?.note ?? '?'}</p>`);
  });
});
