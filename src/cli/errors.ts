import { CommanderError } from 'commander';
import { ERROR_CODES, MemscopeError, errorMessage } from '../internal/errors.js';

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
    // Commander already printed its message (unknown option, missing argument ...).
    return error.exitCode === 0 ? 0 : ERROR_CODES.MEMSCOPE_E_USAGE.exitCode;
  }
  stderr.write(`memscope: MEMSCOPE_E_INTERNAL: ${errorMessage(error)}\n`);
  if (process.env.MEMSCOPE_DEBUG === '1' && error instanceof Error) stderr.write(`${error.stack ?? ''}\n`);
  return ERROR_CODES.MEMSCOPE_E_INTERNAL.exitCode;
}
