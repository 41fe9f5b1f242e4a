/**
 * Bytes pulled chunk by chunk from a file or a stream (`v8.getHeapSnapshot()` is one). The scanners in
 * json-scan.ts read `buf` from `pos` directly in their hot loops and call fill() only at a chunk's end, so a
 * snapshot of any size is read with one chunk in memory at a time.
 */
export class ByteSource {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  /** Bytes consumed before the current chunk: with `pos`, the offset named in error messages. */
  private offset = 0;
  private readonly chunks: AsyncIterator<unknown>;

  constructor(stream: AsyncIterable<unknown>) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  /** Replaces the consumed chunk with the next one; false at the end of the input. */
  async fill(): Promise<boolean> {
    for (;;) {
      const next = await this.chunks.next();
      if (next.done === true) return false;
      const value: unknown = next.value;
      const chunk = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
      this.offset += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
      if (chunk.length > 0) return true;
    }
  }

  /** The next byte that is not JSON whitespace, without consuming it; -1 at the end of the input. */
  async peekSignificant(): Promise<number> {
    for (;;) {
      const { buf } = this;
      let pos = this.pos;
      while (pos < buf.length) {
        const c = buf[pos] ?? 0;
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          this.pos = pos;
          return c;
        }
        pos++;
      }
      this.pos = pos;
      if (!(await this.fill())) return -1;
    }
  }

  /** Consumes the next significant byte, which must be `expected`. */
  async expect(expected: number, what: string): Promise<void> {
    const c = await this.peekSignificant();
    if (c !== expected) throw new SnapshotSyntaxError(`expected ${what} at byte ${this.position()}, found ${describeByte(c)}`);
    this.pos++;
  }

  /** Absolute offset of `pos` in the input. */
  position(): number {
    return this.offset + this.pos;
  }

  /** Stops reading the underlying stream (closes the file) when parsing ends early. */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

/** The input is not the JSON a heap snapshot is made of; the reader turns it into MEMSCOPE_E_SNAPSHOT_CORRUPT. */
export class SnapshotSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotSyntaxError';
  }
}

export function describeByte(c: number): string {
  return c < 0 ? 'the end of the file (truncated?)' : JSON.stringify(String.fromCharCode(c));
}
