// Healthy: one-off allocations — a report built, an export serialised, a file buffered — of 8 to 64 MiB, held 1 to
// 10 s and released, at random times (every 20-60 s, seeded by SQ_SEED), alternately JS heap objects and Buffers.
// Between them the service keeps nothing.
import { flatString, seededRandom, startShape } from './lib/express-shape.mjs';

const MIB = 1024 * 1024;

await startShape('alloc-spikes', ({ settings }) => {
  const random = seededRandom(settings.seed);
  let timer;
  // What a spike holds until it is released: kept reachable here, as a request's big intermediate result is.
  const holder = { value: null };
  let count = 0;
  const schedule = () => {
    timer = setTimeout(spike, 20_000 + random() * 40_000);
    timer.unref();
  };
  const spike = () => {
    const bytes = Math.round((8 + random() * 56) * MIB);
    const holdMs = 1000 + random() * 9000;
    holder.value = count++ % 2 === 0 ? heapObjects(bytes) : Buffer.alloc(bytes, 1);
    const release = setTimeout(() => {
      holder.value = null;
      schedule();
    }, holdMs);
    release.unref();
  };
  schedule();
  return {
    stop: () => {
      clearTimeout(timer);
      holder.value = null;
    },
  };
});

/** About `bytes` of JS heap: rows of 1 KiB strings in small objects, as a report's rows are. */
function heapObjects(bytes) {
  const rows = [];
  for (let i = 0; i < bytes / 1100; i++) rows.push({ i, text: flatString(1000, `${i}r`) });
  return rows;
}
