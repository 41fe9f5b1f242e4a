import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { buildProgram, main } from '../../src/cli/program.js';

// The CLI's arguments over generated command lines: every one ends in a coded exit — 0, or 2 with
// `memscope: MEMSCOPE_E_…` or commander's usage error — never the internal-error exit 70, a crash or a hang; and
// whatever an option's parser accepts is within the range its help states. Actions are stubbed: this is about
// parsing, not about running benchmarks (each command's behaviour has its own tests).

/** Documented ranges of numeric options, by commander's attribute name. */
const RANGES: Record<string, [number, number]> = {
  port: [0, 65_535],
  concurrency: [1, 64],
  drainTimeout: [1, Number.MAX_SAFE_INTEGER],
  iterations: [1, 10_000],
  points: [1, 50_000_000],
  batchSize: [1, 1_000_000],
  seed: [1, 2 ** 32 - 1],
  width: [320, 8000],
  height: [240, 8000],
  iteration: [1, 1_000_000],
  pixelRatio: [1, 4],
  columns: [100, 20_000],
  tolerance: [0, Number.MAX_VALUE],
  failOnRegression: [0, Number.MAX_VALUE],
  injectLeak: [0, Number.MAX_VALUE],
  injectLeakPerRequest: [0, Number.MAX_VALUE],
  injectSpike: [0, Number.MAX_VALUE],
};

interface Outcome { code: number; stderr: string; actions: Array<{ command: string; options: Record<string, unknown> }> }

function sink(): Writable & { text: string } {
  const s = new Writable({ write(chunk: Buffer, _enc, done) { s.text += chunk.toString(); done(); } }) as Writable & { text: string };
  s.text = '';
  return s;
}

/** The real program with every action replaced by one that records what it was given. */
function stubbed(actions: Outcome['actions']): Command {
  const program = buildProgram();
  for (const command of program.commands) {
    command.action((...args: unknown[]) => {
      const options = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a) && !('commands' in a)) as Record<string, unknown> | undefined;
      actions.push({ command: command.name(), options: options ?? {} });
    });
  }
  return program;
}

async function run(args: string[]): Promise<Outcome> {
  const actions: Outcome['actions'] = [];
  const stderr = sink();
  const code = await main(['node', 'memscope', ...args], { program: stubbed(actions), stdout: sink(), stderr });
  return { code, stderr: stderr.text, actions };
}

const program = buildProgram();
const COMMANDS = program.commands.map((c) => c.name());
const FLAGS = [...new Set(program.commands.flatMap((c) => c.options.map((o) => o.long ?? '')).filter((f) => f !== ''))];

// Edge values first (empty, blank, signs, exponents, hex, non-ASCII digits, 400 digits, units, phases), then any.
const EDGES = fc.constantFrom('0', '1', '64', '65', '65535', '65536', '-1', '1.5', '1e3', '0x10', ' 5', '', ' ', '007', '١٢', 'NaN', 'Infinity',
  '9'.repeat(400), '1MiB/s', '64KiB', '9'.repeat(400) + 'KiB/s', '10%', '-5%', 'heap', 'classify:200', 'classify:', ':5', 'parse:99999999', 'png',
  'phases', 'out.png', 'r.html', '--port', '\u0000', '::1');
const VALUE = fc.oneof(
  { arbitrary: EDGES, weight: 6 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.double().map(String), weight: 1 },
);
/** A command's own flags, so that generated values mostly reach its parsers. */
const flagsOf = (name: string): string[] => program.commands.find((c) => c.name() === name)?.options.map((o) => o.long ?? '').filter((f) => f !== '') ?? FLAGS;

// Mostly a flag of the command followed by a value (what reaches the parsers), sometimes another command's flag, a
// lone flag or value, or a control flag.
const tokens = (flags: string[]) => fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom(...flags), VALUE).map(([flag, value]) => [flag, value]), weight: 8 },
  { arbitrary: fc.tuple(fc.constantFrom(...flags), VALUE).map(([flag, value]) => [`${flag}=${value}`]), weight: 2 },
  { arbitrary: fc.oneof(fc.constantFrom(...FLAGS), VALUE).map((t) => [t]), weight: 2 },
  { arbitrary: fc.constantFrom('--help', '--version', '-V', '--nope', '-x', '--').map((t) => [t]), weight: 1 },
);
const ARGV = fc.oneof({ arbitrary: fc.constantFrom(...COMMANDS), weight: 8 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 })
  .chain((command) => fc.array(tokens(flagsOf(command)), { maxLength: 4 }).map((rest) => [command, ...rest.flat()]));

describe('memscope arguments (property)', () => {
  it('exits 0 or 2 with a coded message, and only passes values within the documented ranges', async () => {
    await fc.assert(
      fc.asyncProperty(ARGV, async (args) => {
        const { code, stderr, actions } = await run(args);
        expect([0, 2], `exit ${code} for ${JSON.stringify(args)}: ${stderr}`).toContain(code);
        // One documented line: never commander's `error: …` nor the whole help.
        if (code === 2) expect(stderr).toMatch(/^memscope: MEMSCOPE_E_(INVALID_OPTION|USAGE): [^\n]+\n$/);
        expect(stderr).not.toMatch(/MEMSCOPE_E_INTERNAL/);
        for (const { options } of actions) {
          for (const [name, value] of Object.entries(options)) {
            const range = RANGES[name];
            if (range === undefined) continue;
            expect(typeof value, `${name}=${String(value)} from ${JSON.stringify(args)}`).toBe('number');
            expect(Number.isFinite(value), `${name}=${String(value)} from ${JSON.stringify(args)}`).toBe(true);
            expect(value as number).toBeGreaterThanOrEqual(range[0]);
            expect(value as number).toBeLessThanOrEqual(range[1]);
          }
          if (typeof options.host === 'string') expect(options.host).toMatch(/^[\x21-\x7e]+$/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses an empty --host rather than binding every interface', async () => {
    const { code, stderr } = await run(['serve', '--host', '']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--host/);
  });

  it('refuses sizes and rates too large to be numbers', async () => {
    for (const args of [['serve', '--inject-leak', `${'9'.repeat(400)}KiB/s`], ['serve', '--inject-spike', '9'.repeat(400)]]) {
      const { code, stderr } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(/^memscope: MEMSCOPE_E_INVALID_OPTION: /);
    }
  });

  it('prints a usage error as the documented one-line `memscope: MEMSCOPE_E_USAGE: …`, exit 2, not commander\'s text and the help', async () => {
    for (const args of [['compare', '--nope', 'a.json', 'b.json'], ['frobnicate'], ['compare', 'a.json']]) {
      const { code, stderr } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(/^memscope: MEMSCOPE_E_USAGE: (unknown option '--nope'|unknown command 'frobnicate'|missing required argument 'current') \(see memscope --help, or memscope <command> --help\)\n$/);
    }
  });
});
