import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRssReader } from '../../../src/sdk/probes/rss-reader.js';
import { forceGc } from '../../../src/sdk/gc/force-gc.js';

const openDescriptors = (): number => readdirSync('/proc/self/fd').length;
const MiB = 2 ** 20;

describe('createRssReader', () => {
  it('reads the same RSS as Node, holding a descriptor only from the first read to close()', () => {
    const before = openDescriptors();
    const reader = createRssReader();
    expect(openDescriptors()).toBe(before);
    expect(Math.abs(reader.read() - process.memoryUsage.rss())).toBeLessThan(16 * MiB);
    expect(openDescriptors()).toBe(before + 1);
    reader.close();
    expect(openDescriptors()).toBe(before);
    // After close it still answers, through Node.
    expect(reader.read()).toBeGreaterThan(0);
    expect(openDescriptors()).toBe(before);
    reader.close();
  });

  it('falls back to Node where /proc is missing', () => {
    const reader = createRssReader('/nonexistent/statm');
    expect(Math.abs(reader.read() - process.memoryUsage.rss())).toBeLessThan(16 * MiB);
    reader.close();
  });

  it('releases the descriptor of a reader dropped without close()', async () => {
    const before = openDescriptors();
    (() => {
      createRssReader().read();
    })();
    expect(openDescriptors()).toBe(before + 1);
    for (let i = 0; i < 50 && openDescriptors() > before; i++) {
      forceGc();
      await sleep(20);
    }
    expect(openDescriptors()).toBe(before);
  });
});
