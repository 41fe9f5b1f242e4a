// Property-based tests over the API's payloads, JSON and CSV: thousands of generated bodies — valid, nearly valid and
// hostile — each held to the contract: a 202 whose job finishes, or a 4xx with a stable code (and field paths where
// the problem is a field); never a 5xx, a crash, a hang, or memory that grows with the abuse.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBmsService, type BmsService } from '../../src/bms/service/bms-service.js';
import { readCsvJob } from '../../src/bms/service/csv-input.js';
import { RequestError } from '../../src/bms/service/input-errors.js';
import { DEFAULT_INPUT_LIMITS, type JobInput } from '../../src/bms/service/input-limits.js';
import { readJsonJob } from '../../src/bms/service/json-input.js';
import { Pacer } from '../../src/bms/service/pacer.js';
import { descriptionProblem, nameProblem, unitsProblem, valueTextProblem } from '../../src/bms/service/point-fields.js';

const CODES_400 = new Set(['invalid_json', 'invalid_body', 'validation_failed', 'invalid_csv']);
const FIELD_PATH = /^(body|site|points(\[\d+\](\.(name|value|units|description))?)?|rows(\[\d+\](\.(name|value|units|description))?)?)$/;

// ---- generators -----------------------------------------------------------------------------------------------

/** Text of every kind a field might hold: BMS-like names, any Unicode, controls, lone surrogates, long runs. */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('SITE1.AHU-01.SA-T', 'SITE2/B1/AHU_01/SAT', 'SITE3:L4:VAV-4-01:ZN-T', 'site1_ahu01_sa_t', 'SITE1.CH-1.CHWS-T') },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0001'.repeat(200) + '1.AHU-01.SA-T', '\ud800', 'a\u0000b', '"', '\\', ',', '\r\n', '\u2028', '°C', 'm³/h') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('A', '\u0001', '"', 'é', '😀'), fc.integer({ min: 30, max: 2000 })).map(([c, n]) => c.repeat(n)) },
);
const jsonValue = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 3, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -0, 1e308, 'on', 'off', '12,5') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const point = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name: text, value: jsonValue, units: text, description: text }, { requiredKeys: ['name'] }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('name', 'value', 'units', 'description', '__proto__', 'x'), jsonValue) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
/** A point as exports really list them — these jobs get through validation to the pipeline. */
const plausiblePoint = fc.record(
  {
    name: fc.tuple(fc.constantFrom('SITE1', 'site2', 'B'), fc.constantFrom('.', '/', ':', '_'), fc.constantFrom('AHU', 'VAV', 'FCU', 'CH', 'BLR', 'MTR', 'XYZ'), fc.nat(40), fc.constantFrom('SA-T', 'ZN-T', 'SAT', 'CMD', 'KW', 'FOO')).map(([site, sep, eq, n, pt]) => `${site}${sep}${eq}-${n}${sep}${pt}`),
    value: fc.oneof(fc.double({ min: -50, max: 150, noNaN: true }), fc.integer({ min: 0, max: 100 }).map(String), fc.constantFrom(null, 'on', 'off', '21,5')),
    units: fc.constantFrom('°C', 'degC', '%', '', 'kW', 'furlongs'),
    description: fc.string({ maxLength: 30 }).filter((d) => descriptionProblem(d, DEFAULT_INPUT_LIMITS) === undefined),
  },
  { requiredKeys: ['name'] },
);
const jobObject = fc.record(
  {
    points: fc.oneof(
      { weight: 4, arbitrary: fc.array(plausiblePoint, { minLength: 1, maxLength: 30 }) },
      { weight: 4, arbitrary: fc.array(point, { maxLength: 30 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
    site: jsonValue,
  },
  { requiredKeys: [] },
);
/** A JSON body: a job-shaped object (sometimes with one character changed), or any JSON, or any text. */
const jsonBody = fc.oneof(
  { weight: 6, arbitrary: jobObject.map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.tuple(jobObject.map((o) => JSON.stringify(o)), fc.nat(), fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', ' ')).map(([t, at, c]) => t.slice(0, at % (t.length + 1)) + c + t.slice((at % (t.length + 1)) + 1)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

/** A CSV body: a header (any order, extra columns, missing name) and rows of any text, quoted or not, any line ends. */
const csvField = (f: string, quote: boolean): string => (quote || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
const csvBody = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.shuffledSubarray(['name', 'value', 'units', 'description', 'extra'], { minLength: 1 }),
        fc.array(fc.array(text, { minLength: 0, maxLength: 6 }), { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([header, rows, eol, quoteAll, blankLines]) =>
        [header.join(','), ...rows.map((r) => r.map((f) => csvField(f, quoteAll)).join(',')), ...(blankLines ? ['', '  '] : [])].join(eol),
      ),
  },
  {
    // An export as it should be, sometimes with blank lines: these get through validation to the pipeline.
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(plausiblePoint, { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
      .map(([points, eol, quoteAll]) =>
        ['name,value,units,description', ...points.map((p) => [p.name, String(p.value ?? ''), p.units ?? '', p.description ?? ''].map((f) => csvField(f, quoteAll)).join(','))].join(eol),
      ),
  },
  { weight: 2, arbitrary: fc.array(fc.constantFrom('name', 'value', ',', '"', '""', '\n', '\r', 'SITE1.AHU-01.SA-T', '12', '\u0001', ' '), { maxLength: 60 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

// ---- the readers: thousands of cases ------------------------------------------------------------------------------

/** What every accepted job must be: points within the limits, every field printable. */
function expectValidInput(input: JobInput): void {
  expect(input.points.length).toBeGreaterThan(0);
  expect(input.points.length).toBeLessThanOrEqual(DEFAULT_INPUT_LIMITS.maxPoints);
  for (const p of input.points) {
    expect(nameProblem(p.name, DEFAULT_INPUT_LIMITS)).toBeUndefined();
    expect(unitsProblem(p.units, DEFAULT_INPUT_LIMITS)).toBeUndefined();
    expect(descriptionProblem(p.description, DEFAULT_INPUT_LIMITS)).toBeUndefined();
    if (typeof p.value === 'string') expect(valueTextProblem(p.value, DEFAULT_INPUT_LIMITS)).toBeUndefined();
    if (typeof p.value === 'number') expect(Number.isFinite(p.value)).toBe(true);
  }
}

/** What every refusal must be: a 4xx RequestError with a known code, and field paths that point somewhere. */
function expectClientError(error: unknown): void {
  expect(error).toBeInstanceOf(RequestError);
  const e = error as RequestError;
  expect(e.status === 400 || e.status === 413).toBe(true);
  expect(e.status === 413 ? e.code === 'too_many_points' : CODES_400.has(e.code)).toBe(true);
  expect(e.fields.length).toBeLessThanOrEqual(50);
  for (const f of e.fields) expect(f.path).toMatch(FIELD_PATH);
}

async function holdsTheContract(read: () => Promise<JobInput>): Promise<void> {
  let input: JobInput | undefined;
  try {
    input = await read();
  } catch (error) {
    expectClientError(error);
    return;
  }
  expectValidInput(input);
}

describe('payload readers (property-based)', () => {
  it('JSON: every body is a valid job or a 4xx with a code', async () => {
    await fc.assert(
      fc.asyncProperty(jsonBody, (body) => holdsTheContract(() => readJsonJob(body, DEFAULT_INPUT_LIMITS, new Pacer()))),
      { numRuns: 4000 },
    );
  });

  it('CSV: every body is a valid job or a 4xx with a code', async () => {
    await fc.assert(
      fc.asyncProperty(csvBody, (body) => holdsTheContract(() => readCsvJob(body, DEFAULT_INPUT_LIMITS, new Pacer()))),
      { numRuns: 4000 },
    );
  });

  it('JSON and CSV read the same points from the same valid export', async () => {
    const name = fc.stringMatching(/^[A-Z]{1,8}\d?[.][A-Z]{2,4}-\d{1,3}[.][A-Z-]{1,8}$/);
    const printable = fc.string({ maxLength: 20 }).filter((s) => s.trim() === s && nameProblem(`x${s}`, DEFAULT_INPUT_LIMITS) === undefined);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ name, value: fc.oneof(fc.constant(''), fc.integer().map(String)), units: printable, description: printable }), { minLength: 1, maxLength: 40 }), async (points) => {
        const csv = `name,value,units,description\r\n${points.map((p) => [p.name, p.value, p.units, p.description].map((f) => csvField(f, false)).join(',')).join('\r\n')}`;
        const json = JSON.stringify({ points: points.map((p) => ({ ...p, value: p.value === '' ? null : p.value })) });
        const [a, b] = await Promise.all([readCsvJob(csv, DEFAULT_INPUT_LIMITS, new Pacer()), readJsonJob(json, DEFAULT_INPUT_LIMITS, new Pacer())]);
        expect(a.points).toEqual(b.points);
      }),
      { numRuns: 500 },
    );
  });
});

// ---- the API: generated bodies over HTTP -------------------------------------------------------------------------

describe('POST /api/onboarding/jobs (property-based, over HTTP)', () => {
  let service: BmsService;
  const accepted: string[] = [];

  beforeAll(async () => {
    service = await startBmsService({ port: 0, memscope: { eventLoop: false }, maxBacklog: 100_000, maxBacklogBytes: 2 ** 40, store: { maxJobs: 100_000 } });
  });
  afterAll(async () => {
    await service.close();
  });

  async function post(body: string, contentType: string): Promise<void> {
    const res = await fetch(`${service.url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const json = (await res.json()) as { id?: string; error?: { code?: unknown; message?: unknown; fields?: Array<{ path: string }> } };
    expect(res.status, JSON.stringify(json)).toBeLessThan(500);
    if (res.status === 202) {
      expect(typeof json.id).toBe('string');
      accepted.push(json.id!);
      return;
    }
    expect([400, 413]).toContain(res.status);
    expect(typeof json.error?.code).toBe('string');
    expect(typeof json.error?.message).toBe('string');
    for (const f of json.error?.fields ?? []) expect(f.path).toMatch(FIELD_PATH);
  }

  it('answers every JSON and CSV body with a 202 or a 4xx with a code, then finishes every accepted job', async () => {
    await fc.assert(fc.asyncProperty(jsonBody, (body) => post(body, 'application/json')), { numRuns: 800 });
    await fc.assert(fc.asyncProperty(csvBody, (body) => post(body, 'text/csv')), { numRuns: 800 });
    expect(accepted.length).toBeGreaterThan(50); // the generators reach the pipeline, not only the validators
    await service.queue.drain();
    for (const id of accepted) {
      const res = await fetch(`${service.url}/api/onboarding/jobs/${id}`);
      expect(res.status).toBe(200);
      const job = (await res.json()) as { status: string; error?: string };
      expect(['succeeded', 'failed']).toContain(job.status);
      if (job.status === 'failed') expect(job.error).toMatch(/\w{10}/);
    }
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    // Results are gzipped in the store: 1,600 bodies' worth of jobs stay far below the store's bound, and what the
    // whole process holds afterwards fits the container's heap (--max-old-space-size=256) with room to spare.
    expect(service.store.bytes).toBeLessThan(service.store.maxResultBytes);
    globalThis.gc?.();
    expect(process.memoryUsage().heapUsed).toBeLessThan(192 * 2 ** 20);
  });
});
