import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from '../helpers/child.js';

/** Every module `import 'memscope'` loads statically: relative files walked, bare packages collected. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    // Static imports and re-exports only: dynamic import() is loaded on demand, which is the point.
    for (const m of source.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(join(ROOT, 'dist', `${entry}.js`));
  return { files, packages };
}

describe("import 'memscope'", () => {
  const { files, packages } = importGraph('index');

  it('loads only the SDK and the exporter, never the CLI, the service, pictures or test helpers', () => {
    const loaded = [...files].map((f) => f.slice(join(ROOT, 'dist').length + 1));
    expect(loaded.filter((f) => /^(cli|bms|charts|testing|runner|report|dashboards|monitoring)\//.test(f))).toEqual([]);
  });

  it('loads the heap snapshot capture but never the snapshot reader, the diff or its output', () => {
    const loaded = [...files].map((f) => f.slice(join(ROOT, 'dist').length + 1));
    expect(loaded).toContain('heap/capture/heap-capture.js');
    expect(loaded.filter((f) => f.startsWith('heap/') && !f.startsWith('heap/capture/'))).toEqual([]);
  });

  it('loads no package beyond OpenTelemetry and Node built-ins (OTLP exporters are imported on demand)', () => {
    const external = [...packages].filter((p) => !p.startsWith('node:')).sort();
    expect(external).toEqual(['@opentelemetry/api', '@opentelemetry/resources', '@opentelemetry/sdk-metrics']);
  });

  it('declares sub-path exports for what the SDK must not load', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports)).toContain('.');
  });
});
