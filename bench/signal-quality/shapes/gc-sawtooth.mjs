// Healthy: a GC sawtooth on a big heap — a live set of SQ_LIVE_MIB (1536 by default: multi-GiB heap with its
// garbage) loaded at start-up, then heavy churn: each order replaces SQ_CHURN_ROWS rows of the live set (old-space
// garbage, so major GCs cut a sawtooth) and makes ~64 KiB of short-lived garbage. The live set stays the same size.
import { flatString, startShape } from './lib/express-shape.mjs';

const liveMiB = Number(process.env.SQ_LIVE_MIB ?? 1536);
const churnRows = Number(process.env.SQ_CHURN_ROWS ?? 100);
const ROW_BYTES = 1024;

await startShape(`gc-sawtooth-${liveMiB}m`, () => {
  const rows = Math.round((liveMiB * 1024 * 1024) / (ROW_BYTES + 64));
  const live = new Array(rows);
  for (let i = 0; i < rows; i++) live[i] = row(i, 'initial');
  let next = 0;
  return {
    onOrder(_req, record) {
      for (let k = 0; k < churnRows; k++) {
        live[next] = row(next, record.id);
        next = (next + 1) % rows;
      }
      // Short-lived garbage: an intermediate result of the request, dropped.
      const scratch = [];
      for (let k = 0; k < 64; k++) scratch.push(flatString(1000, `${record.id}:${k}`));
      return scratch.length;
    },
  };
});

/** A row weighs the same whoever writes it: `i` stays a small integer (a float would add a 16-byte heap number). */
function row(i, by) {
  return { i, text: flatString(ROW_BYTES, `${by}#${i}#`) };
}
