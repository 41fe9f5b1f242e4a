import type { RawPoint } from '../data/generator.js';
import { FieldErrors, RequestError } from './input-errors.js';

export interface JobInput {
  points: RawPoint[];
  site?: string;
}

export interface InputLimits {
  /** Points per job. @default 100000 */
  maxPoints: number;
  /** Characters in a point name. @default 256 */
  maxNameLength: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxPoints: 100_000, maxNameLength: 256 };

function checkCount(n: number, limits: InputLimits, what: string): void {
  if (n === 0) throw new RequestError(400, 'validation_failed', `${what} holds no points`, [{ path: what, message: 'must hold at least one point' }]);
  if (n > limits.maxPoints) {
    throw new RequestError(413, 'too_many_points', `${n} points in one job; at most ${limits.maxPoints} are accepted`, [
      { path: what, message: `at most ${limits.maxPoints} points` },
    ]);
  }
}

/** Validates a JSON body `{ points: [{ name, value?, units?, description? }], site? }` with field-level errors. */
export function readJsonInput(body: unknown, limits: InputLimits = DEFAULT_INPUT_LIMITS): JobInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError(400, 'invalid_body', 'the body must be a JSON object with a "points" array', [{ path: 'body', message: 'must be an object' }]);
  }
  const { points, site } = body as { points?: unknown; site?: unknown };
  const errors = new FieldErrors();
  if (site !== undefined && (typeof site !== 'string' || site.trim() === '')) errors.add('site', 'must be a non-empty string when given');
  if (!Array.isArray(points)) {
    errors.add('points', 'must be an array of points');
    errors.throwIfAny('invalid job');
  }
  const list = points as unknown[];
  checkCount(list.length, limits, 'points');
  const out: RawPoint[] = new Array<RawPoint>(list.length);
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    const at = `points[${i}]`;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) {
      errors.add(at, 'must be an object with a name');
      continue;
    }
    const { name, value, units, description } = p as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '') errors.add(`${at}.name`, 'must be a non-empty string');
    else if (name.length > limits.maxNameLength) errors.add(`${at}.name`, `must be at most ${limits.maxNameLength} characters`);
    if (value !== undefined && value !== null && typeof value !== 'number' && typeof value !== 'string') errors.add(`${at}.value`, 'must be a number, a string or null');
    if (typeof value === 'number' && !Number.isFinite(value)) errors.add(`${at}.value`, 'must be a finite number');
    if (units !== undefined && typeof units !== 'string') errors.add(`${at}.units`, 'must be a string');
    if (description !== undefined && typeof description !== 'string') errors.add(`${at}.description`, 'must be a string');
    out[i] = { name: name as string, value: (value ?? null) as RawPoint['value'], units: (units ?? '') as string, description: (description ?? '') as string };
  }
  errors.throwIfAny('invalid job');
  return site === undefined ? { points: out } : { points: out, site: site as string };
}

const COLUMNS = ['name', 'value', 'units', 'description'] as const;

/**
 * Reads CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) with a header naming at least `name`; the other
 * columns are optional and may come in any order. Row errors carry their line number.
 */
export function readCsvInput(text: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): JobInput {
  const errors = new FieldErrors();
  const rows = parseCsvRows(text, errors);
  errors.throwIfAny('invalid CSV');
  const header = rows.shift()?.fields.map((h) => h.trim().toLowerCase());
  if (header === undefined || !header.includes('name')) {
    throw new RequestError(400, 'invalid_csv', 'the CSV needs a header row with a "name" column (and optionally value, units, description)', [
      { path: 'rows[1]', message: 'header must include "name"' },
    ]);
  }
  const index = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  const data = rows.filter((r) => !(r.fields.length === 1 && r.fields[0]?.trim() === ''));
  checkCount(data.length, limits, 'rows');
  const points: RawPoint[] = [];
  for (const row of data) {
    if (row.fields.length !== header.length) {
      errors.add(`rows[${row.line}]`, `expected ${header.length} columns, found ${row.fields.length}`);
      continue;
    }
    const name = (row.fields[index.name] ?? '').trim();
    if (name === '') errors.add(`rows[${row.line}].name`, 'must not be empty');
    else if (name.length > limits.maxNameLength) errors.add(`rows[${row.line}].name`, `must be at most ${limits.maxNameLength} characters`);
    const cell = (c: (typeof COLUMNS)[number]): string => row.fields[index[c]] ?? '';
    const rawValue = cell('value').trim();
    points.push({ name, value: rawValue === '' ? null : rawValue, units: cell('units').trim(), description: cell('description').trim() });
  }
  errors.throwIfAny('invalid CSV');
  return { points };
}

function parseCsvRows(text: string, errors: FieldErrors): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== '') errors.add(`rows[${line}]`, 'a quote may only start a field');
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) errors.add(`rows[${rowLine}]`, 'unterminated quoted field');
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}
