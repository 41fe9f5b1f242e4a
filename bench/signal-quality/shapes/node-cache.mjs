// node-cache, keyed per order. SQ_MODE=unbounded (the leak): `new NodeCache()` — no stdTTL, no maxKeys, so every key
// stays. SQ_MODE=ttl (healthy): stdTTL 20 s with a check every 5 s, the options its README shows for a bounded cache.
import NodeCache from 'node-cache';
import { startShape } from './lib/express-shape.mjs';

const mode = process.env.SQ_MODE ?? 'unbounded';
if (mode !== 'unbounded' && mode !== 'ttl') throw new Error(`SQ_MODE must be unbounded or ttl, got ${mode}`);

await startShape(`node-cache-${mode}`, ({ settings }) => {
  const cache = mode === 'ttl' ? new NodeCache({ stdTTL: 20, checkperiod: 5 }) : new NodeCache();
  return {
    onOrder(_req, record, n) {
      if (n % settings.leakEvery === 0) cache.set(`order:${record.id}`, record);
    },
    stop: () => cache.close(),
  };
});
