import { Pool } from 'undici';

export interface HttpAnswer {
  /** 0 when no answer came (refused, reset, timed out). */
  readonly status: number;
  readonly body: string;
  readonly error?: string;
}

/** The two requests the onboarding flow makes; a fake in unit tests, undici against a real service. */
export interface HttpClient {
  request(method: 'GET' | 'POST', path: string, options?: { body?: string; contentType?: string; timeoutMs?: number }): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/**
 * undici's Pool: keep-alive connections to one origin, at most `connections` open. Chosen over autocannon after
 * measuring both on this project's 2-core machine (docs/stress-tests.md, "Load generator"); autocannon's fixed
 * request list does not follow a job by its id. Never throws: a failed request is an answer with status 0.
 */
export function createHttpClient(baseUrl: string, connections: number): HttpClient {
  const pool = new Pool(baseUrl, { connections, keepAliveTimeout: 10_000 });
  return {
    async request(method, path, options = {}) {
      const timeout = options.timeoutMs ?? 30_000;
      try {
        const res = await pool.request({
          method,
          path,
          headers: options.contentType === undefined ? { 'accept-encoding': 'identity' } : { 'content-type': options.contentType, 'accept-encoding': 'identity' },
          ...(options.body === undefined ? {} : { body: options.body }),
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
        return { status: res.statusCode, body: await res.body.text() };
      } catch (error) {
        return { status: 0, body: '', error: error instanceof Error ? error.message : String(error) };
      }
    },
    async close() {
      await pool.destroy().catch(() => undefined);
    },
  };
}
