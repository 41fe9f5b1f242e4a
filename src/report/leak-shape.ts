import { boolean, finite, nonNegative, nullable, object, string } from './json-shape.js';

/**
 * The `leak` field of a report (sdk/leak LeakVerdict) as the HTML report reads it. Kept apart from report-shape.ts
 * because the verdict's shape belongs to the leak detector: when the verdict changes, this file changes with it.
 * A kind of memory absent from `evidence` is allowed (the HTML report skips it).
 */
const evidence = object({
  status: string,
  points: nonNegative,
  spanMs: finite,
  slopeBytesPerSec: finite,
  recentSlopeBytesPerSec: finite,
  pValue: finite,
  rSquared: finite,
});

export const LEAK_VERDICT = object({
  suspected: boolean,
  slopeBytesPerSec: finite,
  confidence: finite,
  basis: nullable(string),
  evidence: object({}, { heap: evidence, external: evidence, array_buffers: evidence, rss: evidence }),
});
