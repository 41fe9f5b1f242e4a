import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of a notification, as Alertmanager's webhook (payload version 4) sends it. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** The body Alertmanager POSTs to a webhook receiver. */
export interface WebhookNotification {
  version: string;
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

export interface ReceivedNotification {
  /** `Date.now()` when it arrived. */
  receivedAt: number;
  path: string;
  notification: WebhookNotification;
}

/** An alert with the notification it came in. */
export interface ReceivedAlert extends WebhookAlert {
  receiver: string;
  receivedAt: number;
}

export interface WebhookReceiver {
  /** Where Alertmanager should POST: `http://127.0.0.1:<port>/alerts`. */
  url: string;
  notifications(): readonly ReceivedNotification[];
  /** Every alert of every notification, in arrival order. */
  alerts(): ReceivedAlert[];
  /** Bodies that could not be read as a notification (not JSON, no `alerts`): a test should expect none. */
  rejected(): readonly string[];
  /** Polls until an alert matching `predicate` has arrived; rejects after `timeoutMs`, listing what did arrive. */
  waitForAlert(predicate: (alert: ReceivedAlert) => boolean, timeoutMs: number): Promise<ReceivedAlert>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** A node:http server on 127.0.0.1, port 0, recording every webhook notification Alertmanager sends it. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedNotification[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    collect(req, res, received, rejected);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const alerts = (): ReceivedAlert[] =>
    received.flatMap((r) => r.notification.alerts.map((a) => ({ ...a, receiver: r.notification.receiver, receivedAt: r.receivedAt })));

  return {
    url: `http://127.0.0.1:${port}/alerts`,
    notifications: () => received,
    alerts,
    rejected: () => rejected,
    waitForAlert: async (predicate, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = alerts().find(predicate);
        if (hit !== undefined) return hit;
        if (Date.now() > deadline) {
          const seen = alerts().map((a) => `${a.status} ${a.labels.alertname ?? '?'} ${JSON.stringify(a.labels)}`);
          throw new Error(`no matching alert within ${timeoutMs} ms; received:\n${seen.join('\n') || '(nothing)'}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        server.closeAllConnections();
      }),
  };
}

function collect(req: IncomingMessage, res: ServerResponse, received: ReceivedNotification[], rejected: string[]): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let notification: WebhookNotification | undefined;
    try {
      const body = JSON.parse(text) as Partial<WebhookNotification>;
      if (Array.isArray(body.alerts)) notification = body as WebhookNotification;
    } catch {
      // recorded as rejected below
    }
    if (size > MAX_BODY || notification === undefined) {
      rejected.push(text.slice(0, 500));
      res.writeHead(400).end();
      return;
    }
    received.push({ receivedAt: Date.now(), path, notification });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"received"}');
  });
}
