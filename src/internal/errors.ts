/**
 * Errors with stable codes. A code is part of the public contract: scripts match on it and docs/errors.md explains
 * it (a test checks that every code here is documented there). Never reuse or rename a code.
 */
export const ERROR_CODES = {
  MEMSCOPE_E_INVALID_OPTION: { exitCode: 2, meaning: 'An option or argument is missing, of the wrong type or outside its allowed range.' },
  MEMSCOPE_E_USAGE: { exitCode: 2, meaning: 'The command line could not be understood (unknown command or flag).' },
  MEMSCOPE_E_REPORT_UNREADABLE: { exitCode: 3, meaning: 'A report file could not be read (missing, unreadable or a directory).' },
  MEMSCOPE_E_REPORT_CORRUPT: { exitCode: 4, meaning: 'A report file is truncated, malformed or not a memscope report.' },
  MEMSCOPE_E_REPORT_VERSION: { exitCode: 5, meaning: 'A JSON report carries a schema version this memscope does not know.' },
  MEMSCOPE_E_REGRESSION: { exitCode: 6, meaning: 'compare --fail-on-regression found a regression beyond the allowed threshold.' },
  MEMSCOPE_E_TEST_FAILED: { exitCode: 7, meaning: 'One or more memory tests failed their thresholds.' },
  MEMSCOPE_E_LISTEN: { exitCode: 8, meaning: 'A server could not listen on the requested host and port.' },
  MEMSCOPE_E_WRITE: { exitCode: 9, meaning: 'An output file could not be written.' },
  MEMSCOPE_E_TEST_INCONCLUSIVE: { exitCode: 10, meaning: 'A memory test\'s leak check could not speak (too few runs or too short): not a pass; the message says how much longer it needs.' },
  MEMSCOPE_E_INTERNAL: { exitCode: 70, meaning: 'An unexpected internal error; please report it with the message.' },
  MEMSCOPE_E_SNAPSHOT_UNREADABLE: { exitCode: 3, meaning: 'A heap snapshot file could not be read (missing, unreadable or a directory).' },
  MEMSCOPE_E_SNAPSHOT_CORRUPT: { exitCode: 4, meaning: 'A heap snapshot file is truncated, malformed or not a V8 heap snapshot.' },
  MEMSCOPE_E_JOBS_UNFINISHED: { exitCode: 75, meaning: 'memscope serve stopped before every accepted job finished (drain timeout, or a second signal); each is logged as failed.' },
  MEMSCOPE_E_REPORT_TOO_LARGE: { exitCode: 4, meaning: 'A report file is larger than the most a report may be (256 MiB by default).' },
  MEMSCOPE_E_NOT_COMPARABLE: { exitCode: 12, meaning: 'compare refused two runs that did different work (workload, points per iteration or batch size) without --force.' },
  MEMSCOPE_E_LEAK_SUSPECTED: { exitCode: 11, meaning: 'memscope run --fail-on-leak: the command succeeded but the leak verdict of the process that did the work is a suspected leak.' },
  MEMSCOPE_E_COMMAND_NOT_STARTED: { exitCode: 127, meaning: 'memscope run could not start the command (not found, or not executable).' },
  MEMSCOPE_E_STRESS_FAILED: { exitCode: 13, meaning: 'memscope stress: one or more thresholds failed (client or memory); the message names each.' },
  MEMSCOPE_E_TARGET: { exitCode: 14, meaning: 'memscope stress: the target did not start, printed no URL, or does not answer.' },
  MEMSCOPE_E_TEST_FILE: { exitCode: 15, meaning: 'memscope test or benchmark: a memory test or workload file was not found, could not be loaded (a syntax error, a missing import, TypeScript on a Node that cannot strip types), or declares nothing to run; or a workload of the user\'s threw.' },
  MEMSCOPE_E_PNG_UNAVAILABLE: { exitCode: 16, meaning: 'A PNG was asked for, but resvg\'s native binding for this platform is not installed (npm install --omit=optional leaves it out); SVG and HTML need nothing native.' },
  MEMSCOPE_E_INTERRUPTED: { exitCode: 130, meaning: 'memscope stress was stopped by SIGINT/SIGTERM (Ctrl-C); what was measured until then was judged and written.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable `code` and the process exit code the CLI maps it to. */
export class MemscopeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MemscopeError';
    this.code = code;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }
}

/** The configuration error thrown at construction: names the field, what is allowed and what was given. */
export function invalidOption(field: string, allowed: string, got: unknown): MemscopeError {
  return new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `${field} must be ${allowed}; got ${describe(got)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}

/**
 * The message of anything thrown, without assuming it is an Error — and without throwing itself: a thrown object
 * whose toString() or message getter throws (or `Object.create(null)`) still gets a description.
 */
export function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) {
      const message: unknown = error.message;
      return typeof message === 'string' ? message : String(message);
    }
    return String(error);
  } catch {
    try {
      return Object.prototype.toString.call(error);
    } catch {
      return 'an error that cannot be described';
    }
  }
}
