// Preloaded into every measured process (`node --expose-gc --import .../probe.mjs`): on SIGUSR2 it forces a full GC and
// prints the memory left, one line `sq-probe {json}` on stdout. The runner probes once when the load starts and once
// after the last scrape, outside the judged window, to measure each run's effective leak rate independently of the
// detector under test. It is not part of any shape: a service knows nothing about it.
import v8 from 'node:v8';

process.on('SIGUSR2', () => {
  // Two passes: the first can leave objects whose finalizers or weak callbacks free more on the second.
  globalThis.gc?.();
  globalThis.gc?.();
  const heap = v8.getHeapStatistics();
  const usage = process.memoryUsage();
  const probe = {
    time: Date.now(),
    heapUsed: heap.used_heap_size,
    external: heap.external_memory,
    arrayBuffers: usage.arrayBuffers,
    rss: usage.rss,
    forced: typeof globalThis.gc === 'function',
  };
  process.stdout.write(`sq-probe ${JSON.stringify(probe)}\n`);
});
