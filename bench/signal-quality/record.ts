// Records a real trace for replay: a shape's service under its load for --minutes, with trace/record-trace.mjs
// preloaded. The probes (a forced GC each) mark the load's start in the trace and measure the effective leak rate.
//
//   npm run bench:signal:record -- --shape memory-cache-16k --minutes 120 [--setting default] [--out FILE] [--dist DIR]
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { probe, resolveDist, SQ_DIR, startLoad, startService } from './lib/launch.js';
import { effectiveRates } from './lib/run-one.js';
import { findShape, type Setting } from './lib/shapes.js';

const { values } = parseArgs({
  options: {
    shape: { type: 'string' },
    minutes: { type: 'string', default: '120' },
    setting: { type: 'string', default: 'default' },
    out: { type: 'string' },
    dist: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const shape = findShape(values.shape ?? '');
const minutes = Number(values.minutes);
const setting = values.setting as Setting;
if (shape === undefined || !(minutes > 0) || !['default', 'container'].includes(setting)) {
  console.error('usage: record --shape NAME --minutes N [--setting default|container] [--out FILE] [--dist DIR]');
  process.exit(2);
}
const dist = resolveDist(values.dist);
const seed = Number(values.seed);
const out = values.out ?? join(SQ_DIR, 'traces', `${shape.name}${setting === 'default' ? '' : `.${setting}`}.trace.gz`);
const meta = {
  shape: shape.name,
  kind: shape.kind,
  setting,
  nominalBytesPerSec: shape.nominalBytesPerSec ?? 0,
  leakStart: shape.leakStart,
  load: shape.load,
  description: shape.description,
  dist,
};

const service = await startService(shape, {
  dist,
  setting,
  id: `rec-${process.pid}`,
  seed,
  imports: [join(SQ_DIR, 'trace', 'record-trace.mjs')],
  env: { SQ_TRACE_FILE: out, SQ_TRACE_META: JSON.stringify(meta) },
});
const load = await startLoad(shape, service.url, seed);
const first = await probe(service);
console.log(`recording ${shape.name} (${setting}) for ${minutes} min into ${out}`);
const end = load.startedAt + minutes * 60_000;
while (Date.now() < end && service.child.process.exitCode === null) {
  await new Promise((r) => setTimeout(r, Math.min(60_000, Math.max(0, end - Date.now()))));
  const stats = load.latest();
  console.log(`${((Date.now() - load.startedAt) / 60_000).toFixed(1)} min: ${stats?.sent ?? 0} requests, ${stats?.ok ?? 0} ok, ${statSync(out).size} bytes so far`);
}
const last = await probe(service);
const finalLoad = await load.stop();
const exit = await service.stop();
const rates = first !== undefined && last !== undefined ? effectiveRates(first, last) : undefined;
console.log(JSON.stringify({ trace: out, bytes: statSync(out).size, exit, load: finalLoad, effectiveBytesPerSec: rates }));
