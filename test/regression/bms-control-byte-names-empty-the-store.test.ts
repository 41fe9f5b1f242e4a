// Issue 6/11 item 1: a 1 MB CSV of 4,500 rows whose site names were 200 control bytes + digits was accepted and made
// a 39.4 MB result (each control byte JSON-escaped to 6 bytes, the site repeated ~6 times per point): over the
// 32 MiB store bound, so the job was 404 within 4 s and every earlier result was evicted; four 9.9 MB inputs took RSS
// to 2.4 GB. Now: control characters are refused with a 400 naming the row; a job's result is bounded relative to
// its input; no result may take more than 10 % of the store, so one job cannot empty it.
import { afterEach, describe, expect, it } from 'vitest';
import { generatePoints } from '../../src/bms/data/generator.js';
import { startBmsService, type BmsService, type BmsServiceOptions } from '../../src/bms/service/bms-service.js';

let service: BmsService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function start(options: BmsServiceOptions = {}): Promise<BmsService> {
  service = await startBmsService({ port: 0, memscope: { eventLoop: false }, ...options });
  return service;
}

async function post(body: string, type = 'application/json'): Promise<{ status: number; json: { id?: string; error?: { code: string; fields?: Array<{ path: string; message: string }> } } }> {
  const res = await fetch(`${service!.url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, json: (await res.json()) as never };
}

async function outcome(id: string): Promise<{ http: number; status?: string; error?: string }> {
  for (;;) {
    const res = await fetch(`${service!.url}/api/onboarding/jobs/${id}`);
    if (res.status !== 200) return { http: res.status };
    const job = (await res.json()) as { status: string; error?: string };
    if (job.status === 'succeeded' || job.status === 'failed') return { http: 200, ...job };
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The reported shape: 4,500 rows, site = 200 control bytes + digits. About 1 MB. */
const controlByteCsv = (): string => `name,value\n${Array.from({ length: 4500 }, (_, i) => `${'\u0001'.repeat(200)}${i % 1000}.AHU-01.SA-T,12`).join('\n')}\n`;
/** The same amplification with printable text: a 200-letter site name on every point. */
const longSites = (points: number): Array<{ name: string; value: number }> => Array.from({ length: points }, (_, i) => ({ name: `${'S'.repeat(200)}${i % 997}.AHU-${(i % 50) + 1}.SA-T`, value: 12 }));

describe('a small job with a large result', () => {
  it('is refused with a 400 naming the rows when its names hold control characters (CSV and JSON)', async () => {
    await start();
    const csv = await post(controlByteCsv(), 'text/csv');
    expect(csv.status).toBe(400);
    expect(csv.json.error?.code).toBe('validation_failed');
    expect(csv.json.error?.fields?.[0]).toEqual({ path: 'rows[2].name', message: 'must not contain a control character (U+0001 at character 1)' });
    const json = await post(JSON.stringify({ points: [{ name: `${'\u0001'.repeat(200)}1.AHU-01.SA-T`, value: 12 }] }));
    expect(json.status).toBe(400);
    expect(json.json.error?.fields?.[0]?.path).toBe('points[0].name');
  });

  it('fails with a clear error when its result would take over 10 % of the store — and every earlier result stays', async () => {
    await start({ store: { maxResultBytes: 256 * 1024 } });
    const earlier: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { json } = await post(JSON.stringify({ points: generatePoints({ points: 50, seed: i }) }));
      expect((await outcome(json.id!)).status).toBe('succeeded');
      earlier.push(json.id!);
    }
    const big = await post(JSON.stringify({ points: generatePoints({ points: 8000, seed: 9 }) }));
    expect(big.status).toBe(202);
    const failed = await outcome(big.json.id!);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^the result would take more than 25\.6 KiB of the job store \(10 % of its 256\.0 KiB bound\); split the job into smaller ones$/);
    for (const id of earlier) expect((await outcome(id)).status).toBe('succeeded');
    expect(service!.store.bytes).toBeLessThanOrEqual(256 * 1024);
  });

  it('fails when it would produce far more than its input: the result is bounded relative to the request', async () => {
    await start({ maxResultRatio: 4 });
    // A realistic export produces about 1.5× its JSON: within the bound.
    const normal = await post(JSON.stringify({ points: generatePoints({ points: 2000, seed: 1 }) }));
    expect((await outcome(normal.json.id!)).status).toBe('succeeded');
    // Printable, valid, and 6× amplified (the 200-letter site is repeated in each point's id, refs and tags).
    const body = JSON.stringify({ points: longSites(3000) });
    const amplified = await post(body);
    const failed = await outcome(amplified.json.id!);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^the result would be larger than [\d.]+ MiB \(4 × the [\d.]+ KiB request, plus 64\.0 KiB\)/);
  });

  it('keeps within the store bound however many amplifying jobs arrive, and serves results it keeps', async () => {
    await start({ store: { maxResultBytes: 4 * 1024 * 1024 } });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await post(JSON.stringify({ points: longSites(3000) }))).json.id!);
    const outcomes = await Promise.all(ids.map(outcome));
    // 4.6 MB of JSON each, over the whole bound: before, each evicted every result, itself included. Gzipped, each
    // takes about 2 % of the store (the repeated site compresses well): all are kept.
    expect(outcomes.map((o) => o.error ?? o.status)).toEqual(Array(4).fill('succeeded'));
    expect(service!.store.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    // Served gzipped to clients that accept it, decompressed for those that do not: the same document.
    const plain = await fetch(`${service!.url}/api/onboarding/jobs/${ids[0]!}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(((await plain.json()) as { result: { pointsAccepted: number } }).result.pointsAccepted).toBe(3000);
    const gzipped = await fetch(`${service!.url}/api/onboarding/jobs/${ids[0]!}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(await gzipped.json()).toMatchObject({ id: ids[0], status: 'succeeded', result: { pointsAccepted: 3000 } });
  });
});
