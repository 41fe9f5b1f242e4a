import type { RawPoint } from '../data/generator.js';
import { FieldErrors, RequestError } from './input-errors.js';
import { checkPointCount, type InputLimits, type JobInput } from './input-limits.js';
import { JsonDepthError, JsonSyntaxError, scanJobJson, type Span } from './json-scan.js';
import type { Pacer } from './pacer.js';
import { descriptionProblem, nameProblem, unitsProblem, valueTextProblem } from './point-fields.js';

/** Points are parsed in groups of about this many characters: one JSON.parse each, a fraction of a millisecond. */
const GROUP_CHARS = 64 * 1024;
/**
 * A point's JSON is at most this long: a name, units, a description and a value within their limits fit with room
 * to spare (every character of a 1024-character description escaped as \uXXXX is 6 KiB). Longer elements are refused
 * without being parsed: one could be 9 MB of `{"x":[{},{},…]}`.
 */
const MAX_POINT_JSON = 16 * 1024;

/**
 * Reads a JSON job body `{ "points": [{ name, value?, units?, description? }], "site"? }` with field-level errors,
 * without holding the event loop: the body is validated by a scanner that yields, then the points are parsed a group
 * at a time. Members other than `points` and `site` are validated as JSON and otherwise ignored.
 */
export async function readJsonJob(text: string, limits: InputLimits, pacer: Pacer): Promise<JobInput> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let layout;
  try {
    layout = await scanJobJson(body, pacer, limits.maxPoints);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new RequestError(400, 'invalid_json', `the body is not valid JSON: ${error.message}`);
    if (error instanceof JsonDepthError) throw new RequestError(400, 'invalid_body', error.message, [{ path: 'body', message: `must be nested at most 64 levels deep` }]);
    throw error;
  }
  if (layout.topLevel !== '{') {
    throw new RequestError(400, 'invalid_body', 'the body must be a JSON object with a "points" array', [{ path: 'body', message: 'must be an object' }]);
  }
  const errors = new FieldErrors();
  const site = readSite(body, layout.site, layout.siteKeys, limits, errors);
  if (layout.pointsKeys > 1) errors.add('points', 'must be given once');
  if (layout.points === undefined || body.charCodeAt(layout.points.start) !== 0x5b) errors.add('points', 'must be an array of points');
  errors.throwIfAny('invalid job');
  checkPointCount(layout.elementCount, limits, 'points');

  const points: RawPoint[] = [];
  // Runs of small objects are parsed together, one JSON.parse per run; the body is valid JSON, so the slice from the
  // first element of a run to its last is a valid list.
  let run: Span | undefined;
  let runFirst = 0;
  const parseRun = async (): Promise<void> => {
    if (run === undefined) return;
    const parsed = JSON.parse(`[${body.slice(run.start, run.end)}]`) as Array<Record<string, unknown>>;
    run = undefined;
    parsed.forEach((p, k) => {
      const point = toRawPoint(p, `points[${runFirst + k}]`, limits, errors);
      if (point !== undefined && errors.total === 0) points.push(point);
    });
    await pacer.breathe();
  };
  let index = 0;
  for (const element of layout.elements) {
    const isObject = body.charCodeAt(element.start) === 0x7b;
    if (!isObject || element.end - element.start > MAX_POINT_JSON) {
      await parseRun();
      errors.add(`points[${index}]`, isObject ? `must be at most ${MAX_POINT_JSON} characters of JSON` : 'must be an object with a name');
    } else if (run !== undefined && element.end - run.start <= GROUP_CHARS) {
      run.end = element.end;
    } else {
      await parseRun();
      run = { start: element.start, end: element.end };
      runFirst = index;
    }
    index++;
  }
  await parseRun();
  errors.throwIfAny('invalid job');
  return site === undefined ? { points, bytes: Buffer.byteLength(text) } : { points, site, bytes: Buffer.byteLength(text) };
}

function readSite(body: string, span: Span | undefined, occurrences: number, limits: InputLimits, errors: FieldErrors): string | undefined {
  if (occurrences > 1) errors.add('site', 'must be given once');
  if (span === undefined) return undefined;
  // Only a string is parsed: anything else is refused as it is, however large.
  if (body.charCodeAt(span.start) !== 0x22) {
    errors.add('site', 'must be a non-empty string when given');
    return undefined;
  }
  const site = JSON.parse(body.slice(span.start, span.end)) as string;
  const problem = nameProblem(site, limits);
  if (problem !== undefined) errors.add('site', problem);
  return site;
}

function toRawPoint(p: Record<string, unknown>, at: string, limits: InputLimits, errors: FieldErrors): RawPoint | undefined {
  const { name, value, units, description } = p;
  const before = errors.total;
  if (typeof name !== 'string') errors.add(`${at}.name`, 'must be a non-empty string');
  else {
    const problem = nameProblem(name, limits);
    if (problem !== undefined) errors.add(`${at}.name`, problem);
  }
  if (value !== undefined && value !== null && typeof value !== 'number' && typeof value !== 'string') errors.add(`${at}.value`, 'must be a number, a string or null');
  else if (typeof value === 'number' && !Number.isFinite(value)) errors.add(`${at}.value`, 'must be a finite number'); // 1e999
  else if (typeof value === 'string') {
    const problem = valueTextProblem(value, limits);
    if (problem !== undefined) errors.add(`${at}.value`, problem);
  }
  if (units !== undefined && typeof units !== 'string') errors.add(`${at}.units`, 'must be a string');
  else if (typeof units === 'string') {
    const problem = unitsProblem(units, limits);
    if (problem !== undefined) errors.add(`${at}.units`, problem);
  }
  if (description !== undefined && typeof description !== 'string') errors.add(`${at}.description`, 'must be a string');
  else if (typeof description === 'string') {
    const problem = descriptionProblem(description, limits);
    if (problem !== undefined) errors.add(`${at}.description`, problem);
  }
  if (errors.total > before) return undefined;
  return { name: name as string, value: (value ?? null) as RawPoint['value'], units: (units ?? '') as string, description: (description ?? '') as string };
}
