import { errorMessage } from '../../internal/errors.js';

/** User code that did not settle in time: a promise that never resolves, or work far longer than planned. */
export class UserCodeTimeout extends Error {
  /** @param what what did not settle and the time it had, e.g. `iteration 2 (its timeout: 300 ms)` */
  constructor(what: string) {
    super(`${what} did not settle in time (a promise that never resolves?)`);
    this.name = 'UserCodeTimeout';
  }
}

/**
 * What the CLI puts around a user's memory tests and workloads, so that their code cannot decide memscope's outcome
 * behind its back: an error that escapes (a rejection nobody awaits, a throw in a timer) is collected for the test that
 * was running instead of killing the run; `process.exit()` throws instead of ending the process without a report; a
 * `process.exitCode` set by the user's code is put back. `stop()` undoes all of it.
 */
export class UserCodeGuard {
  private escaped: string[] = [];
  private active = false;
  // The very function, unbound: stop() puts back what was there, so nothing that compares it sees a stand-in.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  private savedExit: typeof process.exit = process.exit;
  private savedExitCode: typeof process.exitCode;

  private readonly onRejection = (reason: unknown): void => {
    this.escaped.push(`an unhandled rejection: ${describe(reason)}`);
  };

  private readonly onException = (error: unknown): void => {
    this.escaped.push(`an uncaught exception: ${describe(error)}`);
  };

  start(): this {
    if (this.active) return this;
    this.active = true;
    this.savedExitCode = process.exitCode;
    // eslint-disable-next-line @typescript-eslint/unbound-method
    this.savedExit = process.exit;
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
    process.exit = (code?: number | string | null): never => {
      throw new Error(`process.exit(${code === undefined ? '' : String(code)}) was called by the code under test; memscope decides its own exit status`);
    };
    return this;
  }

  /** The errors that escaped since the last call (and forgets them). */
  takeEscaped(): string[] {
    const out = this.escaped;
    this.escaped = [];
    return out;
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
    process.exit = this.savedExit;
    process.exitCode = this.savedExitCode;
  }
}

/**
 * `work` raced against `ms`: rejects with UserCodeTimeout when it has not settled by then. The timer is referenced on
 * purpose — a promise that never settles keeps no handle alive, and without one Node would end the CLI mid-run.
 */
export async function withTimeout<T>(work: () => T | PromiseLike<T>, ms: number, what: string): Promise<Awaited<T>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(work) as Promise<Awaited<T>>,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => { reject(new UserCodeTimeout(what)); }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(value: unknown): string {
  try {
    return (errorMessage(value).split('\n')[0] ?? '').slice(0, 500) || String(value);
  } catch {
    return 'a value that cannot be shown';
  }
}
