import { describeByte, SnapshotSyntaxError, type ByteSource } from './byte-source.js';

/**
 * The few JSON shapes a heap snapshot is made of, scanned from a ByteSource without building the document: flat
 * integer arrays go straight into typed-array columns, the string table into one array, and the small header is
 * the only part handed to JSON.parse. Each loop runs synchronously over the current chunk and awaits only for the
 * next one, so hundreds of millions of numbers cost no promise each.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const MINUS = 0x2d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const ZERO = 0x30;
const NINE = 0x39;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export type Column = Uint8Array | Uint32Array | Float64Array;

/**
 * Where the numbers of a flat array go: value k goes to `columns[k % width]` at row `floor(k / width)`; an
 * undefined column drops its field. `grow` is called when a row would not fit (arrays of unknown length).
 */
export interface ColumnTargets {
  width: number;
  columns: Array<Column | undefined>;
  rows: number;
  grow?: () => void;
  /**
   * Numbers may be negative (a "-" before the digits). V8 writes -1 for a line or column it does not know in
   * `locations` (seen on Node 24); every other section holds indices, counts and ids, never negative.
   */
  signed?: boolean;
}

const truncated = (src: ByteSource): SnapshotSyntaxError => new SnapshotSyntaxError(`unexpected end of the file at byte ${src.position()} (truncated?)`);

/**
 * Reads `[n, n, ...]` of non-negative integers (or any integers, when `targets.signed`) into `targets`; returns how
 * many numbers were read. A negative number stored in an unsigned column wraps (-1 becomes 2³² − 1).
 */
export async function readIntArray(src: ByteSource, targets: ColumnTargets): Promise<number> {
  await src.expect(OPEN_BRACKET, '"["');
  const { width } = targets;
  let value = 0;
  let negative = false;
  let inNumber = false;
  let needValue = true;
  let field = 0;
  let row = 0;
  let count = 0;
  for (;;) {
    const { buf } = src;
    const n = buf.length;
    let pos = src.pos;
    while (pos < n) {
      const c = buf[pos++] ?? 0;
      if (c >= ZERO && c <= NINE) {
        if (!inNumber && !needValue) throw syntax(src, pos - 1, c, '"," between numbers');
        value = value * 10 + (c - ZERO);
        inNumber = true;
        continue;
      }
      if (inNumber) {
        if (row >= targets.rows) {
          if (targets.grow === undefined) throw new SnapshotSyntaxError(`more numbers than the header announces (${targets.rows} rows of ${width})`);
          targets.grow();
        }
        const column = targets.columns[field];
        if (column !== undefined) column[row] = negative ? -value : value;
        if (++field === width) {
          field = 0;
          row++;
        }
        count++;
        value = 0;
        negative = false;
        inNumber = false;
        needValue = false;
      } else if (negative) {
        throw syntax(src, pos - 1, c, 'a digit after "-"');
      }
      if (c === MINUS && targets.signed === true && needValue) {
        negative = true;
        continue;
      }
      if (c === COMMA) {
        if (needValue) throw syntax(src, pos - 1, c, 'a number');
        needValue = true;
      } else if (c === CLOSE_BRACKET) {
        if (needValue && count > 0) throw syntax(src, pos - 1, c, 'a number');
        src.pos = pos;
        return count;
      } else if (!isSpace(c)) {
        throw syntax(src, pos - 1, c, 'a non-negative integer');
      }
    }
    src.pos = pos;
    if (!(await src.fill())) throw truncated(src);
  }
}

/** Reads `["...", "...", ...]`. Strings without escapes are decoded straight from the chunk. */
export async function readStringArray(src: ByteSource): Promise<string[]> {
  await src.expect(OPEN_BRACKET, '"["');
  const out: string[] = [];
  // 0: a string or "]" expected; 1: inside a string; 2: "," or "]" expected.
  let state = 0;
  let escaped = false;
  let hasEscape = false;
  let parts: Buffer[] = [];
  for (;;) {
    const { buf } = src;
    const n = buf.length;
    let pos = src.pos;
    let start = pos;
    while (pos < n) {
      const c = buf[pos++] ?? 0;
      if (state === 1) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = hasEscape = true;
        else if (c === QUOTE) {
          const last = buf.subarray(start, pos - 1);
          out.push(decodeString(parts.length === 0 ? last : Buffer.concat([...parts, last]), hasEscape));
          parts = [];
          state = 2;
        }
      } else if (c === QUOTE && state === 0) {
        state = 1;
        hasEscape = false;
        start = pos;
      } else if (c === COMMA && state === 2) {
        state = 0;
      } else if (c === CLOSE_BRACKET && (state === 2 || out.length === 0)) {
        src.pos = pos;
        return out;
      } else if (!isSpace(c)) {
        throw syntax(src, pos - 1, c, state === 0 ? 'a string' : '"," or "]"');
      }
    }
    // A string running past the chunk keeps its bytes so far (chunks are never reused, so no copy is needed).
    if (state === 1) parts.push(buf.subarray(start, n));
    src.pos = pos;
    if (!(await src.fill())) throw truncated(src);
  }
}

function decodeString(bytes: Buffer, hasEscape: boolean): string {
  const text = bytes.toString('utf8');
  if (!hasEscape) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    throw new SnapshotSyntaxError(`malformed string ${JSON.stringify(text.slice(0, 60))}`);
  }
}

/** Reads an object key (or any string value). */
export async function readKey(src: ByteSource): Promise<string> {
  await src.expect(QUOTE, 'a key');
  const parts: Buffer[] = [];
  let escaped = false;
  let hasEscape = false;
  for (;;) {
    const { buf } = src;
    const start = src.pos;
    for (let pos = start; pos < buf.length; pos++) {
      const c = buf[pos] ?? 0;
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = hasEscape = true;
      else if (c === QUOTE) {
        src.pos = pos + 1;
        return decodeString(Buffer.concat([...parts, buf.subarray(start, pos)]), hasEscape);
      }
    }
    parts.push(buf.subarray(start));
    src.pos = buf.length;
    if (!(await src.fill())) throw truncated(src);
  }
}

/**
 * Consumes one JSON value (object, array, string or scalar) by matching brackets outside strings. With `keep`, its
 * text is returned (for the small header); without, nothing is kept (sections memscope does not use, such as the
 * allocation trace tree, which can be large).
 */
export async function skipValue(src: ByteSource, keep = false): Promise<string> {
  const first = await src.peekSignificant();
  if (first < 0) throw truncated(src);
  const parts: Buffer[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  const scalar = first !== OPEN_BRACE && first !== OPEN_BRACKET && first !== QUOTE;
  for (;;) {
    const { buf } = src;
    const start = src.pos;
    for (let pos = start; pos < buf.length; pos++) {
      const c = buf[pos] ?? 0;
      let done = false;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          done = depth === 0;
        }
      } else if (scalar) {
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) {
          if (keep) parts.push(buf.subarray(start, pos));
          src.pos = pos;
          return keep ? Buffer.concat(parts).toString('utf8') : '';
        }
      } else if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        done = depth === 0;
      }
      if (done) {
        if (keep) parts.push(buf.subarray(start, pos + 1));
        src.pos = pos + 1;
        return keep ? Buffer.concat(parts).toString('utf8') : '';
      }
    }
    if (keep) parts.push(buf.subarray(start));
    src.pos = buf.length;
    if (!(await src.fill())) {
      if (scalar) return keep ? Buffer.concat(parts).toString('utf8') : '';
      throw truncated(src);
    }
  }
}

function syntax(src: ByteSource, pos: number, c: number, expected: string): SnapshotSyntaxError {
  return new SnapshotSyntaxError(`expected ${expected} at byte ${src.position() - src.pos + pos}, found ${describeByte(c)}`);
}
