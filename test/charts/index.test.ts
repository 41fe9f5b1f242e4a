import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as charts from '../../src/charts/index.js';
import { ROOT } from '../helpers/child.js';

/** Packages src/charts/index.ts loads statically (dynamic import() excluded: it is the point; `import type` loads nothing). */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return packages;
}

describe('memscope/charts', () => {
  it('exports the drawing API by name', () => {
    expect(Object.keys(charts).sort()).toEqual([
      'ALIGN_MODES', 'FONT_FILE', 'MAX_PNG_PIXELS', 'SERIES_KEYS', 'chartFormat', 'isReport', 'phaseAnchors', 'phasesFromSamples',
      'renderComparisonPng', 'renderComparisonSvg', 'renderHtmlReport', 'renderTimelinePng', 'renderTimelineSvg', 'svgToPng',
      'toChartInput', 'visualizeMemoryTimeline', 'warpFrom', 'writeChart', 'writeComparisonChart', 'writeHtmlReport',
    ]);
  });

  it('loads resvg only when a PNG is rendered, and no DOM library at all', () => {
    const packages = [...staticPackages(join(ROOT, 'src/charts/index.ts'))].filter((p) => !p.startsWith('node:'));
    expect(packages).toEqual([]);
  });

  it('ships its font and the font licence', () => {
    expect(readFileSync(charts.FONT_FILE).subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
    expect(readFileSync(join(ROOT, 'assets/fonts/LICENSE-DejaVu.txt'), 'utf8')).toContain('Bitstream Vera');
  });
});
