// Records a real trace for replay: a shape's service under its load for --minutes, with trace/record-trace.mjs
// preloaded. The probes (a forced GC each) mark the load's start in the trace and measure the effective leak rate.
// It also scrapes /metrics every 5 s as a run does, and writes what the live detector said beside the trace
// (<name>.summary.json, with the effective leak rate and the load): replaying the trace through the same build must
// say the same, which checks the replay.
//
//   npm run bench:signal:record -- --shape memory-cache-16k --minutes 120 [--setting default] [--out FILE] [--dist DIR]
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { probe, resolveDist, SQ_DIR, startLoad, startService } from './lib/launch.js';
import { effectiveRates, SCRAPE_INTERVAL_MS } from './lib/run-one.js';
import { flaggedKinds, parseExposition, toRow } from './lib/scrape.js';
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
const leakStart = shape.leakStart === 'service' ? service.spawnedAt : load.startedAt;
const live = { firstFlagS: null as number | null, firstFlagKinds: [] as string[], scrapes: 0, flaggedScrapes: 0, failedScrapes: 0 };
for (let k = 1; Date.now() < end && service.child.process.exitCode === null; k++) {
  await new Promise((r) => setTimeout(r, Math.max(0, load.startedAt + k * SCRAPE_INTERVAL_MS - Date.now())));
  const at = Date.now();
  try {
    const res = await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(4000) });
    const kinds = flaggedKinds(toRow(parseExposition(await res.text())));
    live.scrapes++;
    if (kinds.length > 0) {
      live.flaggedScrapes++;
      if (live.firstFlagS === null) {
        live.firstFlagS = Math.round((at - leakStart) / 100) / 10;
        live.firstFlagKinds = kinds;
      }
    }
  } catch {
    live.failedScrapes++;
  }
  if (k % 12 === 0) {
    const stats = load.latest();
    console.log(
      `${((Date.now() - load.startedAt) / 60_000).toFixed(1)} min: ${stats?.sent ?? 0} requests, ${stats?.ok ?? 0} ok, ` +
        `${live.flaggedScrapes} of ${live.scrapes} scrapes flagged, ${statSync(out).size} bytes so far`,
    );
  }
}
const last = await probe(service);
const finalLoad = await load.stop();
const exit = await service.stop();
const rates = first !== undefined && last !== undefined ? effectiveRates(first, last) : undefined;
const summary = { trace: out, bytes: statSync(out).size, dist, exit, load: finalLoad, effectiveBytesPerSec: rates, live };
const summaryFile = out.endsWith('.trace.gz') ? `${out.slice(0, -'.trace.gz'.length)}.summary.json` : `${out}.summary.json`;
writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary));
