/**
 * Run-time problems are reported, never thrown (the OpenTelemetry error-handling rule): each distinct problem is
 * emitted once as a Node.js process warning with a stable code, so it shows on stderr, can be captured with
 * `process.on('warning')` and silenced with `--disable-warning=<code>` (Node 21.3+), like Node's own warnings.
 */
export class WarnOnce {
  private readonly seen = new Set<string>();

  /** Emits `message` under `code` the first time `key` is seen. Returns whether it was emitted. */
  warn(key: string, code: string, message: string): boolean {
    if (this.seen.has(key)) return false;
    // Bounded: a pathological stream of distinct keys must not grow this set without end.
    if (this.seen.size >= 1000) return false;
    this.seen.add(key);
    process.emitWarning(message, { type: 'MemscopeWarning', code });
    return true;
  }
}
