// Writes docs/signal-quality.md from the results of `npm run bench:signal` (runs) and `npm run bench:signal:replay`
// (replays). Never typed by hand: regenerate after every benchmark run.
//
//   npm run bench:signal:report -- [--results FILE] [--replays FILE] [--out docs/signal-quality.md]
// Defaults: results/results.jsonl and results/replay.jsonl (what run.ts and replay.ts write by default) when they
// exist, else the committed baseline (results/baseline.jsonl.gz, results/baseline-replay.jsonl: today's detector).
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readJsonLines } from './lib/json-lines.js';
import { SQ_DIR } from './lib/launch.js';
import { renderReport } from './lib/render-report.js';
import type { ReplayResult } from './lib/report.js';
import { readResults } from './lib/results.js';

const ROOT = resolve(SQ_DIR, '..', '..');
const RESULTS = join(SQ_DIR, 'results');
/** Your own results when there are some (the runs' and replays' default --out), else the committed baseline. */
const mine = (file: string, baseline: string): string => (existsSync(join(RESULTS, file)) ? join(RESULTS, file) : join(RESULTS, baseline));
const { values } = parseArgs({
  options: {
    results: { type: 'string', default: mine('results.jsonl', 'baseline.jsonl.gz') },
    replays: { type: 'string', default: mine('replay.jsonl', 'baseline-replay.jsonl') },
    out: { type: 'string', default: join(ROOT, 'docs', 'signal-quality.md') },
  },
});
const resultsFile = resolve(values.results);
const replaysFile = resolve(values.replays);
if (!existsSync(resultsFile)) throw new Error(`no results at ${resultsFile}: run npm run bench:signal first (or pass --results)`);
const { results, skipped } = readResults(resultsFile);
const replays = readJsonLines<ReplayResult>(replaysFile);
const text = renderReport({
  results,
  replays,
  resultsFile: relative(ROOT, resultsFile),
  replaysFile: relative(ROOT, replaysFile),
});
writeFileSync(resolve(values.out), text);
console.log(`wrote ${relative(ROOT, resolve(values.out))} from ${results.length} runs${skipped > 0 ? ` (${skipped} unreadable lines skipped)` : ''} and ${replays.length} replays`);
