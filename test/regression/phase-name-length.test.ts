import { describe, expect, it } from 'vitest';
import { MemoryProfiler } from '../../src/sdk/memory-profiler.js';
import { captureWarnings } from '../helpers/fake-sources.js';
import { pointValue, testMeterProvider } from '../helpers/metrics.js';

// Issue [6/11] item 8: phase names had no length cap. 100 names of 64 KiB made every scrape 156 MiB. Names are now
// cut to maxPhaseNameLength (default 128), so a scrape's size no longer depends on how long callers' names are.

/** One scrape after 100 distinct phase names of `length` characters each. */
async function scrapeWithNames(length: number, options: { maxPhaseNameLength?: number } = {}): Promise<{ text: string; names: string[]; tooLong: number | undefined }> {
  const { provider, reader, collect } = testMeterProvider();
  const profiler = new MemoryProfiler({ meter: provider.getMeter('t'), sampleIntervalMs: 3_600_000, eventLoop: false, gc: false, ...options }).start();
  try {
    for (let i = 0; i < 100; i++) {
      const name = `${String(i).padStart(3, '0')}_${'n'.repeat(length - 4)}`;
      profiler.phase(name, () => undefined);
      profiler.markPhaseStart(name);
      profiler.markPhaseEnd(name);
    }
    const text = await reader.render();
    const tooLong = pointValue(await collect(), 'memscope.phase.misuse', { 'memscope.phase.misuse': 'name_too_long' });
    return { text, names: profiler.getPhaseStats().map((s) => s.name), tooLong };
  } finally {
    profiler.stop();
    await provider.shutdown();
  }
}

describe('phase name length', () => {
  it('keeps a scrape the same size whether names are 1 KiB or 64 KiB long', async () => {
    const kib = await scrapeWithNames(1024);
    const huge = await scrapeWithNames(65_536);
    // The same series with the same (cut) labels; only figures such as durations differ by a few characters.
    expect(Math.abs(huge.text.length - kib.text.length)).toBeLessThan(kib.text.length / 100);
    // 100 names at the 128-character cap: the whole scrape stays well under 2 MiB (it was 156 MiB).
    expect(huge.text.length).toBeLessThan(2 * 2 ** 20);
  });

  it('cuts names to maxPhaseNameLength with a visible …, keeps them distinct, and counts each start', async () => {
    const { names, tooLong } = await scrapeWithNames(65_536);
    expect(names).toHaveLength(100);
    for (const name of names) {
      expect(name).toHaveLength(128);
      expect(name.endsWith('…')).toBe(true);
    }
    expect(tooLong).toBe(200); // phase() and markPhaseStart() for each name; the ends are not counted again
  });

  it('honours a smaller maxPhaseNameLength and leaves names within it alone', async () => {
    const { names } = await scrapeWithNames(40, { maxPhaseNameLength: 16 });
    expect(names.every((n) => n.length === 16)).toBe(true);
    const short = await scrapeWithNames(16, { maxPhaseNameLength: 16 });
    expect(short.names.every((n) => n.length === 16 && !n.endsWith('…'))).toBe(true);
    expect(short.tooLong).toBe(0);
  });

  it('ends a mark started under a long name when ended under the same long name', () => {
    const profiler = new MemoryProfiler({ sampleIntervalMs: 3_600_000, eventLoop: false, gc: false, maxPhaseNameLength: 10 });
    const name = 'x'.repeat(1000);
    profiler.markPhaseStart(name);
    profiler.markPhaseEnd(name);
    expect(profiler.getPhaseStats()).toEqual([expect.objectContaining({ name: `${'x'.repeat(9)}…`, count: 1, active: 0 })]);
    profiler.stop();
  });

  it('never splits a surrogate pair when cutting', () => {
    const profiler = new MemoryProfiler({ sampleIntervalMs: 3_600_000, eventLoop: false, gc: false, maxPhaseNameLength: 4 });
    profiler.phase('ab😀😀😀', () => undefined);
    const [stat] = profiler.getPhaseStats();
    expect(stat?.name).toBe('ab…');
    expect(Buffer.from(stat!.name).toString()).toBe(stat!.name); // a lone surrogate would not survive UTF-8
    profiler.stop();
  });

  it('warns once, with the name cut in the message', async () => {
    const profiler = new MemoryProfiler({ sampleIntervalMs: 3_600_000, eventLoop: false, gc: false });
    const warnings = await captureWarnings(() => {
      for (let i = 0; i < 3; i++) profiler.phase(`${i}${'y'.repeat(100_000)}`, () => undefined);
    });
    // Earlier tests' profilers warn too (on the next tick): only this profiler's names hold 'yyy'.
    const mine = warnings.filter((w) => w.code === 'MEMSCOPE_W_PHASE' && w.message.includes('yyy'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toMatch(/maxPhaseNameLength/);
    expect(mine[0]!.message.length).toBeLessThan(300);
    profiler.stop();
  });

  it('rejects a maxPhaseNameLength outside 1 to 4096', () => {
    expect(() => new MemoryProfiler({ maxPhaseNameLength: 0 })).toThrow(/maxPhaseNameLength must be an integer from 1 to 4096/);
    expect(() => new MemoryProfiler({ maxPhaseNameLength: 1.5 })).toThrow(/maxPhaseNameLength/);
  });
});
