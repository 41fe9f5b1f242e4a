// Leak: listeners piling up on a long-lived EventEmitter — each request subscribes to price changes with a closure
// over its order (to re-price it) and never unsubscribes (`on` where `once`, or a removeListener on response end, was
// meant). Node prints MaxListenersExceededWarning once, and nothing else happens. SQ_LEAK_EVERY, SQ_RECORD_BYTES.
import { EventEmitter } from 'node:events';
import { startShape } from './lib/express-shape.mjs';

await startShape('listeners', ({ settings }) => {
  const prices = new EventEmitter();
  return {
    onOrder(_req, record, n) {
      if (n % settings.leakEvery !== 0) return;
      prices.on('change', (sku, price) => {
        for (const line of record.lines) if (line.sku === sku) line.price = price;
      });
    },
  };
});
