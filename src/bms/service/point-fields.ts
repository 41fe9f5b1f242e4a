/**
 * Checks on the text fields of a submitted point, shared by the JSON and CSV readers. A point's name is repeated
 * about six times in its result (id, equipment ref, site and equipment tags ...), so anything that makes a name
 * longer on the way out — a control character becomes a 6-byte JSON escape — multiplies: a 1 MB CSV of names made of
 * control bytes produced a 39 MB result. Names, units and the site therefore hold printable text only.
 */

export interface FieldLimits {
  /** Characters in a point name (and in the JSON body's `site`). @default 256 */
  maxNameLength: number;
  /** Characters in a point's units. Real units are short: `°C`, `inH₂O`, `m³/h`. @default 32 */
  maxUnitsLength: number;
  /** Characters in a point's description. @default 1024 */
  maxDescriptionLength: number;
  /** Characters in a value given as text (`21.5`, `on`). @default 64 */
  maxValueLength: number;
}

export const DEFAULT_FIELD_LIMITS: FieldLimits = { maxNameLength: 256, maxUnitsLength: 32, maxDescriptionLength: 1024, maxValueLength: 64 };

/** C0 controls, DEL, C1 controls, and UTF-16 surrogates that are not part of a pair (not text: JSON escapes them). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_PRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** The same, but tab, line feed and carriage return are allowed: a description may span lines. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_PRINTABLE_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describeBad(text: string, pattern: RegExp): string | undefined {
  const m = pattern.exec(text);
  if (m === null) return undefined;
  const code = m[0].charCodeAt(0);
  const what = code >= 0xd800 && code <= 0xdfff ? 'an unpaired surrogate' : 'a control character';
  return `must not contain ${what} (U+${code.toString(16).toUpperCase().padStart(4, '0')} at character ${m.index + 1})`;
}

/** Why a name (or site) is not acceptable, or undefined when it is. Assumes a string. */
export function nameProblem(name: string, limits: FieldLimits): string | undefined {
  if (name.trim() === '') return 'must be a non-empty string';
  if (name.length > limits.maxNameLength) return `must be at most ${limits.maxNameLength} characters (got ${name.length})`;
  return describeBad(name, NOT_PRINTABLE);
}

export function unitsProblem(units: string, limits: FieldLimits): string | undefined {
  if (units.length > limits.maxUnitsLength) return `must be at most ${limits.maxUnitsLength} characters (got ${units.length})`;
  return describeBad(units, NOT_PRINTABLE);
}

export function descriptionProblem(description: string, limits: FieldLimits): string | undefined {
  if (description.length > limits.maxDescriptionLength) return `must be at most ${limits.maxDescriptionLength} characters (got ${description.length})`;
  return describeBad(description, NOT_PRINTABLE_MULTILINE);
}

/** A value given as text. */
export function valueTextProblem(value: string, limits: FieldLimits): string | undefined {
  if (value.length > limits.maxValueLength) return `must be at most ${limits.maxValueLength} characters (got ${value.length})`;
  return describeBad(value, NOT_PRINTABLE);
}
