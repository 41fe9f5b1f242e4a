import { Command } from 'commander';
import { MEMSCOPE_VERSION } from '../version.js';
import { benchmarkCommand } from './commands/benchmark.js';
import { compareCommand } from './commands/compare.js';
import { heapDiffCommand } from './commands/heap-diff.js';
import { plotCommand } from './commands/plot.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { stressCommand } from './commands/stress.js';
import { testCommand } from './commands/test.js';
import { reportError } from './errors.js';

/** Wires the commands; each lives in commands/<name>.ts. Exit codes come from reportError() only. */
export function buildProgram(): Command {
  const program = new Command('memscope')
    .description('Memory observability and memory testing for Node.js services')
    .version(MEMSCOPE_VERSION)
    .exitOverride();
  program.addCommand(serveCommand());
  program.addCommand(testCommand());
  program.addCommand(benchmarkCommand());
  program.addCommand(compareCommand());
  program.addCommand(plotCommand());
  program.addCommand(reportCommand());
  program.addCommand(heapDiffCommand());
  program.addCommand(runCommand());
  program.addCommand(stressCommand());
  for (const command of program.commands) command.exitOverride();
  return program;
}

export interface MainOptions {
  /** The program to run (tests pass one whose actions are stubbed). @default buildProgram() */
  program?: Command;
  /** Where usage errors, help and coded errors go. @default process.stdout / process.stderr */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/**
 * Runs the CLI and returns the exit code; never throws. Arguments are validated by each option's parser before any
 * command runs: a bad one exits 2 (MEMSCOPE_E_INVALID_OPTION, or MEMSCOPE_E_USAGE for an unknown flag or command).
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  try {
    const program = options.program ?? buildProgram();
    const out = options.stdout ?? process.stdout;
    const output = {
      writeOut: (text: string) => { out.write(text); },
      writeErr: (text: string) => { stderr.write(text); },
      // Commander's own `error: …` line is not printed: reportError() prints the documented
      // `memscope: MEMSCOPE_E_USAGE: …` line for it, and one line pointing at --help instead of the whole help.
      outputError: () => {},
    };
    for (const command of [program, ...program.commands]) command.configureOutput(output);
    await program.parseAsync(argv);
    // `memscope run` ends with the status of the command it ran, which its action leaves here.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error, stderr);
  }
}

