// Leak: memory-cache's `put(key, value)` with no time keeps the entry until someone deletes it (its README: "time in
// ms (optional)"). Keyed per request — here the order id, as a response cache keyed by URL with its query string is —
// nothing ever is. SQ_LEAK_EVERY and SQ_RECORD_BYTES set the rate.
import cache from 'memory-cache';
import { startShape } from './lib/express-shape.mjs';

await startShape('memory-cache', ({ settings }) => ({
  onOrder(_req, record, n) {
    if (n % settings.leakEvery === 0) cache.put(`order:${record.id}`, record);
  },
}));
