// Healthy: a warm-up that grows for about a minute and then stays flat — a memo of per-product views, built the
// first time each product is ordered. The benchmark's load orders 8000 products uniformly, 5 per order at 100 orders/s,
// so the memo is 95% full after ~50 s, 99.7% after ~100 s, and never grows past 8000 views of SQ_RECORD_BYTES each.
import { flatString, startShape } from './lib/express-shape.mjs';

await startShape('warm-up', ({ settings }) => {
  const views = new Map();
  return {
    onOrder(_req, record) {
      for (const line of record.lines) {
        if (views.has(line.sku)) continue;
        views.set(line.sku, { sku: line.sku, price: line.price, page: flatString(settings.recordBytes, `${line.sku}:`) });
      }
    },
  };
});
