import { Command } from 'commander';
import { MEMSCOPE_VERSION } from '../version.js';
import { benchmarkCommand } from './commands/benchmark.js';
import { compareCommand } from './commands/compare.js';
import { heapDiffCommand } from './commands/heap-diff.js';
import { plotCommand } from './commands/plot.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { testCommand } from './commands/test.js';
import { reportError } from './errors.js';

/** Wires the commands; each lives in commands/<name>.ts. Exit codes come from reportError() only. */
export function buildProgram(): Command {
  const program = new Command('memscope')
    .description('Memory observability and memory testing for Node.js services')
    .version(MEMSCOPE_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(serveCommand());
  program.addCommand(testCommand());
  program.addCommand(benchmarkCommand());
  program.addCommand(compareCommand());
  program.addCommand(plotCommand());
  program.addCommand(reportCommand());
  program.addCommand(heapDiffCommand());
  program.addCommand(runCommand());
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    // `memscope run` ends with the status of the command it ran, which its action leaves here.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error);
  }
}

