// One parser on one snapshot, in its own process so its peak RSS is its own: prints a JSON line.
//   node heap-parse-child.mjs <candidate> <file.heapsnapshot> <scratch dir with the third-party candidates>
// Candidates: memscope-read (the streaming reader), memscope-analyse (reader + dominators, retained sizes and
// shortest paths: what heap-diff computes), memlab (@memlab/heap-analysis getFullHeapFromFile: parse + its
// dominators, retained sizes and paths), v8-heapsnapshot (parseSnapshotFromFile: parse into objects).
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [candidate, file, scratch = '.'] = process.argv.slice(2);
const requireScratch = createRequire(join(scratch, 'package.json'));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let nodes = 0;
if (candidate === 'memscope-read' || candidate === 'memscope-analyse') {
  const { readHeapSnapshot } = await import('../../dist/heap/reader/read-heap-snapshot.js');
  const s = await readHeapSnapshot(file);
  nodes = s.nodeCount;
  if (candidate === 'memscope-analyse') {
    const { essentialEdgeMask } = await import('../../dist/heap/graph/essential-edges.js');
    const { dominatorTree } = await import('../../dist/heap/graph/dominators.js');
    const { shortestPaths } = await import('../../dist/heap/graph/retainer-paths.js');
    const mask = essentialEdgeMask(s);
    const dom = dominatorTree(s, mask);
    shortestPaths(s, mask);
    if (!(dom.retained[0] > 0)) throw new Error('no retained size');
  }
} else if (candidate === 'memlab') {
  const { getFullHeapFromFile } = requireScratch('@memlab/heap-analysis');
  const heap = await getFullHeapFromFile(file);
  nodes = heap.nodes.length;
} else if (candidate === 'v8-heapsnapshot') {
  const { parseSnapshotFromFile } = requireScratch('v8-heapsnapshot');
  const snapshot = await parseSnapshotFromFile(file);
  nodes = snapshot.nodes.length;
} else {
  throw new Error(`unknown candidate ${candidate}`);
}
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ candidate, nodes, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }));
