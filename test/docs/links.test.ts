import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/child.js';
import { anchors, brokenLinks, links, markdownUnder } from '../helpers/markdown-links.js';

/** README.md and every Markdown file under docs/. */
function markdownFiles(): string[] {
  return [join(ROOT, 'README.md'), ...markdownUnder(join(ROOT, 'docs'))];
}

describe('links in README.md and docs/', () => {
  const files = markdownFiles();

  it('finds the documents', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('every relative link and anchor of %s resolves', (_name, file) => {
    const broken = brokenLinks(file);
    expect(broken).toEqual([]);
  });

  it('would catch a broken link and a broken anchor', () => {
    expect(links('see [x](nope.md) and [y](docs/runbook.md#not-there) and [z](https://example.com)')).toEqual(['nope.md', 'docs/runbook.md#not-there']);
    expect(anchors('# Runbook\n## MemscopeHeapNearLimit\n## What it `means`\n## Same\n## Same').has('memscopeheapnearlimit')).toBe(true);
    expect([...anchors('## What it `means`\n## Same\n## Same')]).toEqual(['what-it-means', 'same', 'same-1']);
  });
});
