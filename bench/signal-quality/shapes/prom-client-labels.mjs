// Leak: prom-client with an unbounded label value — the order id as a label, the mistake its docs warn about ("label
// values ... should not be unbounded"). Every new value is a new series in each metric using it, kept forever: here
// a counter and three histograms of the order (amount, lines, items). The service's registry is served on
// /app-metrics, which the benchmark does not scrape (its growing size would tax every scrape).
// SQ_LEAK_EVERY: one request in that many is recorded with its order id (a "sampled per-order" metric).
import client from 'prom-client';
import { startShape } from './lib/express-shape.mjs';

await startShape('prom-client-labels', ({ app, settings }) => {
  const registry = new client.Registry();
  const orders = new client.Counter({ name: 'app_orders_total', help: 'Orders', labelNames: ['order_id', 'status'], registers: [registry] });
  const histogram = (name, help, buckets) => new client.Histogram({ name, help, labelNames: ['order_id'], buckets, registers: [registry] });
  const amount = histogram('app_order_amount', 'Order amount', [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000]);
  const lines = histogram('app_order_lines', 'Lines per order', [1, 2, 3, 4, 5, 6, 7, 8, 10, 15, 20]);
  const items = histogram('app_order_items', 'Items per order', [1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 100]);
  app.get('/app-metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return {
    onOrder(_req, record, n) {
      if (n % settings.leakEvery !== 0) return;
      const labels = { order_id: record.id };
      orders.inc({ ...labels, status: 'accepted' });
      amount.observe(labels, record.total);
      lines.observe(labels, record.lines.length);
      items.observe(labels, record.lines.reduce((sum, line) => sum + line.qty, 0));
    },
  };
});
