// The receiver of Alertmanager's notifications in `docker compose up`: deploy/alertmanager/alertmanager.yml sends
// every route to http://alert-webhook:8080/alerts. Each notification is logged as one JSON line on stdout
// (`docker compose logs -f alert-webhook`), and the last ones are kept for GET /alerts, so a person or a test can
// see what fired and what resolved without a real pager. Plain Node, no dependencies: it runs on the bms base image.
import { createServer } from 'node:http';

const PORT = Number(process.env.PORT ?? 8080);
const HOST = process.env.HOST ?? '0.0.0.0';
const KEEP = 100; // notifications kept for GET /alerts: bounded, however long the stack runs
const MAX_BODY = 1024 * 1024;
const received = [];

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function summarize(notification) {
  return {
    receiver: notification.receiver,
    status: notification.status,
    alerts: (notification.alerts ?? []).map((a) => ({
      status: a.status,
      alertname: a.labels?.alertname,
      severity: a.labels?.severity,
      instance: a.labels?.instance,
      summary: a.annotations?.summary,
    })),
  };
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') return reply(res, 200, { status: 'ok' });
  if (req.method === 'GET' && path === '/alerts') return reply(res, 200, received);
  if (req.method !== 'POST' || path !== '/alerts') return reply(res, 404, { error: 'POST /alerts, GET /alerts, GET /healthz' });
  let size = 0;
  const chunks = [];
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY) return reply(res, 413, { error: 'body over 1 MiB' });
    let notification;
    try {
      notification = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, 400, { error: 'body is not JSON' });
    }
    const entry = { receivedAt: new Date().toISOString(), ...summarize(notification), notification };
    received.push(entry);
    if (received.length > KEEP) received.splice(0, received.length - KEEP);
    console.log(JSON.stringify({ receivedAt: entry.receivedAt, ...summarize(notification) }));
    reply(res, 200, { status: 'received' });
  });
});

server.listen(PORT, HOST, () => {
  console.log(JSON.stringify({ listening: `http://${HOST}:${server.address().port}/alerts` }));
});
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => server.close(() => process.exit(0)));
