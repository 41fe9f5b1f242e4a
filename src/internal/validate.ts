import { MemscopeError, invalidOption } from './errors.js';

/**
 * Option validation used at construction time. Each returns the value (or its default) so call sites stay one line:
 * `this.intervalMs = intOption('sampleIntervalMs', opts.sampleIntervalMs, 200, 10, 3_600_000)`.
 */
export function intOption(field: string, value: unknown, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalidOption(field, `an integer from ${min} to ${max}`, v);
  }
  return v;
}

export function numberOption(field: string, value: unknown, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw invalidOption(field, `a number from ${min} to ${max}`, v);
  }
  return v;
}

export function boolOption(field: string, value: unknown, fallback: boolean): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw invalidOption(field, 'true or false', v);
  return v;
}

export function stringOption(field: string, value: unknown, fallback: string, pattern?: RegExp): string {
  const v = value ?? fallback;
  if (typeof v !== 'string' || (pattern !== undefined && !pattern.test(v))) {
    throw invalidOption(field, pattern ? `a string matching ${pattern}` : 'a string', v);
  }
  return v;
}

export function oneOf<T extends string>(field: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  const v = value ?? fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalidOption(field, `one of ${allowed.join(', ')}`, v);
  }
  return v as T;
}

/**
 * An options object: a plain object (not null, an array or a function). `undefined` gives `{}`, so call sites can
 * validate `options ?? {}` in one step. Throws MEMSCOPE_E_INVALID_OPTION naming `field`.
 */
export function objectOption(field: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidOption(field, 'an object', value);
  return value as Record<string, unknown>;
}

/**
 * Every key of an options interface, checked at compile time: a key added to `T` and not listed fails to compile,
 * so a new option cannot be rejected as unknown by accident. `optionKeys<ServerOptions>()(['port', 'host'])`.
 */
export function optionKeys<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> }),
  ): readonly string[] => keys;
}

/** Unknown keys past which a message stops listing them: an options object from JSON can hold thousands. */
const MAX_KEYS_SHOWN = 3;

/**
 * Rejects keys an options object does not know — a typo (`peakBellow`), or an option given at the wrong level
 * (`startMemscope({ port })` for `server.port`) would otherwise be ignored without a word, and a memory test that
 * sets only a mistyped limit could never fail. Throws MEMSCOPE_E_INVALID_OPTION naming the first unknown key with its
 * full path and the closest valid one: the closest by edit distance (case, `_` and `-` ignored) among `allowed` and
 * the keys of `nested` (which maps a key that belongs one level down to its path, e.g. `{ port: 'server.port' }`).
 *
 * @param value the options object (see objectOption())
 * @param allowed the keys valid at this level
 * @param path where the object sits, e.g. 'server' ('' at the top): messages name `server.prot`, not `prot`
 * @param nested keys of nested objects, to their full paths: `port` → `server.port`
 */
export function rejectUnknownKeys(
  value: object,
  allowed: readonly string[],
  path = '',
  nested: Readonly<Record<string, string>> = {},
): void {
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    // A Proxy whose ownKeys trap throws: its keys cannot be checked, so it cannot be accepted.
    throw invalidOption(path === '' ? 'options' : path, 'a plain object', value);
  }
  const unknown = keys.filter((key) => !allowed.includes(key));
  const first = unknown[0];
  if (first === undefined) return;
  const prefix = path === '' ? '' : `${path}.`;
  const suggestion = closestKey(first, allowed, nested, prefix);
  const hint = suggestion === undefined
    ? `; the options${path === '' ? '' : ` of ${path}`} are ${allowed.join(', ')}`
    : `; did you mean "${suggestion}"?`;
  const more = unknown.length > 1 ? ` (and ${unknown.length - 1} more unknown: ${unknown.slice(1, 1 + MAX_KEYS_SHOWN).map(showKey).join(', ')}${unknown.length > 1 + MAX_KEYS_SHOWN ? ', …' : ''})` : '';
  throw new MemscopeError('MEMSCOPE_E_INVALID_OPTION', `unknown option ${showKey(prefix + first)}${hint}${more}`);
}

/**
 * The full path of the valid key closest to `key`, or undefined when none is close: an exact key of `nested` gives its
 * path; otherwise the smallest edit distance, at most a third of the key's length (at least 1), wins, keys of this
 * level (shown as `prefix` + key) before nested ones.
 */
export function closestKey(key: string, allowed: readonly string[], nested: Readonly<Record<string, string>> = {}, prefix = ''): string | undefined {
  const exact = Object.hasOwn(nested, key) ? nested[key] : undefined;
  if (exact !== undefined) return exact;
  const wanted = normalizeKey(key);
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  const consider = (candidate: string, shown: string): void => {
    const d = editDistance(wanted, normalizeKey(candidate), bestDistance);
    if (d < bestDistance) {
      best = shown;
      bestDistance = d;
    }
  };
  for (const candidate of allowed) consider(candidate, prefix + candidate);
  for (const [candidate, fullPath] of Object.entries(nested)) consider(candidate, fullPath);
  return best;
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** Keys as messages show them: quoted, with control characters escaped, and cut when long. */
function showKey(key: string): string {
  return JSON.stringify(key.length > 64 ? `${key.slice(0, 61)}...` : key);
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions: `prot` → `port` is 1). Gives up past
 * `bound` (returns bound) so a long key against many candidates stays cheap.
 */
export function editDistance(a: string, b: string, bound = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) >= bound) return bound;
  let prevPrev = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin >= bound) return bound;
    prevPrev = prev;
    prev = row;
  }
  return Math.min(prev[b.length] ?? 0, bound);
}
