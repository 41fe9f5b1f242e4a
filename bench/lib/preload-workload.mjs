// The program bench/preload.bench.ts runs in fresh processes: `startup` exits as soon as its first line ran; `steady`
// churns request-like garbage for `ms` and prints how many rounds it did. `in-code` starts memscope the way a program
// that imports it does (the SDK's own cost, the reference); otherwise memscope is there only if preloaded.
//   node [--import memscope/register] preload-workload.mjs <startup|steady> <plain|in-code> [ms]
const [mode = 'startup', how = 'plain', ms = '2000'] = process.argv.slice(2);
if (how === 'in-code') {
  const { startMemscope } = await import('../../dist/index.js');
  await startMemscope({ server: false });
}
if (mode === 'startup') {
  console.log('{}');
  process.exit(0);
}
let rounds = 0;
let sink;
const end = performance.now() + Number(ms);
while (performance.now() < end) {
  for (let i = 0; i < 2000; i++) sink = { i, s: `SITE1.AHU-${i % 40}.SA-T`, v: [i, i + 1] };
  rounds++;
  // Yield now and then, as a service does between requests: memscope's timers and observers get their turn.
  if (rounds % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
}
void sink;
console.log(JSON.stringify({ rounds }));
process.exit(0);
