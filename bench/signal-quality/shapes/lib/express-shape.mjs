// The express service every express shape is: memscope added as README.md's "Add memscope to a service" shows
// (startMemscope() with default options, `app.use(memscope.metricsHandler)`), and an order API with the request
// handling of a real service — a JSON body, an async hop to a pretend database, per-request work and garbage, a JSON
// answer. A shape adds what it keeps (or leaks) through `setup`. Plain .mjs on purpose: the measured process runs as a
// user's compiled service does, with no TypeScript loader in it.
import express from 'express';
import { startMemscope } from './memscope.mjs';

/**
 * Knobs a shape reads from the environment (the runner sets them per shape; see bench/signal-quality/lib/shapes.ts):
 * - SQ_RECORD_BYTES: length of the note in each order record (sets how much a kept record weighs; 0: none) @default 1024
 * - SQ_LEAK_EVERY: keep (or leak) for one request in this many @default 1
 * - SQ_SEED: seed of the shape's own randomness (one-off allocations' times) @default 1
 */
export const settings = {
  recordBytes: intEnv('SQ_RECORD_BYTES', 1024),
  leakEvery: intEnv('SQ_LEAK_EVERY', 1),
  seed: intEnv('SQ_SEED', 1),
};

function intEnv(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${process.env[name]}`);
  return value;
}

/** mulberry32: small, fast, seedable; uniform in [0, 1). The load generator uses the same. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const round2 = (n) => Math.round(n * 100) / 100;

const FILL = '.'.repeat(1 << 20);
FILL.charCodeAt(0); // one flat string to cut fillers from

/**
 * A flat one-byte string of `length` characters (up to 1 MiB), `text` then dots: memory that weighs what it says.
 * `padEnd` and `repeat` alone would not do — V8 builds their result as a tree of cons strings sharing the same halves,
 * a few hundred bytes however long the string. Reading a character flattens the cons string in place into one
 * sequential string (V8's String::Flatten), the cheapest way to get one here (~1 us per KiB on this machine).
 */
export function flatString(length, text) {
  if (length <= 0) return '';
  const s = text.length >= length ? text.slice(0, length) : text + FILL.slice(0, length - text.length);
  s.charCodeAt(0);
  return s;
}

/** A pretend database round trip: 1-3 ms, the way a real handler awaits I/O between its steps. */
const io = () => new Promise((resolve) => setTimeout(resolve, 1 + Math.floor(Math.random() * 3)));

/**
 * Starts the shape's service and prints `sq-shape <name> listening on <url>` once it listens.
 * `setup({ app, settings })` runs before the routes (middleware goes there) and returns hooks:
 * - `onOrder(req, record)`: called for every accepted order with the record the service built for it;
 * - `stop()`: called on SIGTERM before the server closes.
 */
export async function startShape(name, setup) {
  const memscope = await startMemscope({ serviceName: `sq-${name}` });
  const app = express();
  app.use(memscope.metricsHandler); // GET /metrics in the Prometheus text format
  app.use(express.json({ limit: '1mb' }));
  const hooks = (await setup({ app, settings })) ?? {};
  let accepted = 0;

  app.post('/api/orders', async (req, res, next) => {
    try {
      const order = req.body;
      if (typeof order?.id !== 'string' || !Array.isArray(order.items) || typeof order.customer?.id !== 'string') {
        res.status(400).json({ error: { code: 'invalid_order' } });
        return;
      }
      await io(); // the customer's record
      const lines = order.items.map((item) => {
        const amount = round2(item.qty * item.price);
        return { sku: item.sku, qty: item.qty, price: item.price, amount, tax: round2(amount * 0.2) };
      });
      const total = round2(lines.reduce((sum, line) => sum + line.amount + line.tax, 0));
      // Per-request garbage of the usual kind: an audit line serialised and dropped.
      const audit = JSON.stringify({ at: new Date().toISOString(), order, lines, total });
      const record = {
        id: order.id,
        customerId: order.customer.id,
        lines,
        total,
        createdAt: Date.now(),
        // recordBytes characters (one byte each): what a kept record weighs is set here. The audit line is not part
        // of it: it stays garbage.
        note: flatString(settings.recordBytes, `${order.id};`),
      };
      accepted++;
      await hooks.onOrder?.(req, record, accepted);
      await io(); // the write
      res.status(201).json({ id: record.id, total, lines: lines.length, audited: audit.length });
    } catch (error) {
      next(error);
    }
  });

  const server = app.listen(0, '127.0.0.1', () => {
    console.log(`sq-shape ${name} listening on http://127.0.0.1:${server.address().port}`);
  });
  server.keepAliveTimeout = 65_000;
  process.once('SIGTERM', () => {
    hooks.stop?.();
    server.closeAllConnections?.();
    server.close(() => {
      void memscope.shutdown().finally(() => process.exit(0));
    });
  });
  return { app, memscope, server };
}
