import type { Pacer } from './pacer.js';

/**
 * A JSON validator for request bodies that yields to the event loop as it goes and records where the parts of a job
 * `{ "points": [ … ], "site": … }` are, without building the value. JSON.parse on a 9.5 MB body held the loop for
 * 0.67 s; on 9 MB of `[{},{},…]` it held it for 4 s and built 190 MB of objects; on 5 M nested arrays, 3.4 s. Here the
 * body is checked in slices (RFC 8259, as strict as JSON.parse), nesting is bounded, and only the points — one small
 * object each — are parsed afterwards, a group at a time.
 */

/** Deeper nesting is refused: a job is 3 levels deep, and every level costs the validator a stack entry. */
export const MAX_JSON_DEPTH = 64;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset of the offending character in the body. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Valid JSON, nested deeper than MAX_JSON_DEPTH. */
export class JsonDepthError extends Error {
  constructor(readonly offset: number) {
    super(`the JSON is nested more than ${MAX_JSON_DEPTH} levels deep (at character ${offset + 1})`);
    this.name = 'JsonDepthError';
  }
}

export interface Span {
  start: number;
  end: number;
}

/** What the scan found: the top-level value's first character, and for an object the `points` and `site` members. */
export interface JobLayout {
  /** `{` for an object, `[` for an array, `"`, a digit … for the rest. */
  topLevel: string;
  /** How many times each key occurs at the top level (only `points` and `site` are counted). */
  pointsKeys: number;
  siteKeys: number;
  points?: Span;
  site?: Span;
  /** The elements of the `points` array (when it is one): their spans, the first `maxElements` of them. */
  elements: Span[];
  /** How many elements the `points` array has in all. */
  elementCount: number;
}

const enum Expect {
  Value,
  ValueOrClose,
  KeyOrClose,
  Key,
  Colon,
  CommaOrClose,
  End,
}

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
// Sticky patterns used with test(), which moves lastIndex past the match without building a match array: the scanner
// meets ten tokens per point, and an allocation per token doubled its cost.
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
/** A run of plain string characters: up to the closing quote, an escape, or a control character JSON forbids. */
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings: finding them is the point
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function shown(text: string, i: number): string {
  return i >= text.length ? 'the end of the body' : JSON.stringify(text.charAt(i));
}

/** Index just past the string token that starts (with its quote) at `i`; throws on a bad escape or a raw control. */
export function stringEnd(text: string, i: number): number {
  let at = i + 1;
  for (;;) {
    PLAIN.lastIndex = at;
    PLAIN.test(text); // always matches, if only the empty run
    at = PLAIN.lastIndex;
    if (at >= text.length) throw new JsonSyntaxError(`unterminated string starting at character ${i + 1}`, i);
    const c = text.charCodeAt(at);
    if (c === QUOTE) return at + 1;
    if (c !== 0x5c) throw new JsonSyntaxError(`control character U+${c.toString(16).toUpperCase().padStart(4, '0')} in a string at character ${at + 1} (escape it)`, at);
    const next = text.charAt(at + 1);
    if (next === 'u') {
      HEX4.lastIndex = at + 2;
      if (!HEX4.test(text)) throw new JsonSyntaxError(`bad \\u escape at character ${at + 1}`, at);
      at += 6;
    } else if (SIMPLE_ESCAPES.has(next)) {
      at += 2;
    } else {
      throw new JsonSyntaxError(`bad escape ${JSON.stringify(`\\${next}`)} at character ${at + 1}`, at);
    }
  }
}

/** The string's value: slicing is enough when it has no escapes (the common case for keys). */
function decodeString(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  return inner.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

/**
 * Validates `text` as one JSON value and maps where a job's parts are. Throws JsonSyntaxError (not JSON) or
 * JsonDepthError. Yields through `pacer` every few thousand tokens when its slice is used up.
 */
export async function scanJobJson(text: string, pacer: Pacer, maxElements: number): Promise<JobLayout> {
  const n = text.length;
  const stack: number[] = [];
  /** Start offset of the value open at each depth (index = depth at which the value started). */
  const starts: number[] = [];
  const layout: JobLayout = { topLevel: '', pointsKeys: 0, siteKeys: 0, elements: [], elementCount: 0 };
  let expect = Expect.Value;
  let key: string | undefined; // the current top-level key
  let inPoints = false; // inside the top-level `points` array
  let i = 0;
  let tokens = 0;

  /** A value that began at depth `depth` has just ended at `end`; returns what may come next. */
  const valueEnded = (depth: number, end: number): Expect => {
    const start = starts[depth] ?? 0;
    if (depth === 1 && layout.topLevel === '{') {
      if (key === 'points') layout.points = { start, end };
      else if (key === 'site') layout.site = { start, end };
    } else if (depth === 2 && inPoints) {
      if (layout.elementCount < maxElements) layout.elements.push({ start, end });
      layout.elementCount++;
    }
    return stack.length === 0 ? Expect.End : Expect.CommaOrClose;
  };

  for (;;) {
    if ((++tokens & 0x3ff) === 0 && pacer.due) await pacer.breathe();
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
    if (i >= n) {
      if (expect === Expect.End) return layout;
      throw new JsonSyntaxError(n === 0 ? 'the body is empty' : 'unexpected end of the body', i);
    }
    const c = text.charCodeAt(i);
    switch (expect) {
      case Expect.End:
        throw new JsonSyntaxError(`unexpected ${shown(text, i)} after the JSON value at character ${i + 1}`, i);
      case Expect.Colon:
        if (c !== 0x3a) throw new JsonSyntaxError(`expected ":" after an object key at character ${i + 1}, found ${shown(text, i)}`, i);
        i++;
        expect = Expect.Value;
        continue;
      case Expect.CommaOrClose: {
        const top = stack[stack.length - 1];
        if (c === 0x2c) {
          i++;
          expect = top === OPEN_OBJECT ? Expect.Key : Expect.Value;
          continue;
        }
        if ((c === CLOSE_ARRAY && top === OPEN_ARRAY) || (c === CLOSE_OBJECT && top === OPEN_OBJECT)) {
          stack.pop();
          if (stack.length === 1 && inPoints) inPoints = false;
          i++;
          expect = valueEnded(stack.length, i);
          continue;
        }
        throw new JsonSyntaxError(`expected "," or "${top === OPEN_OBJECT ? '}' : ']'}" at character ${i + 1}, found ${shown(text, i)}`, i);
      }
      case Expect.KeyOrClose:
      case Expect.Key: {
        if (c === CLOSE_OBJECT && expect === Expect.KeyOrClose) {
          stack.pop();
          i++;
          expect = valueEnded(stack.length, i);
          continue;
        }
        if (c !== QUOTE) throw new JsonSyntaxError(`expected a string key at character ${i + 1}, found ${shown(text, i)}`, i);
        const end = stringEnd(text, i);
        if (stack.length === 1) {
          key = decodeString(text, i, end);
          if (key === 'points') layout.pointsKeys++;
          else if (key === 'site') layout.siteKeys++;
        }
        i = end;
        expect = Expect.Colon;
        continue;
      }
      case Expect.Value:
      case Expect.ValueOrClose: {
        if (c === CLOSE_ARRAY && expect === Expect.ValueOrClose) {
          stack.pop();
          if (stack.length === 1 && inPoints) inPoints = false;
          i++;
          expect = valueEnded(stack.length, i);
          continue;
        }
        const depth = stack.length;
        starts[depth] = i;
        if (depth === 0) layout.topLevel = text.charAt(i);
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (depth >= MAX_JSON_DEPTH) throw new JsonDepthError(i);
          stack.push(c);
          if (depth === 1 && c === OPEN_ARRAY && layout.topLevel === '{' && key === 'points') inPoints = true;
          expect = c === OPEN_OBJECT ? Expect.KeyOrClose : Expect.ValueOrClose;
          i++;
          continue;
        }
        if (c === QUOTE) i = stringEnd(text, i);
        else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) throw new JsonSyntaxError(`bad number at character ${i + 1}`, i);
          i = NUMBER.lastIndex;
        } else if (text.startsWith('true', i)) i += 4;
        else if (text.startsWith('false', i)) i += 5;
        else if (text.startsWith('null', i)) i += 4;
        else throw new JsonSyntaxError(`unexpected ${shown(text, i)} at character ${i + 1}`, i);
        expect = valueEnded(depth, i);
        continue;
      }
    }
  }
}
