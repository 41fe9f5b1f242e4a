/** A one-line progress bar on stderr — only when stderr is a terminal (never in CI logs or pipes), and never with --json. */
export interface Progress {
  update(done: number, note?: string): void;
  done(): void;
}

const NOOP: Progress = { update: () => undefined, done: () => undefined };

export function createProgress(label: string, total: number, options: { enabled?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.enabled === false || !stream.isTTY) return NOOP;
  const width = 24;
  let last = '';
  return {
    update(done, note) {
      const filled = Math.round((Math.min(done, total) / Math.max(total, 1)) * width);
      const line = `${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${note === undefined ? '' : ` ${note}`}`;
      if (line !== last) stream.write(`\r${line.padEnd(last.length)}`);
      last = line;
    },
    done() {
      if (last !== '') stream.write(`\r${' '.repeat(last.length)}\r`);
    },
  };
}
