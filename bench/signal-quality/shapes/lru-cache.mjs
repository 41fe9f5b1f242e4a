// Healthy: lru-cache bounded by both max and ttl, with expired entries purged on time (ttlAutopurge), keyed per
// order. It holds ~20 s of orders and stops growing after its first 20 s.
import { LRUCache } from 'lru-cache';
import { startShape } from './lib/express-shape.mjs';

await startShape('lru-cache', ({ settings }) => {
  const cache = new LRUCache({ max: 20_000, ttl: 20_000, ttlAutopurge: true });
  return {
    onOrder(_req, record, n) {
      if (n % settings.leakEvery === 0) cache.set(record.id, record);
    },
    stop: () => cache.clear(),
  };
});
