import type { RawPoint } from '../data/generator.js';
import { FieldErrors, RequestError } from './input-errors.js';
import { checkPointCount, type InputLimits, type JobInput } from './input-limits.js';
import type { Pacer } from './pacer.js';
import { descriptionProblem, nameProblem, unitsProblem, valueTextProblem } from './point-fields.js';

const COLUMNS = ['name', 'value', 'units', 'description'] as const;
type Column = (typeof COLUMNS)[number];
/** Columns kept per row: a header needs four; a row of a million commas must not become a million strings. */
const MAX_COLUMNS = 64;
/** Where an unquoted field ends (or a stray quote is). */
const UNQUOTED_END = /[,\r\n"]/g;

export interface Row {
  /** 1-based line the row starts on (the header is line 1). */
  line: number;
  fields: string[];
  /** Fields in the row, counting those beyond MAX_COLUMNS that were not kept. */
  count: number;
}

/**
 * Splits CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows one at a time, by searching for the
 * next delimiter and slicing — not by appending one character at a time, which took 2 s for 7.5 MB.
 */
export class CsvRows {
  private i = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly errors: FieldErrors,
  ) {
    if (text.charCodeAt(0) === 0xfeff) this.i = 1; // a byte-order mark, as spreadsheet programs write
  }

  /** The next row, or undefined at the end. */
  next(): Row | undefined {
    const { text } = this;
    const n = text.length;
    if (this.i >= n) return undefined;
    const row: Row = { line: this.line, fields: [], count: 0 };
    for (;;) {
      let field: string;
      let delimiter: number; // index of the , \r \n that ends the field, or n
      if (text.charCodeAt(this.i) === 0x22) {
        const quoted = this.quoted(row);
        field = quoted.field;
        delimiter = quoted.end;
      } else {
        UNQUOTED_END.lastIndex = this.i;
        let m = UNQUOTED_END.exec(text);
        if (m !== null && m[0] === '"') {
          this.errors.add(`rows[${row.line}]`, 'a quote may only start a field');
          UNQUOTED_END.lastIndex = m.index + 1;
          do m = UNQUOTED_END.exec(text);
          while (m !== null && m[0] === '"');
        }
        delimiter = m === null ? n : m.index;
        field = text.slice(this.i, delimiter);
      }
      if (row.count++ < MAX_COLUMNS) row.fields.push(field);
      const c = text.charCodeAt(delimiter);
      this.i = delimiter + 1;
      if (c === 0x2c) {
        if (this.i < n) continue;
        // `a,b,` at the very end of the body: the last field is empty.
        if (row.count++ < MAX_COLUMNS) row.fields.push('');
        return row;
      }
      if (c === 0x0d && text.charCodeAt(this.i) === 0x0a) this.i++;
      if (c === 0x0d || c === 0x0a) this.line++;
      return row;
    }
  }

  /** A quoted field starting at this.i; returns it and the index of the delimiter after its closing quote. */
  private quoted(row: Row): { field: string; end: number } {
    const { text } = this;
    let from = this.i + 1;
    let field = '';
    for (;;) {
      const close = text.indexOf('"', from);
      const piece = text.slice(from, close === -1 ? text.length : close);
      this.countLines(piece);
      field += piece;
      if (close === -1) {
        this.errors.add(`rows[${row.line}]`, 'unterminated quoted field');
        return { field, end: text.length };
      }
      if (text.charCodeAt(close + 1) === 0x22) {
        field += '"';
        from = close + 2;
        continue;
      }
      const after = close + 1;
      const c = text.charCodeAt(after);
      if (after >= text.length || c === 0x2c || c === 0x0a || c === 0x0d) return { field, end: after };
      this.errors.add(`rows[${row.line}]`, 'a quoted field must end at a comma or the end of the line');
      UNQUOTED_END.lastIndex = after;
      let m = UNQUOTED_END.exec(text);
      while (m !== null && m[0] === '"') m = UNQUOTED_END.exec(text);
      return { field, end: m === null ? text.length : m.index };
    }
  }

  private countLines(piece: string): void {
    for (let k = piece.indexOf('\n'); k !== -1; k = piece.indexOf('\n', k + 1)) this.line++;
  }
}

/**
 * Reads a CSV job with a header naming at least `name` (value, units, description optional, any order). Rows become
 * points as they are read — a row is never kept beyond its point — and reading stops as soon as there are more rows
 * than a job may hold. Row errors carry the row's line number: `rows[7].name`.
 */
export async function readCsvJob(text: string, limits: InputLimits, pacer: Pacer): Promise<JobInput> {
  const errors = new FieldErrors();
  const rows = new CsvRows(text, errors);
  const headerRow = rows.next();
  const header = headerRow?.fields.map((h) => h.trim().toLowerCase());
  if (headerRow === undefined || header === undefined || !header.includes('name') || headerRow.count > MAX_COLUMNS) {
    throw new RequestError(400, 'invalid_csv', 'the CSV needs a header row with a "name" column (and optionally value, units, description)', [
      { path: 'rows[1]', message: headerRow !== undefined && headerRow.count > MAX_COLUMNS ? `at most ${MAX_COLUMNS} columns` : 'header must include "name"' },
    ]);
  }
  errors.throwIfAny('invalid CSV');
  const index = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<Column, number>;
  const points: RawPoint[] = [];
  let count = 0;
  for (let row = rows.next(); row !== undefined; row = rows.next()) {
    if (row.count === 1 && row.fields[0]?.trim() === '') continue; // a blank line
    if (++count > limits.maxPoints) checkPointCount(count, limits, 'rows'); // throws: stop reading now
    const point = toRawPoint(row, header.length, index, limits, errors);
    if (point !== undefined && errors.total === 0) points.push(point);
    if ((count & 0xff) === 0) await pacer.breathe();
  }
  checkPointCount(count, limits, 'rows');
  errors.throwIfAny('invalid CSV');
  return { points, bytes: Buffer.byteLength(text) };
}

function toRawPoint(row: Row, columns: number, index: Record<Column, number>, limits: InputLimits, errors: FieldErrors): RawPoint | undefined {
  const at = `rows[${row.line}]`;
  if (row.count !== columns) {
    errors.add(at, `expected ${columns} columns, found ${row.count}`);
    return undefined;
  }
  const before = errors.total;
  const cell = (c: Column): string => (index[c] === -1 ? '' : (row.fields[index[c]] ?? ''));
  const check = (c: Column, value: string, problem: (v: string, l: InputLimits) => string | undefined): void => {
    const message = problem(value, limits);
    if (message !== undefined) errors.add(`${at}.${c}`, message);
  };
  const name = cell('name').trim();
  const value = cell('value').trim();
  const units = cell('units').trim();
  const description = cell('description').trim();
  check('name', name, nameProblem);
  check('value', value, valueTextProblem);
  check('units', units, unitsProblem);
  check('description', description, descriptionProblem);
  if (errors.total > before) return undefined;
  return { name, value: value === '' ? null : value, units, description };
}
