import { describe, expect, it } from 'vitest';
import { runNode, ROOT } from '../helpers/child.js';

interface VerdictLine { t: number; suspected: boolean; basis: string | null; slope: number; confidence: number }

const SECONDS = 75;

function lines(stdout: string): VerdictLine[] {
  return stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as VerdictLine);
}

// Three real programs run side by side on default profiler settings, each churning garbage like request handling:
// one leaks 1 MiB/s of heap objects, one 1 MiB/s of Buffers, one nothing.
describe('leak verdict on real processes (default settings)', () => {
  it('flags a heap leak and a Buffer leak within about a minute and stays quiet without a leak', { timeout: (SECONDS + 30) * 1000 }, async () => {
    const program = `${ROOT}test/fixtures/programs/leaky-service.mjs`;
    const [heap, buffer, none] = await Promise.all(
      (['heap', 'buffer', 'none'] as const).map((kind) => runNode([program, kind, String(2 ** 20), String(SECONDS)]).done),
    );
    for (const run of [heap, buffer, none]) expect(run!.code, run!.stderr).toBe(0);

    const firstSuspected = (run: { stdout: string }) => lines(run.stdout).find((l) => l.suspected);
    const heapHit = firstSuspected(heap!);
    const bufferHit = firstSuspected(buffer!);
    const heapLast = lines(heap!.stdout).at(-1)!;
    const bufferLast = lines(buffer!.stdout).at(-1)!;
    console.log('first and last verdicts:', { heapHit, heapLast, bufferHit, bufferLast });
    // RSS grows with either leak and can carry the first verdict before enough post-GC points name the root;
    // by the end the basis is the memory that leaks.
    expect(heapHit!.t).toBeLessThanOrEqual(70);
    expect(['heap', 'rss']).toContain(heapHit!.basis);
    expect(heapLast).toMatchObject({ suspected: true, basis: 'heap' });
    expect(bufferHit!.t).toBeLessThanOrEqual(70);
    expect(['external', 'array_buffers', 'rss']).toContain(bufferHit!.basis);
    expect(bufferLast).toMatchObject({ suspected: true, basis: 'external' });
    // Once flagged, a steady leak stays flagged.
    expect(lines(heap!.stdout).filter((l) => l.t >= heapHit!.t + 2).every((l) => l.suspected)).toBe(true);
    expect(lines(buffer!.stdout).filter((l) => l.t >= bufferHit!.t + 2).every((l) => l.suspected)).toBe(true);

    const healthy = lines(none!.stdout);
    expect(healthy.length).toBeGreaterThanOrEqual(SECONDS - 2);
    expect(healthy.filter((l) => l.suspected)).toEqual([]);
  });
});
