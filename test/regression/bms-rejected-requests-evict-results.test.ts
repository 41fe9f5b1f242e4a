// Issue 6/11 item 7: every 503 queue_full was stored as a failed job no client ever saw; after 197 refusals a
// succeeded job was 404 and the recent list held 49 phantom failures. Room is now checked before a job exists.
import { afterEach, describe, expect, it } from 'vitest';
import { generatePoints } from '../../src/bms/data/generator.js';
import { startBmsService, type BmsService } from '../../src/bms/service/bms-service.js';

let service: BmsService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function post(url: string, points: unknown[]): Promise<{ status: number; id?: string }> {
  const res = await fetch(`${url}/api/onboarding/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ points }) });
  const { id } = (await res.json()) as { id?: string };
  return { status: res.status, id };
}

async function finished(url: string, id: string): Promise<string> {
  for (;;) {
    const job = (await (await fetch(`${url}/api/onboarding/jobs/${id}`)).json()) as { status: string };
    if (job.status === 'succeeded' || job.status === 'failed') return job.status;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('requests refused with 503 queue_full', () => {
  it('leave nothing in the job store: earlier results stay, the recent list shows only real jobs', async () => {
    service = await startBmsService({ port: 0, concurrency: 1, maxBacklog: 0, store: { maxJobs: 5 }, memscope: { eventLoop: false } });
    const kept = await post(service.url, [{ name: 'SITE1.AHU-01.SA-T', value: 12 }]);
    expect(await finished(service.url, kept.id!)).toBe('succeeded');
    // A long job holds the only worker; with no backlog, every other job is refused.
    const busy = await post(service.url, generatePoints({ points: 60_000, seed: 1 }));
    expect(busy.status).toBe(202);
    const refused = [];
    for (let i = 0; i < 30 && service.store.get(busy.id!)?.status !== 'succeeded'; i++) refused.push((await post(service.url, [{ name: 'SITE1.AHU-01.RA-T', value: 21 }])).status);
    expect(refused.length).toBe(30);
    expect(new Set(refused)).toEqual(new Set([503]));

    expect((await fetch(`${service.url}/api/onboarding/jobs/${kept.id!}`)).status).toBe(200);
    const recent = (await (await fetch(`${service.url}/api/onboarding/jobs`)).json()) as { jobs: Array<{ id: string; status: string }> };
    expect(recent.jobs.map((j) => j.id).sort()).toEqual([kept.id, busy.id].sort());
    expect(recent.jobs.some((j) => j.status === 'failed')).toBe(false);
    service.abortDrain(); // the long job has served its purpose
  });
});
