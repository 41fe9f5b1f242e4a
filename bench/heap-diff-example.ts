// The real heap diff shown in docs/heap-snapshots.md, made from the example service: `memscope serve
// --inject-leak-per-request 64KiB` with HeapSnapshotCapture preloaded (`node --import`, no code change), jobs
// posted, a snapshot on SIGUSR2, more jobs, another snapshot; then `memscope heap-diff` as text (into the doc's
// marked section) and as HTML, photographed by Chromium into docs/images/heap-diff.png. Never typed by hand:
//   npx tsx bench/heap-diff-example.ts
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/cli/main.js');
const work = mkdtempSync(join(tmpdir(), 'memscope-heap-example-'));
const snapshots = join(work, 'snapshots');
const preload = join(work, 'memscope-heap.mjs');
writeFileSync(
  preload,
  `import { HeapSnapshotCapture } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/index.js')).href)};\n` +
    `new HeapSnapshotCapture({ directory: ${JSON.stringify(snapshots)}, onDemandMinIntervalMs: 1000,\n` +
    `  onEvent: (e) => console.log('memscope-heap ' + JSON.stringify(e)) }).start();\n`,
);

const service = spawn(process.execPath, ['--import', preload, CLI, 'serve', '--port', '0', '--inject-leak-per-request', '64KiB'], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
service.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
const until = async (pattern: RegExp, timeoutMs = 300_000): Promise<RegExpMatchArray> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const all = [...out.matchAll(new RegExp(pattern.source, 'g'))];
    if (all.length > 0) return all.at(-1)!;
    if (Date.now() > end) throw new Error(`no ${pattern} in:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
const snapshotsTaken = (): string[] => [...out.matchAll(/memscope-heap (\{"type":"snapshot".*\})/g)].map((m) => (JSON.parse(m[1]!) as { path: string }).path);

const url = (await until(/listening on (http:\/\/\S+)/))[1]!;
const points = Array.from({ length: 20 }, (_, i) => ({ name: `SITE1.AHU-${String(i % 4).padStart(2, '0')}.SA-T${i}`, value: 12 + i / 10, units: '°C' }));
async function postJobs(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ points, site: 'SITE1' }) });
    if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
  }
  // Let the queue drain so both snapshots see a quiet service.
  await new Promise((resolve) => setTimeout(resolve, 3000));
}

// 250 jobs first: the bounded job store (200 results) is full before the first snapshot, as in a service that has
// been up a while; what grows after that is the leak.
await postJobs(250);
service.kill('SIGUSR2');
while (snapshotsTaken().length < 1) await new Promise((resolve) => setTimeout(resolve, 200));
await postJobs(100);
service.kill('SIGUSR2');
while (snapshotsTaken().length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
service.kill('SIGTERM');
await new Promise((resolve) => service.once('exit', resolve));

const [before, after] = snapshotsTaken() as [string, string];
const html = join(work, 'heap-diff.html');
const run = spawnSync(process.execPath, [CLI, 'heap-diff', before, after, '--html', html, '--top', '12', '--paths', '3'], { encoding: 'utf8' });
if (run.status !== 0) throw new Error(run.stderr);
// Paths of this machine mean nothing to a reader: the snapshots are named by what they are, sources from the repo.
const tidy = (t: string): string =>
  t.replaceAll(before, 'before.heapsnapshot').replaceAll(after, 'after.heapsnapshot').replaceAll(`file://${ROOT}`, '').replaceAll(ROOT, '');
const text = tidy(run.stdout).replace(/\nmemscope heap-diff: wrote .*\n?$/, '\n').trimEnd();
writeFileSync(html, tidy(readFileSync(html, 'utf8')));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(pathToFileURL(html).href);
mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
await page.screenshot({ path: join(ROOT, 'docs/images/heap-diff.png'), fullPage: true });
await browser.close();

const docPath = join(ROOT, 'docs/heap-snapshots.md');
const doc = readFileSync(docPath, 'utf8');
const begin = '<!-- heap-diff-example:begin -->';
const end = '<!-- heap-diff-example:end -->';
const at = doc.indexOf(begin);
const to = doc.indexOf(end);
if (at < 0 || to < at) throw new Error(`docs/heap-snapshots.md has no ${begin} ... ${end} section`);
const section = `<!-- generated by bench/heap-diff-example.ts — do not edit by hand -->\n\`\`\`\n$ memscope heap-diff before.heapsnapshot after.heapsnapshot --html heap-diff.html --top 12 --paths 3\n${text}\n\`\`\``;
writeFileSync(docPath, `${doc.slice(0, at + begin.length)}\n${section}\n${doc.slice(to)}`);
rmSync(work, { recursive: true, force: true });
console.log(section);
