// What `--import memscope/register` costs a program, against the same program with no memscope and with memscope
// started in code (startMemscope(), the SDK's own cost): startup time (spawn to exit of a program that does nothing)
// and steady-state throughput of a garbage-churning loop. Fresh processes, alternating order, paired ratios.
import { execFileSync } from 'node:child_process';
import { saveResult, table } from './lib/results.js';

const program = new URL('./lib/preload-workload.mjs', import.meta.url).pathname;
const register = new URL('../dist/register.js', import.meta.url).href;
const MODES = ['none', 'in-code', 'preload'] as const;
type Mode = (typeof MODES)[number];
const STARTUP_ROUNDS = 31;
const STEADY_ROUNDS = 9;
const STEADY_MS = 2000;

function spawnOnce(mode: Mode, phase: 'startup' | 'steady'): { wallMs: number; rounds: number } {
  const args = [...(mode === 'preload' ? ['--import', register] : []), program, phase, mode === 'in-code' ? 'in-code' : 'plain', String(STEADY_MS)];
  const t0 = performance.now();
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const wallMs = performance.now() - t0;
  const last = JSON.parse(out.trim().split('\n').at(-1)!) as { rounds?: number };
  return { wallMs, rounds: last.rounds ?? 0 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(phase: 'startup' | 'steady', rounds: number): Record<Mode, number[]> {
  const values: Record<Mode, number[]> = { none: [], 'in-code': [], preload: [] };
  for (let r = 0; r < rounds; r++) {
    // Rotate the order so that drift (other load on the shared machine) favours no mode.
    const order = [...MODES.slice(r % 3), ...MODES.slice(0, r % 3)];
    for (const mode of order) {
      const result = spawnOnce(mode, phase);
      values[mode].push(phase === 'startup' ? result.wallMs : result.rounds / (STEADY_MS / 1000));
    }
  }
  return values;
}

const startup = measure('startup', STARTUP_ROUNDS);
const steady = measure('steady', STEADY_ROUNDS);
const paired = (a: number[], b: number[]): number => median(a.map((v, i) => v / b[i]!));
/** The middle half of the rounds' paired ratios: how much the shared machine moved the figures. */
const spread = (a: number[], b: number[]): string => {
  const r = a.map((v, i) => v / b[i]!).sort((x, y) => x - y);
  return `${r[Math.floor(r.length / 4)]!.toFixed(2)}–${r[Math.floor((r.length * 3) / 4)]!.toFixed(2)}`;
};

const startupRows = MODES.map((m) => [m, `${median(startup[m]).toFixed(1)} ms`, `+${(median(startup[m]) - median(startup.none)).toFixed(1)} ms`, `${paired(startup[m], startup['in-code']).toFixed(2)}×`, spread(startup[m], startup['in-code'])]);
const steadyRows = MODES.map((m) => [m, median(steady[m]).toFixed(0), `${(paired(steady[m], steady.none) * 100).toFixed(1)}%`, `${(paired(steady[m], steady['in-code']) * 100).toFixed(1)}%`, spread(steady[m], steady['in-code'])]);

saveResult({
  suite: 'preload',
  title: 'Preload (`--import memscope/register`) vs memscope started in code vs no memscope',
  sections: [
    table(['Startup', 'Spawn to exit (median)', 'Over no memscope', 'Relative to in code (median of paired rounds)', 'Middle half of the paired ratios'], startupRows),
    table(['Steady state', 'Rounds/s (median)', 'Of no memscope', 'Of in code (median of paired rounds)', 'Middle half of the paired ratios'], steadyRows),
    `Startup: a program that exits after its first line, ${STARTUP_ROUNDS} rounds; steady state: ${STEADY_MS} ms of ` +
      `request-like garbage churn yielding to the event loop every 50 rounds, ${STEADY_ROUNDS} rounds. Each round runs the three ` +
      'modes in fresh processes in rotating order; ratios are medians of the rounds\' paired ratios. `in-code` is ' +
      "`startMemscope({ server: false })` awaited before the program's work — the SDK's own cost, which the preload " +
      'also pays; the preload adds the process lifecycle (exit report hooks, no report directory here) and the thread collector.',
  ],
  figures: Object.fromEntries(MODES.flatMap((m) => [[`startup ${m} ms`, median(startup[m])], [`steady ${m} rounds/s`, median(steady[m])]])),
});
