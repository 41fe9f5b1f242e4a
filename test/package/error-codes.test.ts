import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../src/internal/errors.js';
import { ROOT } from '../helpers/child.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}

describe('error and warning codes', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
  const used = new Set(sources(join(ROOT, 'src')).flatMap((s) => [...s.matchAll(/MEMSCOPE_[EW]_[A-Z_]+/g)].map((m) => m[0])));

  it('documents every code used in src/', () => {
    expect(used.size).toBeGreaterThan(5);
    for (const code of used) expect(doc, code).toContain(`\`${code}\``);
  });

  it('documents each error code with its exit status', () => {
    for (const [code, { exitCode }] of Object.entries(ERROR_CODES)) {
      expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| ${exitCode} \\|`));
    }
  });
});
