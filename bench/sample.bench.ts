// One full memory sample (RSS + heap + heap spaces, as memscope takes it) against the platform calls it replaces.
// Target: one full sample costs less than one process.memoryUsage() call.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import v8 from 'node:v8';
import { MemoryProbes, defaultMemorySources } from '../dist/sdk/probes/memory-probes.js';
import { ProbeErrors } from '../dist/sdk/probes/probe-errors.js';
import { formatNs, measure } from './lib/measure.js';
import { ratio, saveResult, table } from './lib/results.js';

const probes = new MemoryProbes(defaultMemorySources(), new ProbeErrors(), 1000, () => performance.now());
const fd = openSync('/proc/self/statm', 'r');
const buf = Buffer.alloc(256);

const results = [
  measure('memscope full sample (RSS + heap + spaces)', () => {
    probes.read(false);
    probes.heapSpaces();
  }),
  measure('process.memoryUsage()', () => process.memoryUsage()),
  measure('process.memoryUsage.rss()', () => process.memoryUsage.rss()),
  measure('v8.getHeapStatistics()', () => v8.getHeapStatistics()),
  measure('v8.getHeapSpaceStatistics()', () => v8.getHeapSpaceStatistics()),
  measure('readSync /proc/self/statm (kept-open fd)', () => readSync(fd, buf, 0, 256, 0)),
  measure("readFileSync('/proc/self/statm')", () => readFileSync('/proc/self/statm')),
  measure('memscope forced sample (+ fresh array buffers)', () => {
    probes.read(true);
    probes.heapSpaces();
  }),
];
closeSync(fd);
probes.close();

const [sample, memoryUsage] = results;
saveResult({
  suite: 'sample',
  title: 'One memory sample',
  sections: [
    table(
      ['Subject', 'Time per call', 'vs process.memoryUsage()'],
      results.map((r) => [r.name, formatNs(r.ns), ratio(r.ns, memoryUsage!.ns)]),
    ),
    `A full memscope sample costs **${ratio(sample!.ns, memoryUsage!.ns)}** of one \`process.memoryUsage()\` call ` +
      `(target: below 1×). It reads RSS from \`/proc/self/statm\` through a descriptor kept open, and array buffers — ` +
      'which only `process.memoryUsage()` reports — at most once a second on interval samples.',
  ],
  figures: Object.fromEntries(results.map((r) => [r.name, r.ns])),
});
