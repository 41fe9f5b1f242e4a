import { terminalSafe } from './terminal-text.js';

/**
 * Structural checks of parsed JSON, composed like the data they describe: `object({ name: string, count: finite })`.
 * A check returns nothing when the value fits and throws a {@link ShapeMismatch} at the first thing that does not;
 * containers add their key to its path as it passes through them. Nothing is allocated while values fit, so checking a
 * report with a million timeline samples costs about one pass over it.
 */
export type Check = (value: unknown) => void;

/** Where and how a value does not fit: `path` is like `iterations[0].timeline[3].rss`. */
export class ShapeMismatch extends Error {
  private readonly segments: string[] = [];

  constructor(readonly problem: string) {
    super(problem);
    this.name = 'ShapeMismatch';
  }

  /** Called by each container on the way out, innermost first. */
  within(segment: string): this {
    this.segments.push(segment);
    return this;
  }

  get path(): string {
    return this.segments
      .slice()
      .reverse()
      .map((s, i) => (s.startsWith('[') || i === 0 ? s : `.${s}`))
      .join('');
  }
}

/** A value as an error message shows it: short, and safe to print. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${terminalSafe(JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value))})`;
    case 'number':
      return String(value);
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function mismatch(expected: string, value: unknown): ShapeMismatch {
  return new ShapeMismatch(`expected ${expected}, got ${describeValue(value)}`);
}

/** Runs `check` on a member, adding `segment` to the path of a mismatch inside it. */
function inside(segment: string, check: Check, value: unknown): void {
  try {
    check(value);
  } catch (error) {
    if (error instanceof ShapeMismatch) throw error.within(segment);
    throw error;
  }
}

export const finite: Check = (v) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw mismatch('a finite number', v);
};

export const nonNegative: Check = (v) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw mismatch('a finite number of zero or more', v);
};

export const string: Check = (v) => {
  if (typeof v !== 'string') throw mismatch('a string', v);
};

export const boolean: Check = (v) => {
  if (typeof v !== 'boolean') throw mismatch('true or false', v);
};

export function literal(expected: string | number): Check {
  return (v) => {
    if (v !== expected) throw mismatch(JSON.stringify(expected), v);
  };
}

export function nullable(check: Check): Check {
  return (v) => {
    if (v !== null) check(v);
  };
}

export function arrayOf(item: Check, options: { minItems?: number } = {}): Check {
  const minItems = options.minItems ?? 0;
  return (v) => {
    if (!Array.isArray(v)) throw mismatch('an array', v);
    if (v.length < minItems) throw new ShapeMismatch(`expected at least ${minItems} item${minItems === 1 ? '' : 's'}, got ${v.length}`);
    for (let i = 0; i < v.length; i++) inside(`[${i}]`, item, v[i]);
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own properties only: a key named like an Object.prototype member is not taken for present. */
function own(v: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
}

/** An object with these fields (required) and these (optional: absent, or fitting). Other fields are allowed. */
export function object(required: Readonly<Record<string, Check>>, optional: Readonly<Record<string, Check>> = {}): Check {
  const req = Object.entries(required);
  const opt = Object.entries(optional);
  return (v) => {
    if (!isPlainObject(v)) throw mismatch('an object', v);
    for (const [key, check] of req) {
      const member = own(v, key);
      if (member === undefined) throw new ShapeMismatch('missing').within(key);
      inside(key, check, member);
    }
    for (const [key, check] of opt) {
      const member = own(v, key);
      if (member !== undefined) inside(key, check, member);
    }
  };
}

/** An object used as a map: any keys, every value fitting `value`. */
export function recordOf(value: Check): Check {
  return (v) => {
    if (!isPlainObject(v)) throw mismatch('an object', v);
    for (const key of Object.keys(v)) inside(/^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${terminalSafe(JSON.stringify(key))}]`, value, v[key]);
  };
}

/** Both checks, in order. */
export function both(first: Check, second: Check): Check {
  return (v) => {
    first(v);
    second(v);
  };
}

/** An array whose items' `name` fields are all different (they are looked up by name). Run after arrayOf. */
export const uniqueNames: Check = (v) => {
  const seen = new Set<string>();
  (v as Array<{ name: string }>).forEach((item, i) => {
    if (seen.has(item.name)) throw new ShapeMismatch(`duplicate name ${terminalSafe(JSON.stringify(item.name))}`).within('name').within(`[${i}]`);
    seen.add(item.name);
  });
};
