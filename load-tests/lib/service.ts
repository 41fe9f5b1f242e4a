/** Where the service under test is, and the fail-fast check every script's setup() runs before any load. */
import { sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';

/** `npm start` and the container both listen on 3000; compose passes BASE_URL=http://bms:3000. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

export function baseUrl(): string {
  return (__ENV.BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/**
 * Aborts the test (k6 exit code 108) unless GET /readyz answers 200 within a few seconds: load against a service
 * that is down measures nothing, and a run that fails fast says so at once.
 */
export function requireReady(url: string, attempts = 5): void {
  let last = 'no response';
  for (let i = 0; i < attempts; i++) {
    // A 503 while the service warms up is an answer, not a failed request: keep it out of http_req_failed.
    const res = http.get(`${url}/readyz`, {
      timeout: '2s',
      tags: { name: 'GET /readyz' },
      responseCallback: http.expectedStatuses({ min: 200, max: 599 }),
    });
    if (res.status === 200) return;
    last = res.status === 0 ? (res.error || 'no response') : `HTTP ${res.status}`;
    if (i < attempts - 1) sleep(1);
  }
  exec.test.abort(`the service is not ready at ${url}/readyz (${last}); start it or set BASE_URL`);
}
