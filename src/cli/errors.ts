import { CommanderError } from 'commander';
import { ERROR_CODES, MemscopeError, errorMessage } from '../internal/errors.js';
import { terminalSafe } from '../report/terminal-text.js';

/**
 * The one place errors become messages and exit codes. Known errors print `memscope: <CODE>: <message>`; anything
 * else is a bug and says so, with the stack only under MEMSCOPE_DEBUG=1.
 */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof MemscopeError) {
    stderr.write(`memscope: ${error.code}: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) {
    // --help and --version end with exit code 0 and have printed what was asked for; a bare `memscope` printed the
    // help as its usage error.
    if (error.exitCode === 0) return 0;
    if (error.code === 'commander.help') return ERROR_CODES.MEMSCOPE_E_USAGE.exitCode;
    // One line, whatever the user typed: commander's "(Did you mean …?)" joins it, control characters are shown escaped.
    const message = terminalSafe(error.message.replace(/^error:\s*/, '').trim().replace(/\s*\n\s*/g, ' '));
    // An option's parser refused its value (commander wraps the parser's InvalidArgumentError): a bad value, not a
    // command line that could not be understood.
    const code = error.code === 'commander.invalidArgument' ? 'MEMSCOPE_E_INVALID_OPTION' : 'MEMSCOPE_E_USAGE';
    stderr.write(`memscope: ${code}: ${message} (see memscope --help, or memscope <command> --help)\n`);
    return ERROR_CODES[code].exitCode;
  }
  stderr.write(`memscope: MEMSCOPE_E_INTERNAL: ${errorMessage(error)}\n`);
  if (process.env.MEMSCOPE_DEBUG === '1' && error instanceof Error) stderr.write(`${error.stack ?? ''}\n`);
  return ERROR_CODES.MEMSCOPE_E_INTERNAL.exitCode;
}
