// Leak of Buffers (external memory, invisible in the JS heap): a "recent requests" debug log that was meant to be a
// ring but only ever appends the serialised order. SQ_LEAK_EVERY and SQ_RECORD_BYTES set the rate.
import { startShape } from './lib/express-shape.mjs';

await startShape('buffer-log', ({ settings }) => {
  const recent = [];
  return {
    onOrder(_req, record, n) {
      if (n % settings.leakEvery === 0) recent.push(Buffer.from(JSON.stringify(record)));
    },
  };
});
