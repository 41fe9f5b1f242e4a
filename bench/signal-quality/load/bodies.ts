// The orders the load generator sends to the express shapes: the same stream for every shape (leaky and healthy see
// the same load), deterministic for a seed. 250-450 bytes of JSON, 3-7 lines over 8000 products (the warm-up shape's
// memo saturates on that catalogue), a customer among 100,000, a unique id per order.
import { seededRandom } from '../../../src/stress/onboarding-jobs.js';

export type LoadTarget = 'orders' | 'jobs';

/** Products in the catalogue the orders draw from (uniformly). */
export const PRODUCTS = 8000;

export interface Order {
  id: string;
  customer: { id: string; name: string; email: string };
  items: Array<{ sku: string; qty: number; price: number }>;
  note: string;
}

const NOTES = ['leave at reception', 'call on arrival', 'gift wrap', 'deliver after 5pm', 'fragile'];

/** The i-th order of the stream of `seed`. */
export function createOrder(seed: number, i: number): Order {
  const random = seededRandom((seed * 0x9e3779b1 + i) >>> 0);
  const customer = 1 + Math.floor(random() * 100_000);
  const lines = 3 + Math.floor(random() * 5);
  const items = Array.from({ length: lines }, () => {
    const product = 1 + Math.floor(random() * PRODUCTS);
    return { sku: `SKU-${String(product).padStart(5, '0')}`, qty: 1 + Math.floor(random() * 5), price: Math.round((1 + (product % 997)) * 7) / 100 };
  });
  return {
    id: `${seed}-${i}`,
    customer: { id: `C${customer}`, name: `Customer ${customer}`, email: `customer${customer}@example.com` },
    items,
    note: NOTES[Math.floor(random() * NOTES.length)]!,
  };
}

export function orderBody(seed: number, i: number): string {
  return JSON.stringify(createOrder(seed, i));
}
