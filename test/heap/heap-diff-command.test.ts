import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runNode } from '../helpers/child.js';
import type { HeapDiff } from '../../src/heap/diff/heap-diff.js';
import { rootEdges, rootNodes, syntheticSnapshot, type SyntheticEdge, type SyntheticNode } from './helpers/synthetic-snapshot.js';

/** `memscope heap-diff` as users run it: the built CLI in a child process. */
const dir = mkdtempSync(join(tmpdir(), 'memscope-heap-diff-cli-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

function snapshotFile(name: string, leaked: number): string {
  const nodes: SyntheticNode[] = rootNodes();
  const edges: SyntheticEdge[] = rootEdges();
  nodes.push({ type: 'object', name: 'Array', id: 7, size: 32 });
  edges.push({ from: 2, to: 3, type: 'property', name: 'pending<script>' });
  for (let i = 0; i < leaked; i++) {
    nodes.push({ type: 'object', name: 'Job', id: 101 + 2 * i, size: 64 });
    edges.push({ from: 3, to: nodes.length - 1, type: 'element', name: i });
  }
  edges.sort((a, b) => a.from - b.from);
  const path = join(dir, name);
  writeFileSync(path, syntheticSnapshot(nodes, edges));
  return path;
}

const before = snapshotFile('before.heapsnapshot', 2);
const after = snapshotFile('after.heapsnapshot', 12);

describe('memscope heap-diff', () => {
  it('prints the groups and the retainer paths as text', async () => {
    const run = await runNode([CLI, 'heap-diff', before, after]).done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^1\s+Job\s+640 B\s+10\s+2 → 12 \(\+10\)\s+640 B\s+global\.pending<script>\[\] ×10$/m);
    expect(run.stdout).toMatch(/--pending<script> \(property\)--> Array @7/);
    expect(run.stdout).toMatch(/--\[2\] \(element\)--> Job @105/);
  });

  it('prints JSON with --json and writes a self-contained, escaped HTML page with --html', async () => {
    const html = join(dir, 'diff.html');
    const run = await runNode([CLI, 'heap-diff', before, after, '--json', '--html', html]).done;
    expect(run.code, run.stderr).toBe(0);
    const diff = JSON.parse(run.stdout) as HeapDiff;
    expect(diff).toMatchObject({ schema: 'memscope.heap-diff', schemaVersion: 1, newObjects: { count: 10 } });
    expect(diff.groups[0]).toMatchObject({ name: 'Job', newCount: 10, countBefore: 2, countAfter: 12 });
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<td>Job</td>');
    expect(page).toContain('pending&lt;script&gt;');
    expect(page).not.toContain('pending<script>');
    expect(page).not.toMatch(/<script|<link|src=/);
  });

  it('exits 3 for a missing snapshot, 4 for a corrupt one and 2 for bad options, with stable codes', async () => {
    const corrupt = join(dir, 'corrupt.heapsnapshot');
    writeFileSync(corrupt, readFileSync(after, 'utf8').slice(0, 200));
    const missing = await runNode([CLI, 'heap-diff', join(dir, 'nope.heapsnapshot'), after]).done;
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^memscope: MEMSCOPE_E_SNAPSHOT_UNREADABLE: /);
    const bad = await runNode([CLI, 'heap-diff', before, corrupt]).done;
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/MEMSCOPE_E_SNAPSHOT_CORRUPT: .*truncated/);
    const usage = await runNode([CLI, 'heap-diff', before, after, '--top', '0']).done;
    expect(usage.code).toBe(2);
    const overwrite = await runNode([CLI, 'heap-diff', before, after, '--html', after]).done;
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toMatch(/--html must be a file name ending in \.html/);
  });
});
