import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeLeakVerdict, type DescribableVerdict } from '../../../src/sdk/leak/describe-verdict.js';
import { WARMING_UP, type TrendEvidence } from '../../../src/sdk/leak/trend-evidence.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const DOC = readFileSync(new URL('../../../docs/leak-detection.md', import.meta.url), 'utf8');

function evidence(over: Partial<TrendEvidence>): TrendEvidence {
  return { ...WARMING_UP, status: 'no-growth', scale: '10m', points: 100, spanMs: 580_000, fromTime: 0, toTime: 580_000, ...over };
}

function verdict(over: Partial<DescribableVerdict>, heap: Partial<TrendEvidence> = {}): DescribableVerdict {
  const flat = evidence({});
  return {
    status: 'no-leak',
    basis: null,
    slopeBytesPerSec: 0,
    moreMs: null,
    ...over,
    evidence: { heap: evidence(heap), external: flat, array_buffers: flat, rss: flat, ...over.evidence },
  };
}

/** The example sentences docs/leak-detection.md shows under "What the verdict says". */
function documentedExamples(): string[] {
  const section = DOC.slice(DOC.indexOf('`summary` is the verdict in one sentence'));
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.trim().split('\n');
}

describe('describeLeakVerdict', () => {
  it('produces exactly the sentences docs/leak-detection.md shows', () => {
    const produced = [
      describeLeakVerdict(verdict({ status: 'suspected', basis: 'heap' }, { status: 'suspected', slopeBytesPerSec: 1.02 * MIB, spanMs: 125_000, pValue: 2.1e-5, rSquared: 0.98 })),
      describeLeakVerdict(verdict({ status: 'suspected', basis: 'heap' }, { status: 'suspected', scale: '1h', slopeBytesPerSec: 18.2 * KIB, spanMs: 52 * 60_000, pValue: 3e-9, rSquared: 0.97 })),
      describeLeakVerdict(verdict({ status: 'no-leak' }, { slopeBytesPerSec: 3.1 * KIB, spanMs: 580_000 })),
      describeLeakVerdict(verdict({ status: 'inconclusive', moreMs: 40_000, evidence: { external: WARMING_UP, array_buffers: WARMING_UP, rss: WARMING_UP } as never }, WARMING_UP)),
      describeLeakVerdict(verdict({ status: 'inconclusive', moreMs: 45_000 }, { status: 'insufficient-data', points: 3, spanMs: 25_000 })),
    ];
    expect(produced).toEqual(documentedExamples());
  });

  it('never says "no leak" when it cannot speak', () => {
    for (const status of ['warming-up', 'insufficient-data'] as const) {
      const text = describeLeakVerdict(verdict({ status: 'inconclusive', moreMs: null }, { status, points: 2, spanMs: 4000 }));
      expect(text).toMatch(/^inconclusive: /);
      expect(text).not.toMatch(/no leak/);
    }
  });

  it('speaks per run for memory tests, in runs rather than seconds', () => {
    const text = describeLeakVerdict(verdict({ status: 'suspected', basis: 'external' }, {}), 'run');
    expect(text).toBe('leak suspected in external memory (Buffers): +0 B per run over 581 runs (p=1.0, R²=0.00)');
    const external = evidence({ status: 'suspected', slopeBytesPerSec: 64 * KIB, spanMs: 11_000, pValue: 1e-6, rSquared: 0.99 });
    expect(describeLeakVerdict({ ...verdict({ status: 'suspected', basis: 'external' }), evidence: { ...verdict({}).evidence, external } }, 'run')).toBe(
      'leak suspected in external memory (Buffers): +64.00 KiB per run over 12 runs (p=1.0e-6, R²=0.99)',
    );
    expect(describeLeakVerdict(verdict({ status: 'inconclusive', moreMs: 2000 }, { status: 'insufficient-data', points: 4 }), 'run')).toBe('inconclusive: 100 runs judged (about 2 more needed)');
  });
});
