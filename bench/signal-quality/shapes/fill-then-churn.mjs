// Healthy: a cache of SQ_CACHE_ENTRIES orders (lru-cache, max only) that fills within the first 60 s under the
// benchmark's load — at a rate set by SQ_RECORD_BYTES — and then only churns: each new order evicts the oldest.
import { LRUCache } from 'lru-cache';
import { startShape } from './lib/express-shape.mjs';

const entries = Number(process.env.SQ_CACHE_ENTRIES ?? 6000);
if (!Number.isInteger(entries) || entries < 1) throw new Error(`SQ_CACHE_ENTRIES must be a positive integer, got ${process.env.SQ_CACHE_ENTRIES}`);

await startShape('fill-then-churn', () => {
  const cache = new LRUCache({ max: entries });
  return {
    onOrder(_req, record) {
      cache.set(record.id, record);
    },
    stop: () => cache.clear(),
  };
});
