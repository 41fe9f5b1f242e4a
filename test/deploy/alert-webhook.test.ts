import { afterEach, describe, expect, it } from 'vitest';
import { runNode, type ChildRun } from '../helpers/child.js';

/** A notification as Alertmanager 0.25 posts it to a webhook_config (its webhook payload, version 4). */
const notification = (status: 'firing' | 'resolved', alertname = 'MemscopeHeapNearLimit') => ({
  version: '4',
  groupKey: '{}:{alertname="MemscopeHeapNearLimit"}',
  truncatedAlerts: 0,
  status,
  receiver: 'page',
  groupLabels: { alertname },
  commonLabels: { alertname, severity: 'critical', job: 'bms' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status,
      labels: { alertname, severity: 'critical', job: 'bms', instance: '172.18.0.5:3000' },
      annotations: { summary: 'Heap at 92 % of its limit', runbook_url: 'docs/runbook.md#memscopeheapnearlimit' },
      startsAt: '2026-01-01T12:00:00Z',
      endsAt: status === 'resolved' ? '2026-01-01T12:10:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: 'f0e1d2c3b4a59687',
    },
  ],
});

let webhook: ChildRun | undefined;
afterEach(async () => {
  webhook?.child.kill('SIGTERM');
  await webhook?.done;
  webhook = undefined;
});

async function start(): Promise<string> {
  webhook = runNode(['deploy/docker/alert-webhook.mjs'], { env: { PORT: '0', HOST: '127.0.0.1' } });
  const [, url] = await webhook.waitForLine(/"listening":"(http:\/\/[^"]+)"/);
  return url ?? '';
}
const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('alert-webhook (deploy/docker/alert-webhook.mjs)', () => {
  it('logs each notification as one JSON line and lists it at GET /alerts', async () => {
    const url = await start();
    expect((await post(url, JSON.stringify(notification('firing')))).status).toBe(200);
    expect((await post(url, JSON.stringify(notification('resolved')))).status).toBe(200);
    await webhook!.waitForLine(/"status":"resolved"/); // stdout arrives through a pipe, maybe after the response
    const logged = webhook!.stdout().trim().split('\n').slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toMatchObject([
      { receiver: 'page', status: 'firing', alerts: [{ status: 'firing', alertname: 'MemscopeHeapNearLimit', severity: 'critical', instance: '172.18.0.5:3000' }] },
      { status: 'resolved' },
    ]);
    const listed = (await (await fetch(url)).json()) as Array<{ status: string; notification: { groupKey: string } }>;
    expect(listed.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(listed[0]?.notification.groupKey).toBe(notification('firing').groupKey);
  });

  it('keeps only the last 100 notifications', async () => {
    const url = await start();
    for (let i = 0; i < 105; i++) await post(url, JSON.stringify(notification('firing', `Alert${i}`)));
    const listed = (await (await fetch(url)).json()) as Array<{ alerts: Array<{ alertname: string }> }>;
    expect(listed).toHaveLength(100);
    expect(listed[0]?.alerts[0]?.alertname).toBe('Alert5');
  });

  it('answers health checks, rejects what is not a notification, and stops on SIGTERM', async () => {
    const url = await start();
    const base = url.replace(/\/alerts$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await post(url, '{not json')).status).toBe(400);
    expect((await fetch(`${base}/other`)).status).toBe(404);
    webhook!.child.kill('SIGTERM');
    expect((await webhook!.done).code).toBe(0);
  });
});
