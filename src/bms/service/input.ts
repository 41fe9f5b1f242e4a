import type { Request } from 'express';
import { readCsvJob } from './csv-input.js';
import { RequestError } from './input-errors.js';
import type { InputLimits, JobInput } from './input-limits.js';
import { readJsonJob } from './json-input.js';
import type { Pacer } from './pacer.js';

export const JSON_TYPES = ['application/json', 'application/*+json'];
export const CSV_TYPES = ['text/csv', 'application/csv'];

/**
 * A job from a request whose body express.text() has read: JSON or CSV by Content-Type. Both readers yield to the
 * event loop as they go, so a 10 MB body does not hold off health checks and scrapes.
 */
export async function readJobInput(req: Request, limits: InputLimits, pacer: Pacer): Promise<JobInput> {
  const json = req.is(JSON_TYPES) !== false && req.is(JSON_TYPES) !== null;
  const csv = !json && req.is(CSV_TYPES) !== false && req.is(CSV_TYPES) !== null;
  if (!json && !csv) throw new RequestError(415, 'unsupported_media_type', `send application/json or text/csv, not ${req.headers['content-type'] ?? 'no content type'}`);
  const body: unknown = req.body;
  if (typeof body !== 'string' || body === '') {
    if (json) throw new RequestError(400, 'invalid_body', 'the body must be a JSON object with a "points" array', [{ path: 'body', message: 'must not be empty' }]);
    throw new RequestError(400, 'invalid_csv', 'the CSV body is empty', [{ path: 'rows[1]', message: 'header must include "name"' }]);
  }
  return json ? readJsonJob(body, limits, pacer) : readCsvJob(body, limits, pacer);
}
