import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connect } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMetricsHandler } from '../../src/exporter/metrics-handler.js';
import { startMetricsServer, type MetricsServer } from '../../src/exporter/metrics-server.js';
import { startMemscope, type Memscope } from '../../src/exporter/start-memscope.js';

// Whatever a client sends — any method, path, Authorization or Accept-Encoding, raw bytes on the socket — the
// handler answers once, with 200, 401, 404 or 405 (400/431 from Node's parser for what is not HTTP), never a 5xx,
// never throws into the host and never hangs.

const TOKEN = 's3cret-token';
const header = fc.oneof(
  fc.constantFrom(undefined, '', 'gzip', 'gzip;q=0', '*', 'identity', 'br, gzip;q=0.5', 'gzip;q=NaN', 'gzip;q=1e999', ';;;,,,'),
  fc.string({ maxLength: 60 }),
);
const authorization = fc.oneof(
  fc.constantFrom(undefined, `Bearer ${TOKEN}`, `bearer   ${TOKEN}  `, 'Bearer', 'Bearer ', `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN}x`),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
);
const url = fc.oneof(fc.constantFrom('/metrics', '/metrics?x=1', '/metrics/', '/METRICS', '//metrics', '/', '*', ''), fc.webPath(), fc.string({ maxLength: 80 }));
const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'get'), fc.string({ maxLength: 10 }));

interface Answer { status: number; ended: number; body: string }

/** Drives the handler with a fake request and response, as node:http or Express would. */
function call(handler: ReturnType<typeof createMetricsHandler>, req: { method: string; url: string; authorization?: string; acceptEncoding?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const answer: Answer = { status: 0, ended: 0, body: '' };
    const headers: Record<string, string> = {};
    const res = {
      statusCode: 200,
      headersSent: false,
      setHeader(name: string, value: string) { headers[name.toLowerCase()] = value; },
      end(body?: string | Buffer) {
        answer.ended++;
        answer.status = res.statusCode;
        answer.body = body === undefined ? '' : String(body);
        res.headersSent = true;
        setImmediate(() => { resolve(answer); });
      },
    };
    const incoming = {
      method: req.method,
      url: req.url,
      headers: { ...(req.authorization === undefined ? {} : { authorization: req.authorization }), ...(req.acceptEncoding === undefined ? {} : { 'accept-encoding': req.acceptEncoding }) },
    };
    try {
      handler(incoming as unknown as IncomingMessage, res as unknown as ServerResponse);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
    setTimeout(() => { reject(new Error('no answer within 5 s')); }, 5000).unref();
  });
}

let memscope: Memscope;
let server: MetricsServer;
beforeAll(async () => {
  memscope = await startMemscope({ eventLoop: false, shutdownSignals: [], maxPhaseNames: 5 });
  server = await startMetricsServer(createMetricsHandler(memscope.reader, { bearerToken: TOKEN }), { port: 0 });
});
afterAll(async () => {
  await server.close();
  await memscope.shutdown();
});

describe('metrics handler under generated requests (property)', () => {
  it('answers every request exactly once with 200, 401, 404 or 405', async () => {
    const handler = createMetricsHandler(memscope.reader, { bearerToken: TOKEN });
    await fc.assert(
      fc.asyncProperty(method, url, fc.option(authorization, { nil: undefined }), fc.option(header, { nil: undefined }), async (m, u, auth, enc) => {
        const answer = await call(handler, { method: m, url: u, ...(auth === undefined ? {} : { authorization: auth }), ...(enc === undefined ? {} : { acceptEncoding: enc }) });
        expect(answer.ended).toBe(1);
        expect([200, 401, 404, 405]).toContain(answer.status);
        const onPath = (u.split('?')[0] ?? '') === '/metrics';
        const authorized = auth !== undefined && /^bearer +s3cret-token$/i.test(auth.trim());
        if (answer.status === 200) expect(onPath && (m === 'GET' || m === 'HEAD') && authorized).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers raw bytes on a real socket without a 5xx or a hang', async () => {
    const raw = fc.oneof(
      fc.tuple(method, url, fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ maxLength: 40 })), { maxLength: 4 })).map(
        ([m, u, hs]) => `${m} ${u} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${hs.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`,
      ),
      fc.string({ unit: 'binary', maxLength: 300 }).map((s) => `${s}\r\n\r\n`),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (request) => {
        const status = await exchange(server.port, request);
        // null: the server closed the socket without an answer (Node's parser gives up on some garbage that way).
        if (status !== null) expect(status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});

/** Sends `request` and reads the status of the first response line (null when the server closed without one). */
function exchange(port: number, request: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 5 s to ${JSON.stringify(request.slice(0, 80))}`));
    }, 5000);
    socket.on('data', (chunk: Buffer) => { data += chunk.toString('latin1'); });
    socket.on('error', () => undefined); // a reset after the answer: the status line decides
    socket.on('close', () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve(m === null ? null : Number(m[1]));
    });
    socket.end(request, 'latin1');
  });
}
