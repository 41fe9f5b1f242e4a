import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBmsService, type BmsService } from '../../src/bms/service/bms-service.js';
import { generatePoints } from '../../src/bms/data/generator.js';

let service: BmsService;

beforeAll(async () => {
  service = await startBmsService({ port: 0, memscope: { eventLoop: false } });
});
afterAll(async () => {
  await service.close();
});

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; json: { error?: { code: string; message: string; fields?: Array<{ path: string; message: string }> }; id?: string } }> {
  const res = await fetch(`${service.url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, json: (await res.json()) as never };
}

async function waitForJob(id: string): Promise<{ status: string; result?: { pointsAccepted: number; equipment: unknown[]; byEquipClass: Record<string, number> } }> {
  for (;;) {
    const job = (await (await fetch(`${service.url}/api/onboarding/jobs/${id}`)).json()) as { status: string };
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('POST /api/onboarding/jobs', () => {
  it('accepts JSON points and onboards them: tags, equipment classes, equipment model', async () => {
    const points = generatePoints({ points: 300, seed: 7 });
    const { status, json } = await post(JSON.stringify({ points }));
    expect(status).toBe(202);
    const job = await waitForJob(json.id!);
    expect(job.status).toBe('succeeded');
    expect(job.result!.pointsAccepted).toBeGreaterThan(250);
    expect(job.result!.equipment.length).toBeGreaterThan(10);
    expect(Object.keys(job.result!.byEquipClass)).toEqual(expect.arrayContaining(['ahu', 'vav']));
  });

  it('accepts CSV with quoted fields', async () => {
    const csv = 'name,value,units,description\r\nSITE1.AHU-01.SA-T,12.5,°C,"Supply Air Temp, AHU 1"\r\n"SITE1.AHU-01.RA-T","21","degC","Return ""air"""\r\n';
    const { status, json } = await post(csv, 'text/csv');
    expect(status).toBe(202);
    const job = await waitForJob(json.id!);
    expect(job.result!.pointsAccepted).toBe(2);
  });

  const bad: Array<[string, string, string, number, string, RegExp?]> = [
    ['malformed JSON', '{"points": [', 'application/json', 400, 'invalid_json'],
    ['a JSON array body', '[1,2]', 'application/json', 400, 'invalid_body'],
    ['points of the wrong type', '{"points": "SITE1.AHU-01.SA-T"}', 'application/json', 400, 'validation_failed', /points/],
    ['a point without a name', '{"points": [{"value": 1}]}', 'application/json', 400, 'validation_failed', /points\[0\]\.name/],
    ['a value of the wrong type', '{"points": [{"name": "SITE1.AHU-01.SA-T", "value": {"x": 1}}]}', 'application/json', 400, 'validation_failed', /points\[0\]\.value/],
    ['no points', '{"points": []}', 'application/json', 400, 'validation_failed'],
    ['CSV without a name column', 'value,units\n1,°C\n', 'text/csv', 400, 'invalid_csv'],
    ['CSV with a short row', 'name,value,units\nSITE1.VAV-01.ZN-T,21\n', 'text/csv', 400, 'validation_failed', /rows\[2\]/],
    ['CSV with an unterminated quote', 'name,value\n"SITE1.VAV-01.ZN-T,21\n', 'text/csv', 400, 'validation_failed', /unterminated/],
    ['an unsupported content type', '<points/>', 'application/xml', 415, 'unsupported_media_type'],
  ];
  for (const [what, body, type, status, code, detail] of bad) {
    it(`answers ${status} ${code} for ${what}`, async () => {
      const res = await post(body, type);
      expect(res.status).toBe(status);
      expect(res.json.error?.code).toBe(code);
      expect(res.json.error?.message.length).toBeGreaterThan(10);
      if (detail) expect(JSON.stringify(res.json.error)).toMatch(detail);
    });
  }

  it('answers 413 for a body over the size limit, then keeps serving', async () => {
    const huge = JSON.stringify({ points: [{ name: 'x'.repeat(11 * 1024 * 1024) }] });
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('payload_too_large');
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await post(JSON.stringify({ points: [{ name: 'SITE1.AHU-01.SA-T', value: 12 }] }))).status).toBe(202);
  });

  it('onboards the tersest valid export — one boiler per point, a result 21× its size — within the default bounds', async () => {
    const csv = `name,value\n${Array.from({ length: 3000 }, (_, i) => `S.B${i}.T,1`).join('\n')}\n`;
    const { status, json } = await post(csv, 'text/csv');
    expect(status).toBe(202);
    const job = await waitForJob(json.id!);
    expect(job.status).toBe('succeeded');
    expect(job.result!.pointsAccepted).toBe(3000);
  });

  it('caps field errors and says how many there were', async () => {
    const res = await post(JSON.stringify({ points: Array.from({ length: 500 }, () => ({ name: 7 })) }));
    expect(res.status).toBe(400);
    expect(res.json.error?.fields).toHaveLength(50);
    expect(res.json.error?.message).toMatch(/500 invalid fields \(first 50 of 500 shown\)/);
  });
});

describe('GET /api/onboarding/jobs/:id', () => {
  it('answers 404 job_not_found for an unknown id', async () => {
    const res = await fetch(`${service.url}/api/onboarding/jobs/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('job_not_found');
  });
});

describe('health', () => {
  it('serves /healthz, /readyz and /metrics with the pipeline phases', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    for (const phase of ['onboarding', 'parse', 'normalize', 'classify', 'validate', 'deduplicate', 'assemble', 'store']) {
      expect(metrics).toMatch(new RegExp(`^memscope_phase_duration_seconds_count\\{memscope_phase_name="${phase}"\\} \\d+`, 'm'));
    }
    expect(metrics).toMatch(/^bms_onboarding_jobs_total\{bms_job_status="accepted"\} \d+/m);
  });

  it('has no route that could switch fault injection at run time', async () => {
    for (const path of ['/api/faults', '/api/onboarding/faults', '/debug/leak']) {
      expect((await fetch(`${service.url}${path}`, { method: 'POST' })).status).toBe(404);
    }
    const res = await post(JSON.stringify({ points: [{ name: 'SITE1.AHU-01.SA-T', value: 1 }], injectLeak: '1GiB/s', faults: { leakBytesPerSec: 1e9 } }));
    expect(res.status).toBe(202);
    expect(service.faults.active).toBe(false);
  });
});
