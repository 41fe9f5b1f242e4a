import { describe, expect, it } from 'vitest';
import { resolveDist } from '../../bench/signal-quality/lib/launch.js';
import { runOne, type Build, type RunResult } from '../../bench/signal-quality/lib/run-one.js';
import { findShape, type Setting, type ShapeSpec } from '../../bench/signal-quality/lib/shapes.js';

// The leak verdict on the services users run: express services with memscope added as the README shows (default
// options), leaking — or not — through a real npm library, under open-loop HTTP load, judged from /metrics every 5 s
// as Prometheus sees it. With the default heap limit (no --max-old-space-size: several GiB here, so V8 spaces its major
// GCs far apart), and once container-like: a 512 MiB memory cgroup with --max-old-space-size=256, as compose.yaml runs
// the service. The same runner as the signal-quality benchmark (bench/signal-quality), one run each.

const dist = resolveDist();
const build: Build = { dist, commit: null, builtAt: new Date().toISOString() };

function shape(name: string, change: Partial<ShapeSpec> = {}): ShapeSpec {
  const found = findShape(name);
  if (found === undefined) throw new Error(`no signal-quality shape ${name}`);
  return { ...found, ...change };
}

async function run(spec: ShapeSpec, setting: Setting): Promise<RunResult> {
  const result = await runOne(spec, setting, 1, { dist, build, id: `test-${process.pid}-${spec.name}-${setting}` });
  const load = result.load;
  console.log(
    `${spec.name} ${setting}: first flag ${result.firstFlagS ?? 'never'} s (${result.firstFlagKinds.join(', ')}), ` +
      `${result.flaggedScrapes}/${result.scrapes} scrapes flagged, load ${load?.achievedRate ?? '?'} req/s, ` +
      `effective ${result.effective === null ? '?' : Math.round(result.effective.total / 1024)} KiB/s, load average ${result.loadAvg1m.join(' → ')}`,
  );
  return result;
}

describe('leak verdict on real express services under HTTP load (default options)', () => {
  it(
    'flags memory-cache leaking 256 KiB/s within 120 s, default heap and container-like, and stays flagged; lru-cache under the same load is never flagged',
    { timeout: 420_000 },
    async () => {
      const [leakDefault, leakContainer, healthy] = await Promise.all([
        run(shape('memory-cache-256k'), 'default'),
        run(shape('memory-cache-256k'), 'container'),
        run(shape('lru-cache', { durationS: 200 }), 'default'),
      ]);

      for (const leak of [leakDefault, leakContainer]) {
        expect(leak.exit.early, `${leak.setting}: the service exited early`).toBe(false);
        // The load reached the service: a leak that was never fed proves nothing.
        expect(leak.load?.ok ?? 0).toBeGreaterThan(1000);
        expect(leak.firstFlagS, `${leak.setting}: never flagged`).not.toBeNull();
        expect(leak.firstFlagS!).toBeLessThanOrEqual(120);
        expect(leak.firstFlagKinds).toContain('heap');
        expect(leak.stayedFlagged).toBe(true);
      }
      // The container-like run did run inside its limits.
      expect(leakContainer.containerLimitBytes).toBe(512 * 2 ** 20);
      expect(leakContainer.heapLimitBytes!).toBeLessThan(400 * 2 ** 20);
      expect(leakDefault.heapLimitBytes!).toBeGreaterThan(1024 * 2 ** 20);

      expect(healthy.exit.early).toBe(false);
      expect(healthy.load?.ok ?? 0).toBeGreaterThan(1000);
      expect(healthy.scrapes).toBeGreaterThanOrEqual(30);
      expect(healthy.flaggedScrapes).toBe(0);
    },
  );
});
