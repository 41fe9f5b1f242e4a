// Records what a leak detector is fed, compactly, so that a real process's memory can be replayed later through any
// detector build with its clock compressed (trace/replay.ts). Preloaded: `node --import .../record-trace.mjs app.js`
// with SQ_TRACE_FILE=/path/out.trace.gz (and optionally SQ_TRACE_META='{"shape":...}', kept in the header).
//
// Records, each right after the event and in this order of columns (see COLUMNS):
//   every GC batch (one PerformanceObserver callback, as memscope's GcWatcher batches them): `g,dt,types,...values`
//     where types has one letter per GC in the batch: M major, m minor, i incremental, w weak callbacks;
//   a sample every second:                                      `s,dt,...values`;
//   a marker on SIGUSR2 (the benchmark's probe: the load starts): `p,dt,probe`.
// dt is milliseconds since the previous record (the header holds the start, epoch ms); each value is in KiB, written as
// the difference from the same column of the previous record — small numbers that gzip well (~10 bytes a record).
// The file is a series of gzip members, one written (synchronously) every 60 s and one at exit, so a killed process
// loses at most a minute and the file is always readable: gunzip reads concatenated members as one stream.
import { appendFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { gzipSync } from 'node:zlib';

const file = process.env.SQ_TRACE_FILE;
const COLUMNS = ['heapUsed', 'heapTotal', 'external', 'arrayBuffers', 'rss', 'heapPhysical', 'oldSpaceUsed', 'largeObjectSpaceUsed'];
const UNIT = 1024;
const TYPES = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'M',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'm',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'i',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'w',
};

if (file === undefined || file === '') {
  console.error('record-trace: SQ_TRACE_FILE is not set; recording nothing');
} else {
  const startedAt = Math.round(performance.timeOrigin + performance.now());
  let meta = {};
  try {
    meta = JSON.parse(process.env.SQ_TRACE_META ?? '{}');
  } catch {
    console.error('record-trace: SQ_TRACE_META is not JSON; ignored');
  }
  const header = { format: 'memscope-sq-trace/1', startedAt, unitBytes: UNIT, columns: COLUMNS, node: process.version, pid: process.pid, ...meta };
  writeFileSync(file, gzipSync(`${JSON.stringify(header)}\n`));

  let lastTime = startedAt;
  const last = new Array(COLUMNS.length).fill(0);
  let pending = [];

  const read = () => {
    const heap = v8.getHeapStatistics();
    let oldSpace = 0;
    let largeObjects = 0;
    for (const space of v8.getHeapSpaceStatistics()) {
      if (space.space_name === 'old_space') oldSpace = space.space_used_size;
      else if (space.space_name === 'large_object_space') largeObjects = space.space_used_size;
    }
    // process.memoryUsage() is the only source of array buffers; it also reads RSS (the slow way: ~8 us, fine here).
    const usage = process.memoryUsage();
    return [heap.used_heap_size, heap.total_heap_size, heap.external_memory, usage.arrayBuffers, usage.rss, heap.total_physical_size, oldSpace, largeObjects];
  };

  const record = (kind, extra, values) => {
    const now = Math.round(performance.timeOrigin + performance.now());
    let line = `${kind},${now - lastTime}`;
    lastTime = now;
    if (extra !== '') line += `,${extra}`;
    if (values !== undefined) {
      for (let c = 0; c < values.length; c++) {
        const v = Math.round(values[c] / UNIT);
        line += `,${v - last[c]}`;
        last[c] = v;
      }
    }
    pending.push(line);
  };

  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    try {
      appendFileSync(file, gzipSync(text, { level: 9 }));
    } catch (error) {
      console.error(`record-trace: cannot write ${file}: ${error.message}`);
    }
  };

  const observer = new PerformanceObserver((list) => {
    let types = '';
    for (const entry of list.getEntries()) types += TYPES[entry.detail?.kind] ?? '';
    if (types !== '') record('g', types, read());
  });
  observer.observe({ entryTypes: ['gc'] });
  setInterval(() => record('s', '', read()), 1000).unref();
  setInterval(flush, 60_000).unref();
  process.on('SIGUSR2', () => record('p', 'probe'));
  process.on('exit', flush);
}
