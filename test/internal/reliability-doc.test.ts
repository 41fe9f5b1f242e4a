import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

// docs/reliability.md states how many generated cases each property-based suite tries: the sum of its numRuns.
// This keeps the table true when a suite changes.
const ROOT = new URL('../../', import.meta.url);

describe('docs/reliability.md', () => {
  it('states the cases each property-based suite tries, and their total', () => {
    const doc = readFileSync(new URL('docs/reliability.md', ROOT), 'utf8');
    const rows = [...doc.matchAll(/^\| `(test\/[^`]+\.test\.ts)` \| [^|]+ \| ([\d,]+) \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(7);
    let total = 0;
    for (const [, file, stated] of rows) {
      const source = readFileSync(new URL(file!, ROOT), 'utf8');
      const runs = [...source.matchAll(/numRuns: ([\d_]+)/g)].reduce((sum, m) => sum + Number(m[1]!.replace(/_/g, '')), 0);
      expect(Number(stated!.replace(/,/g, '')), file).toBe(runs);
      total += runs;
    }
    expect(doc).toContain(`**${total.toLocaleString('en-US')}** (${(2 * total).toLocaleString('en-US')} per \`npm test\`)`);
  });
});
