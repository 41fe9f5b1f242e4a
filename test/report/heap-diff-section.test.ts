import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendHtmlSections, heapDiffSectionHtml } from '../../src/report/heap-diff-html.js';
import { diffForReport, heapDiffLine, noHeapDiff } from '../../src/report/heap-diff-section.js';

const dir = mkdtempSync(join(tmpdir(), 'memscope-diff-section-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('diffForReport', () => {
  it('reports a missing snapshot as a failed diff instead of throwing, with the files and the time it took', async () => {
    const missing = join(dir, 'gone.heapsnapshot');
    let t = 0;
    const section = await diffForReport(missing, missing, 'pid 1 (leak_verdict)', () => (t += 40));
    expect(section).toMatchObject({ status: 'failed', before: missing, after: missing, diffMs: 40, diff: null });
    expect(section.note).toMatch(/^heap diff failed: .*gone\.heapsnapshot/);
    expect(heapDiffLine(section)).toBe(section.note);
  });

  it('reports a truncated snapshot as a failed diff', async () => {
    const truncated = join(dir, 'truncated.heapsnapshot');
    writeFileSync(truncated, '{"snapshot":{"meta":{"node_fields":["type","name"');
    const section = await diffForReport(truncated, truncated, 'x');
    expect(section.status).toBe('failed');
    expect(section.note).toMatch(/^heap diff failed: /);
  });
});

describe('heapDiffSectionHtml', () => {
  it('shows why there is no diff in one line, escaped, and a failed diff as a warning with its files', () => {
    expect(heapDiffSectionHtml(noHeapDiff('no heap diff: <off>'), 'Heap diff')).toContain('<p class="muted">no heap diff: &lt;off&gt;</p>');
    const failed = heapDiffSectionHtml({ status: 'failed', note: 'heap diff failed: corrupt', before: '/a.heapsnapshot', after: '/b.heapsnapshot', diffMs: 1200, diff: null }, 'Heap diff');
    expect(failed).toContain('<p class="warning">heap diff failed: corrupt</p>');
    expect(failed).toContain('<code>/a.heapsnapshot</code> → <code>/b.heapsnapshot</code> · diffed in 1.2 s');
  });
});

describe('appendHtmlSections', () => {
  it('adds the sections before the end of the body, and leaves a page without sections as it was', () => {
    const page = '<html><body><p>report</p></body></html>';
    expect(appendHtmlSections(page, ['<section>a</section>', '<section>b</section>'])).toBe('<html><body><p>report</p><section>a</section>\n<section>b</section>\n</body></html>');
    expect(appendHtmlSections(page, [])).toBe(page);
  });
});
