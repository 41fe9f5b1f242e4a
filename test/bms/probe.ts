import { generatePoints, type RawPoint } from '../../src/bms/data/generator.js';

/** Points as CSV, the way BMS exports write it. */
export function toCsv(points: readonly RawPoint[]): string {
  return `name,value,units,description\n${points.map((p) => `${p.name},${p.value ?? ''},${p.units},"${p.description.replace(/"/g, '""')}"`).join('\n')}\n`;
}

/** A realistic export of about `bytes` (generated, not stored in the repository). */
export function exportOfSize(bytes: number, format: 'csv' | 'json'): string {
  const perPoint = format === 'csv' ? 75 : 117; // measured averages of generatePoints()
  const points = generatePoints({ points: Math.ceil(bytes / perPoint), seed: 3 });
  return format === 'csv' ? toCsv(points) : JSON.stringify({ points });
}

export interface Overlap {
  /** ms from sending the request to its answer. */
  waitedMs: number;
  status: number;
  body: string;
  /** When each /healthz answer arrived, in ms after the request was sent. */
  healthzAt: number[];
}

/**
 * Sends a request and, meanwhile, /healthz one at a time (as a healthcheck does): when each health answer arrived,
 * relative to the request. A service that holds its event loop while it handles the request answers no health check
 * until it is done; one that yields answers them all along.
 */
export async function requestWithHealthChecks(url: string, path: string, init: RequestInit): Promise<Overlap> {
  const t0 = performance.now();
  const state = { done: false };
  const answered = (): boolean => state.done;
  const healthzAt: number[] = [];
  const answer = fetch(`${url}${path}`, init).then(async (res) => ({ status: res.status, body: await res.text() }));
  void answer.finally(() => (state.done = true));
  const probing = (async () => {
    while (!answered()) {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (!answered()) healthzAt.push(performance.now() - t0);
    }
  })();
  const { status, body } = await answer;
  const waitedMs = performance.now() - t0;
  await probing;
  return { waitedMs, status, body, healthzAt };
}
